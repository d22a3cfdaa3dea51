package io.tensd.sim.scenario;

import io.tensd.safety.FaultCode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;

/** The trace CSV; its header is a contract read by checks outside the repo. Empty cell = value does not exist. */
public final class TraceWriter implements AutoCloseable {
    public static final String HEADER = "t_ms,state,stim_enabled,stim_ma_cmd,stim_ma_meas,pulse_us,freq_hz,impedance_ohm,"
            + "heater_enabled,heater_duty,skin_c,pad_c,skin_model_c,flexion_deg,posture,faults";

    private final Writer out;
    private final StringBuilder row = new StringBuilder(256);

    public TraceWriter(Writer out) {
        this.out = out instanceof BufferedWriter ? out : new BufferedWriter(out, 1 << 16);
        write(HEADER);
    }

    public void row(long tMillis, String state, boolean stimEnabled, double maCmd, double maMeas, int pulseUs, double freqHz,
                    int impedanceOhm, boolean heaterEnabled, double heaterDuty, double skinC, double padC, double skinModelC,
                    double flexionDeg, String posture, long faultBits) {
        row.setLength(0);
        row.append(tMillis).append(',').append(state).append(',').append(stimEnabled ? 1 : 0).append(',');
        num(maCmd, 3);
        row.append(',');
        num(maMeas, 3);
        row.append(',').append(pulseUs).append(',');
        num(freqHz, 2);
        row.append(',');
        if (impedanceOhm >= 0) {
            row.append(impedanceOhm);
        }
        row.append(',').append(heaterEnabled ? 1 : 0).append(',');
        num(heaterDuty, 4);
        row.append(',');
        num(skinC, 3);
        row.append(',');
        num(padC, 3);
        row.append(',');
        num(skinModelC, 3);
        row.append(',');
        num(flexionDeg, 1);
        row.append(',');
        if (posture != null) {
            row.append(posture);
        }
        row.append(',');
        FaultCode.appendJoined(faultBits, "|", row);
        write(row);
    }

    private void num(double v, int places) {
        if (Double.isNaN(v)) {
            return;
        }
        long scale = places == 1 ? 10 : places == 2 ? 100 : places == 3 ? 1000 : 10000;
        long scaled = Math.round(v * scale);
        if (scaled < 0) {
            row.append('-');
            scaled = -scaled;
        }
        row.append(scaled / scale);
        long frac = scaled % scale;
        if (frac != 0) {
            row.append('.');
            String f = Long.toString(frac + scale).substring(1);
            int end = f.length();
            while (end > 1 && f.charAt(end - 1) == '0') {
                end--;
            }
            row.append(f, 0, end);
        }
    }

    private void write(CharSequence line) {
        try {
            out.append(line).append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

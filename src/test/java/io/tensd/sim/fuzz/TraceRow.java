package io.tensd.sim.fuzz;

import io.tensd.safety.FaultCode;
import io.tensd.sim.scenario.TraceWriter;
import java.util.ArrayList;
import java.util.List;

/** One row of the trace CSV (docs/scenarios.md "Trace"), read by column name as an outside check reads it. */
public record TraceRow(long tMs, String state, boolean stimEnabled, double maCmd, double maMeas, int pulseUs, double freqHz,
                       int impedanceOhm, boolean heaterEnabled, double heaterDuty, double skinC, double padC, double skinModelC,
                       long faultBits) {

    public boolean outputsSafe() {
        return !stimEnabled && maCmd == 0 && !heaterEnabled && heaterDuty == 0;
    }

    public boolean has(FaultCode f) { return (faultBits & f.bit()) != 0; }

    /** Parses a whole trace; the header must be the contract's. */
    public static List<TraceRow> parse(String csv) {
        String[] lines = csv.split("\n");
        String[] header = lines[0].split(",", -1);
        if (!lines[0].equals(TraceWriter.HEADER)) {
            throw new IllegalStateException("trace header is not the contract's: " + lines[0]);
        }
        int[] col = new int[16];
        String[] names = {"t_ms", "state", "stim_enabled", "stim_ma_cmd", "stim_ma_meas", "pulse_us", "freq_hz", "impedance_ohm",
                "heater_enabled", "heater_duty", "skin_c", "pad_c", "skin_model_c", "faults"};
        for (int i = 0; i < names.length; i++) {
            col[i] = java.util.Arrays.asList(header).indexOf(names[i]);
        }
        List<TraceRow> rows = new ArrayList<>(lines.length);
        for (int i = 1; i < lines.length; i++) {
            String[] c = lines[i].split(",", -1);
            long faults = 0;
            String f = c[col[13]];
            if (!f.isEmpty()) {
                for (String w : f.split("\\|")) {
                    faults |= FaultCode.fromWire(w).bit();
                }
            }
            rows.add(new TraceRow(Long.parseLong(c[col[0]]), c[col[1]], c[col[2]].equals("1"), d(c[col[3]]), d(c[col[4]]),
                    c[col[5]].isEmpty() ? 0 : Integer.parseInt(c[col[5]]), d(c[col[6]]),
                    c[col[7]].isEmpty() ? -1 : Integer.parseInt(c[col[7]]), c[col[8]].equals("1"), d(c[col[9]]), d(c[col[10]]),
                    d(c[col[11]]), d(c[col[12]]), faults));
        }
        return rows;
    }

    private static double d(String s) { return s.isEmpty() ? Double.NaN : Double.parseDouble(s); }
}

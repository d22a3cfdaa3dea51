package io.tensd.sim.posture;

import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import io.tensd.hw.ImuSample;
import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes IMU samples in the recording format {@code tensd posture --imu-csv} reads:
 * {@code t_ms,ax_g,ay_g,az_g,gx_dps,gy_dps,gz_dps} plus the same names with {@code _2} for a second sensor.
 * Values are written with Java's shortest exact decimal form, so a replay sees the very same doubles.
 */
public final class ImuCsvWriter implements Closeable {
    private static final String[] NAMES = {"ax_g", "ay_g", "az_g", "gx_dps", "gy_dps", "gz_dps"};

    private final SequenceWriter out;
    private final int sensors;
    private final long originNanos;

    public ImuCsvWriter(Writer writer, int sensors, long originNanos) throws IOException {
        if (sensors != 1 && sensors != 2) {
            throw new IllegalArgumentException("one or two sensors");
        }
        this.sensors = sensors;
        this.originNanos = originNanos;
        this.out = new CsvMapper().writer().writeValues(writer);
        out.write(header(sensors));
    }

    public static List<String> header(int sensors) {
        List<String> h = new ArrayList<>();
        h.add("t_ms");
        for (int s = 1; s <= sensors; s++) {
            for (String n : NAMES) {
                h.add(s == 1 ? n : n + "_2");
            }
        }
        return h;
    }

    /** One row; {@code samples} as returned by {@link ImuSynth#sample} (lower first). */
    public void write(ImuSample... samples) throws IOException {
        if (samples.length != sensors) {
            throw new IllegalArgumentException("expected " + sensors + " samples, got " + samples.length);
        }
        List<String> row = new ArrayList<>(1 + 6 * sensors);
        long rel = samples[0].sampledAtNanos() - originNanos;
        row.add(rel % 1_000_000L == 0 ? Long.toString(rel / 1_000_000L) : Double.toString(rel / 1e6));
        for (ImuSample s : samples) {
            row.add(Double.toString(s.axG()));
            row.add(Double.toString(s.ayG()));
            row.add(Double.toString(s.azG()));
            row.add(Double.toString(s.gxDps()));
            row.add(Double.toString(s.gyDps()));
            row.add(Double.toString(s.gzDps()));
        }
        out.write(row);
    }

    @Override
    public void close() throws IOException { out.close(); }
}

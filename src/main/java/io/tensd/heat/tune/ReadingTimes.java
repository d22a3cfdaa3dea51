package io.tensd.heat.tune;

/**
 * Puts each recorded sample at the time its readings were taken, not at the loop tick that used them. The
 * acquisition threads read the skin (TMP117) and the pad (ADS1115 + NTC) asynchronously to the loop: a reading used
 * at a tick is 0–100 ms old, and the two channels are of different ages. Timed at the tick, every reading is shifted
 * late against the duty, the same kind of shift that (half a tick of the duty) biased W and C_p by 5 % on short steps.
 *
 * <p>Why one common time per sample, the pad's reading time with the skin interpolated to it, and the duty integrated
 * exactly up to it: {@link ThermalFit}'s integral form needs every regressor's running integral at the time of the
 * value it is compared with, and its P − S term needs both channels at the same instants. Interpolating the skin (10 Hz,
 * smooth over 100 ms: the error is second order, far below its noise) keeps the record and the fit as they are (one
 * time, both readings, the mean duty since the previous sample); per-channel times would need the duty and the other
 * channel at each channel's times inside the fit anyway. The pad is the channel kept raw: it carries W and C_p and its
 * noise, white, is what the fit's bootstrap interval assumes. The duty is constant between two ticks, so its integral
 * at any time between them is exact.
 *
 * <p>On the Pi the TMP117 driver stamps a skin result at the middle of its 124 ms averaging window, 62–75 ms before
 * it publishes it ({@code io.tensd.hw.pi4j.Tmp117}); a pad reading then waits up to ~230 ms for a skin reading at
 * least as new (before, stamped at its 250 ms read: up to 250 ms), well within {@link #PAD_PENDING} pad periods, and
 * the duty history ({@link #DUTY_TICKS} ticks, 3.2 s at heat-tune's 20 Hz) still reaches back to it. Measured:
 * {@code DeviceFitAccuracyTest.theFitOnSkinReadingsStampedAtTheirConversionIsUnbiased}.
 */
final class ReadingTimes {
    private static final int DUTY_TICKS = 64;
    private static final int SKIN_KEPT = 4;
    private static final int PAD_PENDING = 8;

    private final long[] tickAt = new long[DUTY_TICKS];
    private final double[] dutyNanosAtTick = new double[DUTY_TICKS];
    private int ticks;
    private double dutyNanos;
    private long lastTick;

    /** The last skin readings, oldest first. */
    private final long[] skinAt = new long[SKIN_KEPT];
    private final double[] skinCelsius = new double[SKIN_KEPT];
    private int skins;

    /** Pad readings waiting for a skin reading at least as new (a ring). */
    private final long[] padAt = new long[PAD_PENDING];
    private final double[] padCelsius = new double[PAD_PENDING];
    private int padHead;
    private int pads;

    private long lastSampleAt = Long.MIN_VALUE;
    private double lastSampleDutyNanos;

    /** A loop tick at {@code now}: the heater got {@code appliedDuty} since the previous tick. */
    void tick(long now, double appliedDuty) {
        if (ticks > 0) {
            dutyNanos += appliedDuty * (now - lastTick);
        }
        lastTick = now;
        int i = ticks % DUTY_TICKS;
        tickAt[i] = now;
        dutyNanosAtTick[i] = dutyNanos;
        ticks++;
    }

    void skin(long sampledAtNanos, double celsius) {
        if (skins == SKIN_KEPT) {
            System.arraycopy(skinAt, 1, skinAt, 0, SKIN_KEPT - 1);
            System.arraycopy(skinCelsius, 1, skinCelsius, 0, SKIN_KEPT - 1);
            skins--;
        }
        skinAt[skins] = sampledAtNanos;
        skinCelsius[skins] = celsius;
        skins++;
    }

    void pad(long sampledAtNanos, double celsius) {
        if (pads == PAD_PENDING) { // the skin has not read for 8 pad periods: the oldest goes (the supervisor faults a stale sensor)
            padHead = (padHead + 1) % PAD_PENDING;
            pads--;
        }
        int i = (padHead + pads) % PAD_PENDING;
        padAt[i] = sampledAtNanos;
        padCelsius[i] = celsius;
        pads++;
    }

    /**
     * Records every pad reading the skin has caught up with, taken at or after {@code startNanos}, into {@code out}
     * (time from the start); false if {@code out} is full.
     */
    boolean drain(TuneExperiment.Samples out, long startNanos) {
        while (pads > 0 && skins > 0 && skinAt[skins - 1] >= padAt[padHead]) {
            long t = padAt[padHead];
            double pad = padCelsius[padHead];
            padHead = (padHead + 1) % PAD_PENDING;
            pads--;
            if (t < startNanos || t <= lastSampleAt) {
                continue;
            }
            double d = dutyNanosAt(t);
            double duty = lastSampleAt == Long.MIN_VALUE ? 0 : (d - lastSampleDutyNanos) / (t - lastSampleAt);
            if (!out.add((t - startNanos) / 1e9, skinAt(t), pad, duty)) {
                return false;
            }
            lastSampleAt = t;
            lastSampleDutyNanos = d;
        }
        return true;
    }

    /** The skin at {@code t}, linear between the readings either side (the oldest kept if {@code t} is before it). */
    private double skinAt(long t) {
        for (int j = skins - 1; j >= 0; j--) {
            if (skinAt[j] <= t) {
                return j == skins - 1 || skinAt[j] == t ? skinCelsius[j] : skinCelsius[j]
                        + (skinCelsius[j + 1] - skinCelsius[j]) * (t - skinAt[j]) / (double) (skinAt[j + 1] - skinAt[j]);
            }
        }
        return skinCelsius[0];
    }

    /** Applied duty × ns from the first tick to {@code t}: linear between ticks (the duty is constant there). */
    private double dutyNanosAt(long t) {
        int kept = Math.min(ticks, DUTY_TICKS);
        for (int k = 0; k < kept; k++) {
            int j = (ticks - 1 - k) % DUTY_TICKS;
            if (tickAt[j] <= t) {
                if (k == 0) {
                    return dutyNanosAtTick[j];
                }
                int next = (ticks - k) % DUTY_TICKS;
                return dutyNanosAtTick[j] + (dutyNanosAtTick[next] - dutyNanosAtTick[j]) * (t - tickAt[j])
                        / (double) (tickAt[next] - tickAt[j]);
            }
        }
        return dutyNanosAtTick[(ticks - kept) % DUTY_TICKS];
    }
}

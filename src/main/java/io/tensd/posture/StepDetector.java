package io.tensd.posture;

/**
 * Steps from the vertical acceleration at the lower back, which swings by roughly ±0.2–0.4 g once per step
 * while walking. Low-pass (5 Hz), then a Schmitt trigger: below −thr arms, above +thr is a step candidate.
 * Like a pedometer's "regulation" phase, candidates only become steps once {@code stepsToConfirm} of them
 * come at plausible intervals in a row, so bumps and single jolts are not counted. Allocation-free.
 */
final class StepDetector {
    private final double thrG;
    private final long minNanos;
    private final long maxNanos;
    private final int confirm;

    private double filtered;
    private boolean armed;
    private long lastCandidateNanos = Long.MIN_VALUE;
    private int regular;
    private boolean walking;
    private long steps;

    StepDetector(PostureConfig c) {
        this.thrG = c.stepThresholdG();
        this.minNanos = c.minStepIntervalMillis() * 1_000_000L;
        this.maxNanos = c.maxStepIntervalMillis() * 1_000_000L;
        this.confirm = c.stepsToConfirm();
    }

    /** @param verticalG specific force along "up" minus 1 g */
    void update(long nowNanos, double dtS, double verticalG) {
        double alpha = dtS / (dtS + 1 / (2 * Math.PI * 5.0));
        filtered += alpha * (verticalG - filtered);
        if (walking && nowNanos - lastCandidateNanos > maxNanos) {
            walking = false;
            regular = 0;
        }
        if (filtered < -thrG) {
            armed = true;
        } else if (armed && filtered > thrG) {
            armed = false;
            long interval = lastCandidateNanos == Long.MIN_VALUE ? Long.MAX_VALUE : nowNanos - lastCandidateNanos;
            if (interval < minNanos) {
                return; // too soon: a double peak of one step, keep the earlier candidate
            }
            regular = interval <= maxNanos ? regular + 1 : 1;
            lastCandidateNanos = nowNanos;
            if (walking) {
                steps++;
            } else if (regular >= confirm) {
                walking = true;
                steps += regular;
            }
        }
    }

    boolean walking() { return walking; }

    long steps() { return steps; }
}

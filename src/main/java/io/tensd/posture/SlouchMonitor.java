package io.tensd.posture;

/**
 * Slouch episodes: flexion beyond the threshold starts one, falling {@code hysteresis} below it ends it.
 * When an episode has lasted the delay the alert fires once (training mode) or is only recorded
 * (tracking mode). Lying, walking, exercising or a data gap end the episode without an alert.
 */
final class SlouchMonitor {
    private final PostureConfig cfg;
    private final long delayNanos;
    private boolean inEpisode;
    private boolean alerted;
    private long startNanos;

    int alerts;
    int episodes;
    long slouchNanos;

    SlouchMonitor(PostureConfig cfg) {
        this.cfg = cfg;
        this.delayNanos = cfg.slouchDelayMillis() * 1_000_000L;
    }

    /** @return an alert to emit, or null */
    PostureEvent.SlouchAlert update(long nowNanos, double dtS, double flexionDeg, boolean eligible, FeedbackMode mode) {
        if (!eligible) {
            inEpisode = false;
            return null;
        }
        if (!inEpisode) {
            if (flexionDeg > cfg.slouchThresholdDeg()) {
                inEpisode = true;
                alerted = false;
                startNanos = nowNanos;
            }
            return null;
        }
        if (flexionDeg < cfg.slouchThresholdDeg() - cfg.slouchHysteresisDeg()) {
            inEpisode = false;
            return null;
        }
        slouchNanos += (long) (dtS * 1e9);
        if (!alerted && nowNanos - startNanos >= delayNanos) {
            alerted = true;
            episodes++;
            if (mode == FeedbackMode.TRAINING) {
                alerts++;
                return new PostureEvent.SlouchAlert(nowNanos, flexionDeg, cfg.slouchThresholdDeg(),
                        (nowNanos - startNanos) / 1_000_000L);
            }
        }
        return null;
    }

    void interrupt() { inEpisode = false; }
}

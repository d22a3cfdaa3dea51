package io.tensd.telemetry;

/** Rate limit for remote commands: {@code capacity} at once, refilled at {@code perSecond}. Time is passed in (monotonic nanos). */
final class TokenBucket {
    private final double capacity;
    private final double perNano;
    private double tokens;
    private long lastNanos;
    private boolean started;

    TokenBucket(double capacity, double perSecond) {
        if (capacity < 1 || perSecond <= 0) throw new IllegalArgumentException("token bucket needs capacity ≥ 1 and a positive rate");
        this.capacity = capacity;
        this.perNano = perSecond / 1e9;
        this.tokens = capacity;
    }

    synchronized boolean tryAcquire(long nowNanos) {
        if (started) {
            long dt = nowNanos - lastNanos;
            if (dt > 0) tokens = Math.min(capacity, tokens + dt * perNano);
        }
        started = true;
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}

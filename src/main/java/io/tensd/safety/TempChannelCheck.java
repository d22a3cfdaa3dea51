package io.tensd.safety;

import io.tensd.hw.SensorStatus;
import io.tensd.hw.TempReading;

/** Range, staleness, rate-of-change and stuck-value checks of one temperature channel. Allocation-free. */
final class TempChannelCheck {
    private final long faultBit;
    private final long staleBit;
    private final long stuckBit;
    private final long rateBit;
    private long lastSampleNanos = Long.MIN_VALUE;
    private double lastValue = Double.NaN;
    private long lastChangeNanos;
    private boolean everSampled;

    TempChannelCheck(FaultCode fault, FaultCode stale, FaultCode stuck, FaultCode rate) {
        this.faultBit = fault.bit();
        this.staleBit = stale.bit();
        this.stuckBit = stuck.bit();
        this.rateBit = rate.bit();
    }

    /** Fault-cause bits for this reading. {@code inGrace}: right after start, a channel with no sample yet is not faulted. */
    long check(long nowNanos, TempReading r, SafetySettings s, long staleNanos, boolean inGrace) {
        if (r.status() == SensorStatus.NOT_PRESENT && !everSampled && inGrace) {
            return 0;
        }
        long causes = 0;
        if (nowNanos - r.sampledAtNanos() > staleNanos) {
            causes |= staleBit;
        }
        if (r.status() != SensorStatus.OK || !(r.celsius() >= s.tempValidMinCelsius() && r.celsius() <= s.tempValidMaxCelsius())) {
            return causes | faultBit;
        }
        if (r.sampledAtNanos() != lastSampleNanos) {
            double v = r.celsius();
            boolean consecutive = everSampled && !Double.isNaN(lastValue) && r.sampledAtNanos() - lastSampleNanos <= 1_000_000_000L;
            if (consecutive && Math.abs(v - lastValue) > s.tempMaxStepCelsius()) {
                causes |= rateBit;
            }
            if (!everSampled || Double.isNaN(lastValue) || v != lastValue) {
                lastChangeNanos = r.sampledAtNanos();
            }
            lastValue = v;
            lastSampleNanos = r.sampledAtNanos();
            everSampled = true;
        }
        if (everSampled && nowNanos - lastChangeNanos > s.stuckMillis() * 1_000_000L) {
            causes |= stuckBit;
        }
        return causes;
    }

    /** The last good value, NaN if none. */
    double value() { return lastValue; }
}

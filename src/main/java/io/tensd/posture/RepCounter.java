package io.tensd.posture;

import java.util.ArrayList;
import java.util.List;

/**
 * Counts repetitions of one prescribed exercise on an angle signal with hysteresis.
 *
 * <p>It first waits until the patient is in the start position (from the lower sensor's sagittal angle)
 * and holds still for 0.7 s; the angle then is the rest value. One-directional exercises: a repetition
 * starts when the angle leaves rest by {@code repEnterDeg} in the exercise's direction and ends when it
 * comes back within {@code repExitDeg}; its range of motion is the peak minus the lowest rest value since
 * the previous one. Cat-cow: a repetition must visit both sides beyond {@code repEnterDeg} and return;
 * range of motion is peak to peak. The rest value follows slow drift while resting.
 */
final class RepCounter {
    private enum State { POSITIONING, REST, ACTIVE, ACTIVE_OTHER_SIDE, DONE }

    private static final long SETTLE_NANOS = 700_000_000L;

    private final ExercisePrescription rx;
    private final double enter;
    private final double exit;
    private final double minRom;
    private final int sign;

    private State state = State.POSITIONING;
    private double ema = Double.NaN;
    private long settledSinceNanos = Long.MIN_VALUE;
    private double rest;
    private double restMin;
    private double hi;
    private double lo;
    private int side;

    int set = 1;
    private int repInSet;
    private int shallowInSet;
    private double romSumInSet;

    final List<Double> romDeg = new ArrayList<>();
    int reps;
    int shallowReps;
    int setsCompleted;

    RepCounter(ExercisePrescription rx, PostureConfig cfg) {
        this.rx = rx;
        this.enter = cfg.repEnterDeg();
        this.exit = cfg.repExitDeg();
        this.minRom = cfg.shallowFraction() * rx.targetRomDeg();
        this.sign = rx.exercise().direction().sign();
    }

    ExercisePrescription prescription() { return rx; }

    boolean done() { return state == State.DONE; }

    boolean counting() { return state != State.POSITIONING && state != State.DONE; }

    void update(long nowNanos, double dtS, double angleDeg, double lowerSagittalDeg, PostureListener out) {
        if (state == State.DONE || Double.isNaN(angleDeg)) {
            return;
        }
        if (Double.isNaN(ema)) {
            ema = angleDeg;
        }
        ema += Math.min(1, dtS / 0.3) * (angleDeg - ema);
        if (state == State.POSITIONING) {
            boolean steady = inStartPosition(lowerSagittalDeg) && Math.abs(angleDeg - ema) < 1.5;
            if (!steady) {
                settledSinceNanos = Long.MIN_VALUE;
            } else if (settledSinceNanos == Long.MIN_VALUE) {
                settledSinceNanos = nowNanos;
            } else if (nowNanos - settledSinceNanos >= SETTLE_NANOS) {
                rest = ema;
                restMin = 0;
                state = State.REST;
            }
            return;
        }
        if (sign != 0) {
            oneWay(nowNanos, dtS, sign * (angleDeg - rest), out);
        } else {
            bothWays(nowNanos, dtS, angleDeg - rest, out);
        }
    }

    private void oneWay(long nowNanos, double dtS, double d, PostureListener out) {
        switch (state) {
            case REST -> {
                if (d > enter) {
                    state = State.ACTIVE;
                    hi = d;
                } else {
                    restMin = Math.min(restMin, d);
                    followRest(dtS, d);
                }
            }
            case ACTIVE -> {
                hi = Math.max(hi, d);
                if (d < exit) {
                    finishRep(nowNanos, hi - Math.min(0, restMin), out);
                    restMin = d;
                    state = State.REST;
                }
            }
            default -> { }
        }
    }

    private void bothWays(long nowNanos, double dtS, double d, PostureListener out) {
        switch (state) {
            case REST -> {
                if (Math.abs(d) > enter) {
                    state = State.ACTIVE;
                    side = d > 0 ? 1 : -1;
                    hi = d;
                    lo = d;
                } else {
                    followRest(dtS, d);
                }
            }
            case ACTIVE, ACTIVE_OTHER_SIDE -> {
                hi = Math.max(hi, d);
                lo = Math.min(lo, d);
                if (state == State.ACTIVE && side * d < -enter) {
                    state = State.ACTIVE_OTHER_SIDE;
                } else if (state == State.ACTIVE_OTHER_SIDE && Math.abs(d) < exit) {
                    finishRep(nowNanos, hi - lo, out);
                    state = State.REST;
                }
            }
            default -> { }
        }
    }

    /** While resting the rest value follows slow drift (20 s time constant), never a repetition. */
    private void followRest(double dtS, double d) {
        if (Math.abs(d) < exit) {
            rest += Math.min(1, dtS / 20.0) * d * (sign == 0 ? 1 : sign);
        }
    }

    private void finishRep(long nowNanos, double rom, PostureListener out) {
        repInSet++;
        reps++;
        romDeg.add(rom);
        romSumInSet += rom;
        boolean shallow = rom < minRom;
        String name = rx.exercise().wireName();
        out.onEvent(new PostureEvent.ExerciseRep(nowNanos, name, set, repInSet, rx.repsPerSet(), rom, rx.targetRomDeg(), shallow));
        if (shallow) {
            shallowInSet++;
            shallowReps++;
            out.onEvent(new PostureEvent.RepTooShallow(nowNanos, name, set, repInSet, rom, minRom));
        }
        if (repInSet == rx.repsPerSet()) {
            boolean last = set == rx.sets();
            setsCompleted++;
            out.onEvent(new PostureEvent.SetComplete(nowNanos, name, set, rx.sets(), repInSet, shallowInSet,
                    romSumInSet / repInSet, last));
            repInSet = 0;
            shallowInSet = 0;
            romSumInSet = 0;
            if (last) {
                state = State.DONE;
            } else {
                set++;
            }
        }
    }

    private boolean inStartPosition(double lowerSagittalDeg) {
        return switch (rx.exercise().start()) {
            case STANDING -> Math.abs(lowerSagittalDeg) < 45;
            case SUPINE -> lowerSagittalDeg < -55;
            case QUADRUPED -> lowerSagittalDeg > 55;
        };
    }
}

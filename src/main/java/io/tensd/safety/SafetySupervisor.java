package io.tensd.safety;

import io.tensd.config.Limits;
import io.tensd.hw.BoardFault;
import io.tensd.hw.StimStatus;
import io.tensd.hw.TempReading;

/**
 * The last word before the actuators. A pure step function of (time, inputs, request) plus its own
 * latched state: no I/O, no logging, no allocation. Every tick:
 * <ol>
 *   <li>evaluate every fault cause from the inputs (sensors, stimulator link and board, heater watch
 *       and runaway, e-stop, loop gaps);</li>
 *   <li>latch new causes; if anything is latched the outputs are the safe state in this same step;</li>
 *   <li>otherwise clamp the request: hardware cap ≥ limits ≥ prescription ≥ request, charge per phase,
 *       zero-start ramp at the limit rate with instant decreases; every clamp that bites sets its reason.</li>
 * </ol>
 * A latched fault clears only by {@link #requestClear()} (a local action) and only once its cause is gone.
 */
public final class SafetySupervisor {
    private static final long NANOS_PER_MS = 1_000_000L;
    /** Largest time step the ramp may use, so a late tick cannot turn into a jump. */
    private static final long MAX_RAMP_STEP_NANOS = 50 * NANOS_PER_MS;
    private static final long HEAT_RECENT_NANOS = 60_000 * NANOS_PER_MS;
    private static final long PAD_WARMUP_NANOS = 180_000 * NANOS_PER_MS;
    /** Smallest duty the heater PWM can make (1e-4 of its period); below it the duty is 0. */
    private static final double MIN_DUTY = 1e-4;
    /** Pad at its limit, skin below setpoint: the skin must warm by this much … */
    private static final double PAD_LIMITED_RISE_CELSIUS = 0.2;
    /** … within this window, or its channel is taken to read low ({@link FaultCode#HEAT_IMPLAUSIBLE}). */
    /**
     * Watch: below 2 °C from the setpoint the skin must rise by this share of the gap within the watch period
     * (an approach with a time constant up to 310 s passes; a dead heater, rise ≤ 0, never does).
     */
    private static final double WATCH_GAP_SHARE = 0.25;
    private static final long PAD_LIMITED_WINDOW_NANOS = 60_000 * NANOS_PER_MS;
    /**
     * A clear applies to the faults latched when it was asked for, during this window: the board's
     * answer to CLEAR_FAULT arrives a status frame later, and a fault raised after the clear is never
     * swept away by it.
     */
    private static final long CLEAR_WINDOW_NANOS = 500 * NANOS_PER_MS;

    private final Limits limits;
    private final SafetySettings settings;
    private final long staleNanos;
    private final long leaseNanos;
    private final Verdict verdict = new Verdict();
    private final TempChannelCheck skinCheck = new TempChannelCheck(FaultCode.SKIN_SENSOR_FAULT,
            FaultCode.SKIN_SENSOR_STALE, FaultCode.SKIN_SENSOR_STUCK, FaultCode.SKIN_SENSOR_RATE);
    private final TempChannelCheck padCheck = new TempChannelCheck(FaultCode.PAD_SENSOR_FAULT,
            FaultCode.PAD_SENSOR_STALE, FaultCode.PAD_SENSOR_STUCK, FaultCode.PAD_SENSOR_RATE);

    private boolean started;
    private long startNanos;
    private long lastStepNanos;
    private long latched;
    private boolean clearRequested;
    private long clearAskedAtNanos;
    private long clearMask;
    /** When each latched fault latched (by ordinal); a clear applies only to faults latched before it was asked. */
    private final long[] latchedAtNanos = new long[FaultCode.values().length];
    /** An e-stop press seen by the loop (its line may already be released again): latches at the next step. */
    private boolean estopPressed;
    private long clearDeadlineNanos;
    private double lastMilliAmps;

    // stimulator board tracking
    private int knownBootCount = -1;
    private long lastStimFrameNanos = Long.MIN_VALUE;
    private int mismatchFrames;

    // heater tracking
    private long lastHeatNanos = Long.MIN_VALUE / 2;
    private long watchRefNanos = -1;
    private double watchRefSkin;
    private double watchRefRiseCelsius;
    private long dutyZeroSinceNanos = -1;
    private double padMinWhileOff = Double.NaN;
    private long aboveSetpointSinceNanos = -1;
    private double lastAppliedDuty;
    private long heatingSinceNanos = -1;
    private double aboveSetpointRefSkin;
    private final HeatObserver observer;
    private final ThermalLimits thermal;
    private long padLimitedRefNanos = -1;
    private double padLimitedRefSkin;

    public SafetySupervisor(Limits limits, SafetySettings settings) {
        this.limits = limits;
        this.settings = settings;
        this.staleNanos = limits.sensorStaleMillis() * NANOS_PER_MS;
        this.leaseNanos = limits.stimulatorLeaseMillis() * NANOS_PER_MS;
        this.observer = new HeatObserver(settings.heatModel());
        this.thermal = ThermalLimits.derive(settings.heatModel(), limits.skinCeilingCelsius());
    }

    public Limits limits() { return limits; }

    public SafetySettings settings() { return settings; }

    /**
     * The channel cross-check's larger residual |measured − predicted| (°C, after offset learning) at the last step:
     * heat-tune keeps its experiment under the trip, the session reports it against the identified model's band.
     */
    public double heatResidualCelsius() {
        return Math.max(Math.abs(observer.padResidual()), Math.abs(observer.skinResidual()));
    }

    /** The pad limit and duty bound in force (derived from the ceiling and the pad model). */
    public ThermalLimits thermalLimits() { return thermal; }

    /** A local clear (button or CLI) asked now: applies to faults latched before the next step, once their cause is gone. */
    public void requestClear() { requestClear(Long.MAX_VALUE); }

    /**
     * A local clear pressed at {@code askedAtNanos}: applied at the next step to the faults that latched BEFORE that
     * moment and whose cause is gone. A press that waited in a queue (a loop stall) never clears a fault that
     * latched while it waited.
     */
    public void requestClear(long askedAtNanos) {
        clearRequested = true;
        clearAskedAtNanos = askedAtNanos;
    }

    /**
     * The e-stop was pressed (its notification reached the loop). Latches {@code estop} at the next step even if
     * the line reads released by then, so a press and a release between two ticks still appear in the record.
     */
    public void estopPressed() { estopPressed = true; }

    public long latchedFaults() { return latched; }

    /** The latched faults that latched strictly before {@code atNanos}. */
    public long latchedBefore(long atNanos) {
        long out = 0;
        long rest = latched;
        while (rest != 0) {
            int i = Long.numberOfTrailingZeros(rest);
            rest &= rest - 1;
            if (latchedAtNanos[i] - atNanos < 0) {
                out |= 1L << i;
            }
        }
        return out;
    }

    /** When {@code f} latched (meaningful while it is latched). */
    public long latchedAtNanos(FaultCode f) { return latchedAtNanos[f.ordinal()]; }

    /** The verdict of the last step (the same instance every time). */
    public Verdict verdict() { return verdict; }

    public Verdict step(long nowNanos, Inputs in, Request req) {
        if (!started) {
            started = true;
            startNanos = nowNanos;
            lastStepNanos = nowNanos;
        }
        long dtNanos = nowNanos - lastStepNanos;
        long causes = evaluateCauses(nowNanos, dtNanos, in, req);
        long raised = causes & ~latched;
        for (long rest = raised; rest != 0; rest &= rest - 1) {
            latchedAtNanos[Long.numberOfTrailingZeros(rest)] = nowNanos;
        }
        latched |= causes;
        long cleared = 0;
        if (clearRequested) {
            clearRequested = false;
            long asked = clearAskedAtNanos == Long.MAX_VALUE ? nowNanos : Math.min(clearAskedAtNanos, nowNanos);
            clearMask = latchedBefore(asked) & ~raised;
            clearDeadlineNanos = nowNanos + CLEAR_WINDOW_NANOS;
        }
        if (clearMask != 0 && nowNanos - clearDeadlineNanos > 0) {
            clearMask = 0;
        }
        if (clearMask != 0) {
            cleared = latched & clearMask & ~causes;
            latched &= ~cleared;
            clearMask &= ~cleared;
        }
        lastStepNanos = nowNanos;
        if (latched != 0) {
            lastMilliAmps = 0;
            lastAppliedDuty = 0;
            verdict.set(nowNanos, false, 0, 0, 0, 0, false, 0, latched, raised, cleared, 0);
            verdict.board(false, 0, 0);
            return verdict;
        }
        int clamps = 0;

        boolean stimOn = req.stimEnabled();
        double ma = 0;
        int pw = 0;
        double hz = 0;
        boolean boardTimed = stimOn && req.boardTimed();
        int boardPw = 0;
        double boardHz = 0;
        if (stimOn) {
            pw = req.pulseWidthMicros();
            int pwMin = Math.max(limits.minPulseWidthMicros(), HardwareCaps.MIN_PULSE_WIDTH_MICROS);
            int pwMax = Math.min(limits.maxPulseWidthMicros(), HardwareCaps.MAX_PULSE_WIDTH_MICROS);
            if (pw < pwMin || pw > pwMax) {
                pw = Math.max(pwMin, Math.min(pwMax, pw));
                clamps |= ClampReason.PULSE_WIDTH_RANGE.bit();
            }
            hz = req.frequencyHz();
            double hzMin = Math.max(limits.minFrequencyHz(), HardwareCaps.MIN_FREQUENCY_HZ);
            double hzMax = Math.min(limits.maxFrequencyHz(), HardwareCaps.MAX_FREQUENCY_HZ);
            if (!(hz >= hzMin && hz <= hzMax)) {
                hz = Double.isNaN(hz) ? hzMin : Math.max(hzMin, Math.min(hzMax, hz));
                clamps |= ClampReason.FREQUENCY_RANGE.bit();
            }
            ma = Double.isNaN(req.milliAmps()) ? 0 : Math.max(0, req.milliAmps());
            double rx = Math.max(0, req.prescriptionMaxMilliAmps());
            if (ma > rx) {
                ma = rx;
                clamps |= ClampReason.PRESCRIPTION_MAX_AMPLITUDE.bit();
            }
            if (ma > limits.maxMilliAmps()) {
                ma = limits.maxMilliAmps();
                clamps |= ClampReason.LIMIT_MAX_AMPLITUDE.bit();
            }
            if (ma > HardwareCaps.MAX_MILLIAMPS) {
                ma = HardwareCaps.MAX_MILLIAMPS;
                clamps |= ClampReason.HARDWARE_MAX_AMPLITUDE.bit();
            }
            if (boardTimed) {
                // The board gets the level with the shape's peak width and rate: the same ranges bind them, and the
                // level's charge per phase is taken at the wider of the peak and this tick's width.
                boardPw = req.boardPulseWidthMicros();
                if (boardPw < pwMin || boardPw > pwMax) {
                    boardPw = Math.max(pwMin, Math.min(pwMax, boardPw));
                    clamps |= ClampReason.PULSE_WIDTH_RANGE.bit();
                }
                boardHz = req.boardFrequencyHz();
                if (!(boardHz >= hzMin && boardHz <= hzMax)) {
                    boardHz = Double.isNaN(boardHz) ? hzMin : Math.max(hzMin, Math.min(hzMax, boardHz));
                    clamps |= ClampReason.FREQUENCY_RANGE.bit();
                }
            }
            double chargeCap = limits.maxMilliAmpsForCharge(Math.max(pw, boardPw));
            if (ma > chargeCap) {
                ma = chargeCap;
                clamps |= ClampReason.CHARGE_PER_PHASE.bit();
            }
            double maxUp = limits.maxRampMilliAmpsPerSecond() * Math.min(Math.max(dtNanos, 0), MAX_RAMP_STEP_NANOS) / 1e9;
            if (ma > lastMilliAmps + maxUp) {
                ma = lastMilliAmps + maxUp;
                clamps |= ClampReason.RAMP_RATE.bit();
            }
        }
        lastMilliAmps = ma;
        // The envelope only ever scales the ramped, clamped level down (0–1); NaN or out of range is treated safely.
        double fraction = req.envelopeFraction();
        double out = !(fraction > 0) ? 0 : fraction >= 1 ? ma : ma * fraction;

        boolean heatOn = req.heaterEnabled();
        double duty = 0;
        if (heatOn) {
            duty = Double.isNaN(req.heaterDuty()) ? 0 : Math.max(0, req.heaterDuty());
            double cap = Math.min(settings.heaterDutyCap(), HardwareCaps.MAX_HEATER_DUTY);
            if (duty > cap) {
                duty = cap;
                clamps |= ClampReason.HEATER_DUTY_CAP.bit();
            }
            // Energy bound: never more than the weakest pad needs to hold the setpoint in the coldest ambient.
            double bound = thermal.dutyBound(req.heatSetpointCelsius());
            if (duty > bound) {
                duty = bound;
                clamps |= ClampReason.HEATER_DUTY_MODEL.bit();
            }
            // Pad limit: with a truthful pad channel the true skin stays under the ceiling whatever the skin
            // channel reads (single-fault safety against a skin sensor reading low).
            double padFactor = thermal.padLimitFactor(padCheck.value());
            if (padFactor < 1 && duty > 0) {
                duty *= padFactor;
                clamps |= ClampReason.PAD_LIMIT.bit();
            }
            if (duty < MIN_DUTY) {
                duty = 0; // under the PWM's resolution: no heat, and the enable switch stays open
            }
            // Guard band under the ceiling: stop adding heat before the fault threshold is reached.
            if (skinCheck.value() >= limits.skinCeilingCelsius() - 0.5 && duty > 0) {
                duty = 0;
                clamps |= ClampReason.HEAT_SETPOINT_CEILING.bit();
            }
        }
        if (duty > 0) {
            if (nowNanos - lastHeatNanos >= HEAT_RECENT_NANOS) {
                heatingSinceNanos = nowNanos;
            }
            lastHeatNanos = nowNanos;
        }
        // The enable switch is in series with the PWM switch: open it whenever no heat is wanted, so a PWM
        // MOSFET that fails short cannot heat while the controller asks for nothing (defence in depth).
        boolean heaterEnable = heatOn && duty > 0;
        lastAppliedDuty = heaterEnable ? duty : 0;
        verdict.set(nowNanos, stimOn, out, ma, stimOn ? pw : 0, stimOn ? hz : 0, heaterEnable, duty, 0, raised, cleared, clamps);
        verdict.board(boardTimed, boardPw, boardHz);
        return verdict;
    }

    private long evaluateCauses(long now, long dtNanos, Inputs in, Request req) {
        long causes = 0;
        boolean inGrace = now - startNanos < staleNanos;
        if (in.estopActive() || estopPressed) {
            causes |= FaultCode.ESTOP.bit();
        }
        estopPressed = false;
        if (dtNanos > leaseNanos) {
            causes |= FaultCode.LOOP_OVERRUN.bit();
        }
        causes |= skinCheck.check(now, in.skin(), settings, staleNanos, inGrace);
        causes |= padCheck.check(now, in.pad(), settings, staleNanos, inGrace);
        causes |= stimCauses(now, in.stim());
        causes |= heatCauses(now, in.skin(), in.pad(), req);
        return causes;
    }

    private long stimCauses(long now, StimStatus st) {
        long causes = 0;
        boolean inGrace = now - startNanos < settings.stimStartupGraceMillis() * NANOS_PER_MS;
        if (now - st.receivedAtNanos() > leaseNanos && !(inGrace && st == StimStatus.NONE)) {
            causes |= FaultCode.STIM_LINK_LOST.bit();
        }
        if (st == StimStatus.NONE) {
            return causes;
        }
        if (st.has(BoardFault.LEASE_EXPIRED)) {
            causes |= FaultCode.STIM_LEASE_EXPIRED.bit();
        }
        if (st.has(BoardFault.OVERCURRENT)) {
            causes |= FaultCode.STIM_OVERCURRENT.bit();
        }
        // A board with a latched fault refuses every SETPOINT (FAULT_LATCHED), and whether a refused one is in flight
        // when the fault latches is down to frame timing: that refusal is the latched fault's echo, not a second fault.
        boolean latched = st.has(BoardFault.OVERCURRENT) || st.has(BoardFault.OVERVOLTAGE) || st.has(BoardFault.SELF_TEST);
        if (st.has(BoardFault.OVERVOLTAGE) || st.has(BoardFault.SELF_TEST) || (st.has(BoardFault.SETPOINT_REJECTED) && !latched)) {
            causes |= FaultCode.STIM_BOARD_FAULT.bit();
        }
        if (knownBootCount >= 0 && st.bootCount() != knownBootCount) {
            causes |= FaultCode.STIM_BOARD_RESET.bit();
        }
        knownBootCount = st.bootCount();
        if (st.receivedAtNanos() != lastStimFrameNanos) {
            lastStimFrameNanos = st.receivedAtNanos();
            double measured = st.measuredMicroAmps() / 1000.0;
            // Against the level (before the envelope), whoever times the shape: a board that times a burst measures
            // its own train, never the host's gate, and no pulse of any shape is above the level.
            double allowed = Math.max(lastMilliAmps * 1.1, lastMilliAmps + settings.outputMismatchMilliAmps());
            mismatchFrames = measured > allowed ? mismatchFrames + 1 : 0;
            if (mismatchFrames >= settings.outputMismatchFrames()) {
                causes |= FaultCode.STIM_OUTPUT_MISMATCH.bit();
            }
        }
        return causes;
    }

    private long heatCauses(long now, TempReading skinR, TempReading padR, Request req) {
        long causes = 0;
        boolean skinOk = skinR.status() == io.tensd.hw.SensorStatus.OK && !Double.isNaN(skinR.celsius());
        boolean padOk = padR.status() == io.tensd.hw.SensorStatus.OK && !Double.isNaN(padR.celsius());
        double skin = skinR.celsius();
        double pad = padR.celsius();
        if (skinOk && skin >= limits.skinCeilingCelsius()) {
            causes |= FaultCode.SKIN_OVER_CEILING.bit();
        }
        if (padOk && pad >= settings.padMaxCelsius()) {
            causes |= FaultCode.HEATER_RUNAWAY.bit();
        }
        if (skinOk && padOk) {
            boolean heatRecent = now - lastHeatNanos < HEAT_RECENT_NANOS;
            if (pad - skin > settings.padMaxAboveSkinCelsius()) {
                causes |= FaultCode.TEMP_CHANNEL_MISMATCH.bit();
            }
            // Once the pad has heated for a while it must be warmer than the skin it heats; an unheated pad
            // is cooler than the skin (it sits between skin and air), so the rule waits for the pad to warm.
            boolean padWarmedUp = heatingSinceNanos >= 0 && now - heatingSinceNanos > PAD_WARMUP_NANOS;
            if (heatRecent && padWarmedUp && skin - pad > settings.skinMaxAbovePadCelsius()) {
                causes |= FaultCode.TEMP_CHANNEL_MISMATCH.bit();
            }
            // Model cross-check: each channel against its prediction from the other and the applied duty.
            observer.update(now, skin, pad, lastAppliedDuty);
            if (observer.disagrees(now)) {
                causes |= FaultCode.TEMP_CHANNEL_MISMATCH.bit();
            }
        }
        // Plausibility against the model: a pad held at its limit heats the skin to near the setpoint on every pad
        // within the spread; a skin channel reading well under the setpoint there, and not warming, reads low.
        double sp = req.heatSetpointCelsius();
        if (skinOk && padOk && req.heaterEnabled() && req.heaterDuty() > 0 && !Double.isNaN(sp)
                && thermal.padLimitFactor(pad) < 1 && skin < sp - settings.watchRiseCelsius()) {
            if (padLimitedRefNanos < 0 || skin >= padLimitedRefSkin + PAD_LIMITED_RISE_CELSIUS) {
                padLimitedRefNanos = now;
                padLimitedRefSkin = skin;
            } else if (now - padLimitedRefNanos > PAD_LIMITED_WINDOW_NANOS) {
                causes |= FaultCode.HEAT_IMPLAUSIBLE.bit();
                padLimitedRefNanos = -1;
            }
        } else {
            padLimitedRefNanos = -1;
        }
        double commanded = lastAppliedDuty; // what the pad actually got in the previous step
        // Watch: heating must warm the skin (Marlin's WATCH_TEMP_PERIOD / WATCH_TEMP_INCREASE).
        double setpoint = req.heatSetpointCelsius();
        if (skinOk && commanded >= settings.watchMinDuty() && latched == 0 && !Double.isNaN(setpoint)
                && skin < setpoint - settings.watchRiseCelsius()) {
            if (watchRefNanos < 0 || skin >= watchRefSkin + watchRefRiseCelsius) {
                watchRefNanos = now;
                watchRefSkin = skin;
                // Near the setpoint the PID eases off and the skin closes the gap exponentially: a slow pad in a
                // cool room closes 0.5 °C of a 1 °C gap in no 90 s (it tripped 21 of 200 pads at 18 °C). Ask for a
                // share of the gap there; a heater that warms nothing still fails any positive rise.
                watchRefRiseCelsius = Math.min(settings.watchRiseCelsius(), WATCH_GAP_SHARE * (setpoint - skin));
            } else if (now - watchRefNanos > settings.watchPeriodMillis() * NANOS_PER_MS) {
                causes |= FaultCode.HEATER_WATCH.bit();
                watchRefNanos = -1;
            }
        } else {
            watchRefNanos = -1;
        }
        // Runaway: the pad keeps heating although the heater is commanded off. Only heat above the skin
        // counts, since a cold pad put on the body warms up by itself.
        if (commanded <= 0 && padOk && skinOk) {
            if (dutyZeroSinceNanos < 0) {
                dutyZeroSinceNanos = now;
                padMinWhileOff = Double.NaN;
            }
            if (now - dutyZeroSinceNanos > 5_000 * NANOS_PER_MS) {
                padMinWhileOff = Double.isNaN(padMinWhileOff) ? pad : Math.min(padMinWhileOff, pad);
                if (now - dutyZeroSinceNanos > settings.runawayWindowMillis() * NANOS_PER_MS
                        && pad > skin + 1.0 && pad - padMinWhileOff > settings.runawayRiseCelsius()) {
                    causes |= FaultCode.HEATER_RUNAWAY.bit();
                }
            }
        } else {
            dutyZeroSinceNanos = -1;
        }
        // Far above setpoint and not cooling for too long (Klipper's verify_heater in the hot direction). A skin
        // that is cooling towards a lowered setpoint restarts the window, so lowering the setpoint never trips it.
        if (skinOk && !Double.isNaN(setpoint) && skin > setpoint + settings.runawayAboveSetpointCelsius()) {
            if (aboveSetpointSinceNanos < 0 || skin < aboveSetpointRefSkin - 0.1) {
                aboveSetpointSinceNanos = now;
                aboveSetpointRefSkin = skin;
            } else if (now - aboveSetpointSinceNanos > settings.runawayAboveSetpointMillis() * NANOS_PER_MS) {
                causes |= FaultCode.HEATER_RUNAWAY.bit();
            }
        } else {
            aboveSetpointSinceNanos = -1;
        }
        return causes;
    }
}

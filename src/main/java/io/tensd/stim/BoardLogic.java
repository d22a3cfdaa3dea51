package io.tensd.stim;

import io.tensd.hw.BoardFault;
import io.tensd.hw.StimStatus;

import java.util.Random;

/**
 * A pure model of the stimulator board's firmware: what the board accepts, when it cuts output by
 * itself, and what it reports. Time is an argument (monotonic nanos), nothing here reads a clock,
 * starts a thread or does I/O, so the same rules run in-process in the simulator and behind the wire
 * protocol in {@link StimBoardEmulator}. hardware/stimulator-protocol.md is the firmware engineer's
 * version of these rules; keep the two in step.
 *
 * <p>Rules (each one is a board-side safety control, independent of the host):
 * <ul>
 *   <li><b>Caps.</b> A setpoint that enables output outside {@link Caps} (amplitude, pulse width,
 *       rate, charge per phase, lease range) is refused: the board <em>zeroes and disables</em> the
 *       output, sets {@link BoardFault#SETPOINT_REJECTED} and does not renew the lease. Zeroing
 *       rather than keeping the old output, because a host that sends an impossible setpoint is a
 *       host whose state can no longer be trusted; the host's ramp from zero is the cheap way back.
 *       A setpoint with {@code enable=false} is never refused for its amplitude/width/rate (switching
 *       off must always work); only its lease is checked.</li>
 *   <li><b>Lease.</b> An accepted SETPOINT or a HEARTBEAT renews the lease to {@code now + leaseMillis}.
 *       When {@code now >= deadline} the output is zeroed and disabled; if it was enabled,
 *       {@link BoardFault#LEASE_EXPIRED} is set.</li>
 *   <li><b>Re-arm from zero.</b> Output is enabled only from a setpoint whose amplitude is at most
 *       {@link Caps#maxArmMicroAmps} (the first step of a host ramp). After any cut (lease,
 *       refusal, fault, reset) a host that simply resumes its old setpoint is refused
 *       ({@link ReplyCode#NOT_ARMED}), so a stalled-then-resumed host cannot step the patient back
 *       to full intensity. The host ramps; the board only zeroes and insists on starting low.
 *       Re-arming clears LEASE_EXPIRED and SETPOINT_REJECTED.</li>
 *   <li><b>Latched hardware faults.</b> OVERCURRENT/OVERVOLTAGE cut output and latch until CLEAR_FAULT
 *       or reset; SELF_TEST latches until reset. While latched, enabling is refused.</li>
 * </ul>
 * Thread-safe (every method is synchronized): an emulator thread steps it while tests inject faults.
 */
public final class BoardLogic {

    /**
     * What the board enforces in hardware/firmware regardless of the host. Wider than the limits file
     * (the outermost layer of the clamp chain), reported to the host in HELLO_ACK.
     *
     * @param hardwareMaxMicroAmps      largest amplitude the output stage will drive
     * @param minPulseWidthMicros       shortest phase
     * @param maxPulseWidthMicros       longest phase
     * @param minFrequencyHz            slowest pulse rate
     * @param maxFrequencyHz            fastest pulse rate
     * @param maxChargeNanoCoulombs     amplitude x phase width cap (µA x µs / 1000)
     * @param complianceVolts           highest voltage the output stage can drive; limits current into high impedance
     * @param minLeaseMillis            shortest lease accepted
     * @param maxLeaseMillis            longest lease accepted: the host can never buy more than this much unattended output
     * @param maxArmMicroAmps           largest amplitude with which output may be switched on from off
     * @param maxSlewMicroAmpsPerSecond fastest rise of the amplitude above its peak the board allows (§5.7);
     *                                  0 = a board without a slew limit (what a HELLO_ACK without the field means)
     * @param capabilities              board-timed waveform features (protocol v2): {@link #CAP_BURST}, {@link #CAP_MODULATION}
     */
    public record Caps(int hardwareMaxMicroAmps, int minPulseWidthMicros, int maxPulseWidthMicros,
                       int minFrequencyHz, int maxFrequencyHz, int maxChargeNanoCoulombs, int complianceVolts,
                       int minLeaseMillis, int maxLeaseMillis, int maxArmMicroAmps, int maxSlewMicroAmpsPerSecond,
                       int capabilities) {
        /** Capability bit: the board times burst trains itself. */
        public static final int CAP_BURST = 0x01;
        /** Capability bit: the board runs amplitude/width/rate modulation itself. */
        public static final int CAP_MODULATION = 0x02;

        public Caps {
            if (hardwareMaxMicroAmps <= 0 || minPulseWidthMicros <= 0 || maxPulseWidthMicros < minPulseWidthMicros
                    || minFrequencyHz <= 0 || maxFrequencyHz < minFrequencyHz || maxChargeNanoCoulombs <= 0
                    || complianceVolts <= 0 || minLeaseMillis <= 0 || maxLeaseMillis < minLeaseMillis
                    || maxArmMicroAmps < 0 || maxArmMicroAmps > hardwareMaxMicroAmps || maxSlewMicroAmpsPerSecond < 0
                    || (capabilities & ~(CAP_BURST | CAP_MODULATION)) != 0) {
                throw new IllegalArgumentException("inconsistent board caps: " + this);
            }
        }

        /** Caps of a board that reports no slew limit and no board-timed waveforms (a plain v1 HELLO_ACK). */
        public Caps(int hardwareMaxMicroAmps, int minPulseWidthMicros, int maxPulseWidthMicros, int minFrequencyHz,
                    int maxFrequencyHz, int maxChargeNanoCoulombs, int complianceVolts, int minLeaseMillis,
                    int maxLeaseMillis, int maxArmMicroAmps) {
            this(hardwareMaxMicroAmps, minPulseWidthMicros, maxPulseWidthMicros, minFrequencyHz, maxFrequencyHz,
                    maxChargeNanoCoulombs, complianceVolts, minLeaseMillis, maxLeaseMillis, maxArmMicroAmps, 0, 0);
        }

        public Caps withMaxSlewMicroAmpsPerSecond(int slew) {
            return new Caps(hardwareMaxMicroAmps, minPulseWidthMicros, maxPulseWidthMicros, minFrequencyHz, maxFrequencyHz,
                    maxChargeNanoCoulombs, complianceVolts, minLeaseMillis, maxLeaseMillis, maxArmMicroAmps, slew, capabilities);
        }

        public Caps withCapabilities(int caps) {
            return new Caps(hardwareMaxMicroAmps, minPulseWidthMicros, maxPulseWidthMicros, minFrequencyHz, maxFrequencyHz,
                    maxChargeNanoCoulombs, complianceVolts, minLeaseMillis, maxLeaseMillis, maxArmMicroAmps,
                    maxSlewMicroAmpsPerSecond, caps);
        }

        /**
         * The reference board: 100 mA, 20–500 µs, 1–200 Hz, 30 µC per phase (above the limits file's
         * default 25 µC so the limits file is the one that bites first), 60 V compliance, lease
         * 10–1000 ms, re-arm at most 2 mA, slew at most 10 mA/s (the limits file's fastest ramp), burst trains
         * and modulation timed on the board.
         */
        public static Caps defaults() {
            return new Caps(100_000, 20, 500, 1, 200, 30_000, 60, 10, 1000, 2_000, 10_000, CAP_BURST | CAP_MODULATION);
        }
    }

    /** Contact impedance of electrodes well stuck to skin. */
    public static final int DEFAULT_IMPEDANCE_OHMS = 1_000;

    private final Caps caps;
    private final Random noise;

    private int bootCount = 1;
    private boolean enabled;
    private int amplitudeMicroAmps;
    private int pulseWidthMicros;
    private int frequencyHz;
    private Waveform waveform = Waveform.SYMMETRIC_BIPHASIC;
    private boolean leaseRunning;
    private long leaseDeadlineNanos;
    private int faultBits;
    private int impedanceOhms = DEFAULT_IMPEDANCE_OHMS;
    private double measuredGainError;
    private long lastNowNanos;
    private long outputOffAtNanos = Long.MIN_VALUE;
    private long lastRenewNanos = Long.MIN_VALUE;
    private boolean inForce;
    private boolean causePresent;
    private int slewMicroAmpsPerSecond;
    private int peakMicroAmps;
    private double headroomMicroAmps;
    private long headroomAtNanos;
    private Pattern pattern = Pattern.CONTINUOUS;
    private long waveStartNanos;
    private long nextPulseNanos;
    private int pulseInTrain;
    private long trainIndex;
    private PulseSink pulseSink;
    private long pulses;

    public BoardLogic(Caps caps) { this(caps, 0x5EED_B0A2DL); }

    /** @param seed seeds the measurement noise, so a simulated session is reproducible */
    public BoardLogic(Caps caps, long seed) {
        this.caps = caps;
        this.noise = new Random(seed);
        this.slewMicroAmpsPerSecond = caps.maxSlewMicroAmpsPerSecond;
    }

    public Caps caps() { return caps; }

    /** One pulse the board generates: when (board time), how strong, how wide. */
    @FunctionalInterface
    public interface PulseSink {
        /**
         * @param scheduledNanos when the waveform puts the pulse (what a hardware timer fires at)
         * @param emittedNanos   when this model got round to it ({@link #step} time; ≥ scheduled)
         */
        void pulse(long scheduledNanos, long emittedNanos, int amplitudeMicroAmps, int pulseWidthMicros);
    }

    /** In-process callers (the simulator) have no sequence number: any non-zero one stands for "a real setpoint". */
    private static final int IN_PROCESS_SEQ = -1;

    /** {@link #setpoint(long, boolean, int, int, int, Waveform, int)} with the default waveform. */
    public ReplyCode setpoint(long nowNanos, boolean enable, int amplitudeMicroAmps, int pulseWidthMicros,
                              int frequencyHz, int leaseMillis) {
        return setpoint(nowNanos, enable, amplitudeMicroAmps, pulseWidthMicros, frequencyHz,
                Waveform.SYMMETRIC_BIPHASIC, leaseMillis);
    }

    /** A setpoint from in-process code: continuous pulses, no reserved flags. */
    public ReplyCode setpoint(long nowNanos, boolean enable, int amplitudeMicroAmps, int pulseWidthMicros,
                              int frequencyHz, Waveform waveform, int leaseMillis) {
        return setpoint(nowNanos, IN_PROCESS_SEQ, 0, enable, amplitudeMicroAmps, pulseWidthMicros, frequencyHz,
                waveform, Pattern.CONTINUOUS, leaseMillis);
    }

    /**
     * Apply a SETPOINT frame; see the class comment and hardware/stimulator-protocol.md §4.8 for the checks
     * and their order. Every refusal, whatever its reason, zeroes and disables the output, sets
     * SETPOINT_REJECTED, renews nothing and leaves no setpoint in force.
     *
     * @param seq           the frame's sequence number (0 = "none": refused for an enabling setpoint)
     * @param reservedFlags flag bits 1–7 as received (must be 0)
     * @param pattern       board-timed shape (v2), {@link Pattern#CONTINUOUS} for a v1 SETPOINT
     */
    public synchronized ReplyCode setpoint(long nowNanos, int seq, int reservedFlags, boolean enable,
                                           int amplitudeMicroAmps, int pulseWidthMicros, int frequencyHz,
                                           Waveform waveform, Pattern pattern, int leaseMillis) {
        step(nowNanos);
        ReplyCode verdict = check(nowNanos, seq, reservedFlags, enable, amplitudeMicroAmps, pulseWidthMicros,
                frequencyHz, waveform, pattern, leaseMillis);
        if (verdict != ReplyCode.OK) {
            cut(nowNanos);
            inForce = false;
            faultBits |= BoardFault.SETPOINT_REJECTED.bit();
            return verdict;
        }
        renew(nowNanos, leaseMillis);
        inForce = true;
        if (!enable) {
            cut(nowNanos);
            return ReplyCode.OK;
        }
        boolean restart = !enabled || !pattern.equals(this.pattern) || frequencyHz != this.frequencyHz;
        if (!enabled) {
            faultBits &= ~(BoardFault.LEASE_EXPIRED.bit() | BoardFault.SETPOINT_REJECTED.bit());
            peakMicroAmps = amplitudeMicroAmps;
            headroomMicroAmps = slewBucketMicroAmps();
            headroomAtNanos = nowNanos;
        } else if (amplitudeMicroAmps > peakMicroAmps) {
            headroomMicroAmps = headroom(nowNanos) - (amplitudeMicroAmps - peakMicroAmps);
            headroomAtNanos = nowNanos;
            peakMicroAmps = amplitudeMicroAmps;
        }
        this.enabled = true;
        this.amplitudeMicroAmps = amplitudeMicroAmps;
        this.pulseWidthMicros = pulseWidthMicros;
        this.frequencyHz = frequencyHz;
        this.waveform = waveform;
        this.pattern = pattern;
        if (restart) {
            waveStartNanos = nowNanos;
            nextPulseNanos = nowNanos;
            pulseInTrain = 0;
            trainIndex = 0;
        }
        return ReplyCode.OK;
    }

    private ReplyCode check(long nowNanos, int seq, int reservedFlags, boolean enable, int amplitudeMicroAmps,
                            int pulseWidthMicros, int frequencyHz, Waveform waveform, Pattern pattern, int leaseMillis) {
        if (reservedFlags != 0) {
            return ReplyCode.BAD_FLAGS;
        }
        if (leaseMillis < caps.minLeaseMillis || leaseMillis > caps.maxLeaseMillis) {
            return ReplyCode.BAD_LEASE;
        }
        if (!enable) {
            return ReplyCode.OK;
        }
        if (seq == 0) {
            return ReplyCode.BAD_SEQ;
        }
        if (waveform == null || pattern == null || !patternRunnable(pattern, frequencyHz)) {
            return ReplyCode.BAD_WAVEFORM;
        }
        if (amplitudeMicroAmps < 0 || amplitudeMicroAmps > caps.hardwareMaxMicroAmps) {
            return ReplyCode.BAD_AMPLITUDE;
        }
        if (pulseWidthMicros < caps.minPulseWidthMicros || pulseWidthMicros > caps.maxPulseWidthMicros
                || (pattern.modulationCode() == Pattern.WIDTH && troughWidth(pattern, pulseWidthMicros) < caps.minPulseWidthMicros)) {
            return ReplyCode.BAD_PULSE_WIDTH;
        }
        if (frequencyHz < caps.minFrequencyHz || frequencyHz > caps.maxFrequencyHz
                || (pattern.modulationCode() == Pattern.RATE && frequencyHz * pattern.troughFactor() < caps.minFrequencyHz)) {
            return ReplyCode.BAD_FREQUENCY;
        }
        // modulation only scales down from the SETPOINT's values, so its peak is the highest charge of the waveform
        if ((long) amplitudeMicroAmps * pulseWidthMicros > (long) caps.maxChargeNanoCoulombs * 1000L) {
            return ReplyCode.BAD_CHARGE;
        }
        if ((faultBits & latchedMask()) != 0) {
            return ReplyCode.FAULT_LATCHED;
        }
        if (!enabled && amplitudeMicroAmps > caps.maxArmMicroAmps) {
            return ReplyCode.NOT_ARMED;
        }
        if (enabled && slewMicroAmpsPerSecond > 0 && amplitudeMicroAmps - peakMicroAmps > headroom(nowNanos)) {
            return ReplyCode.BAD_SLEW;
        }
        return ReplyCode.OK;
    }

    private boolean patternRunnable(Pattern p, int frequencyHz) {
        if ((p.needs() & ~caps.capabilities) != 0) {
            return false;
        }
        if (p.modulates() && (p.modulationCode() < Pattern.AMPLITUDE || p.modulationCode() > Pattern.RATE
                || p.depthPercent() < 1 || p.depthPercent() > 90
                || p.modulationPeriodMillis() < 100 || p.modulationPeriodMillis() > 600_000)) {
            return false;
        }
        if (p.modulationCode() < 0 || p.modulationCode() > Pattern.RATE) {
            return false;
        }
        if (p.bursts()) {
            if (p.burstPeriodMicros() < 10_000 || p.burstPeriodMicros() > 10_000_000
                    || p.pulsesPerTrain() < 1 || p.pulsesPerTrain() > 255 || frequencyHz <= 0) {
                return false;
            }
            // the whole train, at the slowest rate the modulation reaches, ends before the next one starts
            double slowestHz = frequencyHz * (p.modulationCode() == Pattern.RATE ? p.troughFactor() : 1.0);
            return p.pulsesPerTrain() * 1e6 / slowestHz < p.burstPeriodMicros();
        }
        return true;
    }

    private static int troughWidth(Pattern p, int pulseWidthMicros) {
        return (int) Math.round(pulseWidthMicros * p.troughFactor());
    }

    /** Headroom above the peak now: refills at the slew rate, holds at most one bucket. */
    private long headroom(long nowNanos) {
        double refill = slewMicroAmpsPerSecond * ((nowNanos - headroomAtNanos) / 1e9);
        return (long) Math.min(slewBucketMicroAmps(), headroomMicroAmps + refill);
    }

    /** How far above its peak the amplitude may go at once: the arming step, or a quarter second of slew. */
    private long slewBucketMicroAmps() {
        return Math.max(caps.maxArmMicroAmps, slewMicroAmpsPerSecond / 4L);
    }

    /**
     * The slew limit of this session (HELLO): the host's wish capped by the board's own maximum; 0 asks for
     * the board's maximum. Returns the limit in force (µA/s; 0 = none, on a board without one).
     */
    public synchronized int configureSlew(int requestedMicroAmpsPerSecond) {
        int max = caps.maxSlewMicroAmpsPerSecond;
        if (requestedMicroAmpsPerSecond <= 0) {
            slewMicroAmpsPerSecond = max;
        } else {
            slewMicroAmpsPerSecond = max == 0 ? requestedMicroAmpsPerSecond : Math.min(max, requestedMicroAmpsPerSecond);
        }
        return slewMicroAmpsPerSecond;
    }

    public synchronized int slewMicroAmpsPerSecond() { return slewMicroAmpsPerSecond; }

    /**
     * Renew the lease without changing the output: only while a setpoint is in force (any cut — lease
     * expiry, refusal, latched fault, HELLO, reset — ends it, so a heartbeat can never revive or prolong a
     * lease for output the board has already cut). Lease out of range: refused, nothing renewed, output as is.
     */
    public synchronized ReplyCode heartbeat(long nowNanos, int leaseMillis) {
        step(nowNanos);
        if (!inForce) {
            return ReplyCode.STALE_SETPOINT;
        }
        if (leaseMillis < caps.minLeaseMillis || leaseMillis > caps.maxLeaseMillis) {
            return ReplyCode.BAD_LEASE;
        }
        renew(nowNanos, leaseMillis);
        return ReplyCode.OK;
    }

    /** True while an accepted SETPOINT is in force (no cut since): what STATUS lastSetpointSeq refers to. */
    public synchronized boolean setpointInForce(long nowNanos) {
        step(nowNanos);
        return inForce;
    }

    /** Receives every pulse the board generates from now on (the emulator's pulse timeline); null for none. */
    public synchronized void pulseSink(PulseSink sink) { this.pulseSink = sink; }

    /** Advance board time: expire the lease when {@code now >= deadline}. Every other method calls it first. */
    public synchronized void step(long nowNanos) {
        lastNowNanos = nowNanos;
        long until = leaseRunning && nowNanos - leaseDeadlineNanos >= 0 ? leaseDeadlineNanos : nowNanos + 1;
        emitPulses(until);
        if (leaseRunning && nowNanos - leaseDeadlineNanos >= 0) {
            leaseRunning = false;
            inForce = false;
            if (enabled) {
                faultBits |= BoardFault.LEASE_EXPIRED.bit();
            }
            cut(leaseDeadlineNanos);    // firmware checks every millisecond: the cut is at the deadline
        }
    }

    /** Pulses scheduled before {@code untilNanos} (exclusive), in order, while output is on. */
    private void emitPulses(long untilNanos) {
        while (enabled && untilNanos - nextPulseNanos > 0) {
            long t = nextPulseNanos;
            double k = pattern.factor(t - waveStartNanos);
            int amp = pattern.modulationCode() == Pattern.AMPLITUDE ? (int) (amplitudeMicroAmps * k) : amplitudeMicroAmps;
            int width = pattern.modulationCode() == Pattern.WIDTH ? (int) Math.round(pulseWidthMicros * k) : pulseWidthMicros;
            if (pulseSink != null) {
                pulseSink.pulse(t, lastNowNanos, amp, width);
            }
            pulses++;
            double hz = frequencyHz * (pattern.modulationCode() == Pattern.RATE ? k : 1.0);
            long next = t + Math.round(1e9 / hz);
            if (pattern.bursts()) {
                long period = pattern.burstPeriodMicros() * 1_000L;
                long nextTrain = waveStartNanos + (trainIndex + 1) * period;
                if (++pulseInTrain >= pattern.pulsesPerTrain() || next - nextTrain >= 0) {
                    trainIndex++;
                    pulseInTrain = 0;
                    next = nextTrain;
                }
            }
            nextPulseNanos = next;
        }
    }

    /** What the board would report now; {@code receivedAtNanos} is {@code nowNanos} (in-process, no link delay). */
    public synchronized StimStatus status(long nowNanos) {
        step(nowNanos);
        int measured = 0;
        int impedance = StimStatus.IMPEDANCE_UNKNOWN;
        if (enabled) {
            // The board probes impedance with a sub-sensory pulse whenever output is enabled, so the host
            // can check contact before it ramps up.
            impedance = Math.max(1, (int) Math.round(impedanceOhms * (1.0 + 0.005 * noise.nextGaussian())));
            long complianceLimitedMicroAmps = (long) caps.complianceVolts * 1_000_000L / Math.max(1, impedanceOhms);
            double delivered = Math.min(amplitudeMicroAmps, complianceLimitedMicroAmps);
            if (delivered > 0) {
                double sigma = 0.003 * delivered + 5.0;
                measured = (int) Math.max(0, Math.round(delivered * (1.0 + measuredGainError) + sigma * noise.nextGaussian()));
            }
        }
        return new StimStatus(nowNanos, measured, impedance, faultBits, enabled, leaseRemainingMillis(nowNanos), bootCount);
    }

    /** Milliseconds left on the lease (0 when none is running), rounded down. */
    public synchronized int leaseRemainingMillis(long nowNanos) {
        if (!leaseRunning) {
            return 0;
        }
        long left = leaseDeadlineNanos - nowNanos;
        return left <= 0 ? 0 : (int) (left / 1_000_000L);
    }

    /**
     * CLEAR_FAULT: drops the latched OVERCURRENT/OVERVOLTAGE bits and the informational LEASE_EXPIRED /
     * SETPOINT_REJECTED bits. Output stays off; the host re-arms from zero. SELF_TEST needs a reset.
     */
    public synchronized ReplyCode clearFault(long nowNanos) {
        step(nowNanos);
        if (causePresent && (faultBits & (BoardFault.OVERCURRENT.bit() | BoardFault.OVERVOLTAGE.bit())) != 0) {
            return ReplyCode.CAUSE_PRESENT;     // e.g. the output stage is still shorted: nothing cleared
        }
        faultBits &= BoardFault.SELF_TEST.bit();
        return ReplyCode.OK;
    }

    /** The cause of a latched OVERCURRENT/OVERVOLTAGE persists (a shorted stage): CLEAR_FAULT is refused meanwhile. */
    public synchronized void causePresent(boolean present) { this.causePresent = present; }

    /** Output off without touching lease or faults: a new host session (HELLO) always starts from zero. */
    public synchronized void switchOff(long nowNanos) {
        step(nowNanos);
        cut(nowNanos);
        inForce = false;
    }

    /** Power cycle / watchdog reset: boot count increments, output off, faults, lease and setpoint forgotten. */
    public synchronized void reset(long nowNanos) {
        bootCount++;
        if (enabled) {
            outputOffAtNanos = nowNanos;
        }
        enabled = false;
        amplitudeMicroAmps = 0;
        pulseWidthMicros = 0;
        frequencyHz = 0;
        waveform = Waveform.SYMMETRIC_BIPHASIC;
        pattern = Pattern.CONTINUOUS;
        leaseRunning = false;
        inForce = false;
        faultBits = 0;
        slewMicroAmpsPerSecond = caps.maxSlewMicroAmpsPerSecond;
    }

    // --- injections for tests and the simulator -------------------------------------------------

    /** Electrode contact: ~1 kΩ stuck on skin; a lifted electrode is tens of kΩ to open circuit. */
    public synchronized void setImpedanceOhms(int ohms) {
        if (ohms <= 0) {
            throw new IllegalArgumentException("impedance must be positive: " + ohms);
        }
        this.impedanceOhms = ohms;
    }

    /** The output-stage comparator trips: output cut, OVERCURRENT latched until CLEAR_FAULT or reset. */
    public synchronized void injectOvercurrent() { latch(BoardFault.OVERCURRENT); }

    /** The boost-converter monitor trips: output cut, OVERVOLTAGE latched until CLEAR_FAULT or reset. */
    public synchronized void injectOvervoltage() { latch(BoardFault.OVERVOLTAGE); }

    /** A failed power-on self-test: output refused until reset. */
    public synchronized void injectSelfTestFailure() { latch(BoardFault.SELF_TEST); }

    /** Relative error of the current measurement (0.1 = reads 10 % high), to exercise the host's cross-checks. */
    public synchronized void setMeasuredGainError(double relative) { this.measuredGainError = relative; }

    // --- read-outs ----------------------------------------------------------------------------

    public synchronized int bootCount() { return bootCount; }

    public synchronized boolean outputEnabled(long nowNanos) {
        step(nowNanos);
        return enabled;
    }

    /** The amplitude the output stage is set to now (0 when off). */
    public synchronized int appliedAmplitudeMicroAmps(long nowNanos) {
        step(nowNanos);
        return enabled ? amplitudeMicroAmps : 0;
    }

    public synchronized int appliedPulseWidthMicros() { return enabled ? pulseWidthMicros : 0; }

    public synchronized int appliedFrequencyHz() { return enabled ? frequencyHz : 0; }

    public synchronized Waveform waveform() { return waveform; }

    /** The board-timed shape in force (v2), {@link Pattern#CONTINUOUS} otherwise. */
    public synchronized Pattern pattern() { return pattern; }

    /** Pulses generated since start. */
    public synchronized long pulses() { return pulses; }

    /**
     * When the output last went from on to off (board time), or {@link Long#MIN_VALUE}: for lease measurements.
     * A lease cut is dated at the deadline, as firmware checking every millisecond cuts it, however late the
     * emulator's thread got round to {@link #step}.
     */
    public synchronized long outputOffAtNanos() { return outputOffAtNanos; }

    /** When the lease was last renewed (accepted SETPOINT or HEARTBEAT), or {@link Long#MIN_VALUE}. */
    public synchronized long lastRenewNanos() { return lastRenewNanos; }

    public synchronized int faultBits(long nowNanos) {
        step(nowNanos);
        return faultBits;
    }

    private void latch(BoardFault fault) {
        faultBits |= fault.bit();
        cut(lastNowNanos);
        inForce = false;
    }

    private static int latchedMask() {
        return BoardFault.OVERCURRENT.bit() | BoardFault.OVERVOLTAGE.bit() | BoardFault.SELF_TEST.bit();
    }

    private void renew(long nowNanos, int leaseMillis) {
        lastRenewNanos = nowNanos;
        leaseRunning = true;
        leaseDeadlineNanos = nowNanos + leaseMillis * 1_000_000L;
    }

    private void cut(long nowNanos) {
        if (enabled) {
            outputOffAtNanos = nowNanos;
        }
        enabled = false;
        amplitudeMicroAmps = 0;
        peakMicroAmps = 0;
    }
}

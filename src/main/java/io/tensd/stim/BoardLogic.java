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
     */
    public record Caps(int hardwareMaxMicroAmps, int minPulseWidthMicros, int maxPulseWidthMicros,
                       int minFrequencyHz, int maxFrequencyHz, int maxChargeNanoCoulombs, int complianceVolts,
                       int minLeaseMillis, int maxLeaseMillis, int maxArmMicroAmps) {
        public Caps {
            if (hardwareMaxMicroAmps <= 0 || minPulseWidthMicros <= 0 || maxPulseWidthMicros < minPulseWidthMicros
                    || minFrequencyHz <= 0 || maxFrequencyHz < minFrequencyHz || maxChargeNanoCoulombs <= 0
                    || complianceVolts <= 0 || minLeaseMillis <= 0 || maxLeaseMillis < minLeaseMillis
                    || maxArmMicroAmps < 0 || maxArmMicroAmps > hardwareMaxMicroAmps) {
                throw new IllegalArgumentException("inconsistent board caps: " + this);
            }
        }

        /**
         * The reference board: 100 mA, 20–500 µs, 1–200 Hz, 30 µC per phase (above the limits file's
         * default 25 µC so the limits file is the one that bites first), 60 V compliance, lease
         * 10–1000 ms, re-arm at most 2 mA.
         */
        public static Caps defaults() {
            return new Caps(100_000, 20, 500, 1, 200, 30_000, 60, 10, 1000, 2_000);
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

    public BoardLogic(Caps caps) { this(caps, 0x5EED_B0A2DL); }

    /** @param seed seeds the measurement noise, so a simulated session is reproducible */
    public BoardLogic(Caps caps, long seed) {
        this.caps = caps;
        this.noise = new Random(seed);
    }

    public Caps caps() { return caps; }

    /** {@link #setpoint(long, boolean, int, int, int, Waveform, int)} with the default waveform. */
    public ReplyCode setpoint(long nowNanos, boolean enable, int amplitudeMicroAmps, int pulseWidthMicros,
                              int frequencyHz, int leaseMillis) {
        return setpoint(nowNanos, enable, amplitudeMicroAmps, pulseWidthMicros, frequencyHz,
                Waveform.SYMMETRIC_BIPHASIC, leaseMillis);
    }

    /** Apply a setpoint; see the class comment for what is refused and what a refusal does. */
    public synchronized ReplyCode setpoint(long nowNanos, boolean enable, int amplitudeMicroAmps, int pulseWidthMicros,
                                           int frequencyHz, Waveform waveform, int leaseMillis) {
        step(nowNanos);
        ReplyCode verdict = check(enable, amplitudeMicroAmps, pulseWidthMicros, frequencyHz, waveform, leaseMillis);
        if (verdict != ReplyCode.OK) {
            cut();
            faultBits |= BoardFault.SETPOINT_REJECTED.bit();
            return verdict;
        }
        renew(nowNanos, leaseMillis);
        if (!enable) {
            cut();
            return ReplyCode.OK;
        }
        if (!enabled) {
            faultBits &= ~(BoardFault.LEASE_EXPIRED.bit() | BoardFault.SETPOINT_REJECTED.bit());
        }
        this.enabled = true;
        this.amplitudeMicroAmps = amplitudeMicroAmps;
        this.pulseWidthMicros = pulseWidthMicros;
        this.frequencyHz = frequencyHz;
        this.waveform = waveform;
        return ReplyCode.OK;
    }

    private ReplyCode check(boolean enable, int amplitudeMicroAmps, int pulseWidthMicros, int frequencyHz,
                            Waveform waveform, int leaseMillis) {
        if (leaseMillis < caps.minLeaseMillis || leaseMillis > caps.maxLeaseMillis) {
            return ReplyCode.BAD_LEASE;
        }
        if (!enable) {
            return ReplyCode.OK;
        }
        if (waveform == null) {
            return ReplyCode.BAD_WAVEFORM;
        }
        if (amplitudeMicroAmps < 0 || amplitudeMicroAmps > caps.hardwareMaxMicroAmps) {
            return ReplyCode.BAD_AMPLITUDE;
        }
        if (pulseWidthMicros < caps.minPulseWidthMicros || pulseWidthMicros > caps.maxPulseWidthMicros) {
            return ReplyCode.BAD_PULSE_WIDTH;
        }
        if (frequencyHz < caps.minFrequencyHz || frequencyHz > caps.maxFrequencyHz) {
            return ReplyCode.BAD_FREQUENCY;
        }
        if ((long) amplitudeMicroAmps * pulseWidthMicros > (long) caps.maxChargeNanoCoulombs * 1000L) {
            return ReplyCode.BAD_CHARGE;
        }
        if ((faultBits & latchedMask()) != 0) {
            return ReplyCode.FAULT_LATCHED;
        }
        if (!enabled && amplitudeMicroAmps > caps.maxArmMicroAmps) {
            return ReplyCode.NOT_ARMED;
        }
        return ReplyCode.OK;
    }

    /** Renew the lease without changing the output. Refused (lease not renewed) when out of range. */
    public synchronized ReplyCode heartbeat(long nowNanos, int leaseMillis) {
        step(nowNanos);
        if (leaseMillis < caps.minLeaseMillis || leaseMillis > caps.maxLeaseMillis) {
            return ReplyCode.BAD_LEASE;
        }
        renew(nowNanos, leaseMillis);
        return ReplyCode.OK;
    }

    /** Advance board time: expire the lease when {@code now >= deadline}. Every other method calls it first. */
    public synchronized void step(long nowNanos) {
        if (leaseRunning && nowNanos - leaseDeadlineNanos >= 0) {
            leaseRunning = false;
            if (enabled) {
                faultBits |= BoardFault.LEASE_EXPIRED.bit();
            }
            cut();
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
        faultBits &= BoardFault.SELF_TEST.bit();
        return ReplyCode.OK;
    }

    /** Output off without touching lease or faults: a new host session (HELLO) always starts from zero. */
    public synchronized void switchOff(long nowNanos) {
        step(nowNanos);
        cut();
    }

    /** Power cycle / watchdog reset: boot count increments, output off, faults, lease and setpoint forgotten. */
    public synchronized void reset(long nowNanos) {
        bootCount++;
        enabled = false;
        amplitudeMicroAmps = 0;
        pulseWidthMicros = 0;
        frequencyHz = 0;
        waveform = Waveform.SYMMETRIC_BIPHASIC;
        leaseRunning = false;
        faultBits = 0;
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

    public synchronized int faultBits(long nowNanos) {
        step(nowNanos);
        return faultBits;
    }

    private void latch(BoardFault fault) {
        faultBits |= fault.bit();
        cut();
    }

    private static int latchedMask() {
        return BoardFault.OVERCURRENT.bit() | BoardFault.OVERVOLTAGE.bit() | BoardFault.SELF_TEST.bit();
    }

    private void renew(long nowNanos, int leaseMillis) {
        leaseRunning = true;
        leaseDeadlineNanos = nowNanos + leaseMillis * 1_000_000L;
    }

    private void cut() {
        enabled = false;
        amplitudeMicroAmps = 0;
    }
}

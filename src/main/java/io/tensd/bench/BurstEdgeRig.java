package io.tensd.bench;

import io.tensd.config.Limits;
import io.tensd.loop.Clock;
import io.tensd.loop.DeviceController;
import io.tensd.safety.FaultCode;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.Verdict;
import io.tensd.session.CommandOutcome;
import io.tensd.session.EventSink;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionSettings;
import io.tensd.session.SessionState;
import io.tensd.sim.SerialStimLink;
import io.tensd.sim.SimDevice;
import io.tensd.stim.Pattern;
import io.tensd.therapy.Prescription;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * A burst session driven by the real loop ({@link DeviceController}, 100 Hz on the real clock) through the real host
 * link ({@code SerialStimulator}, jSerialComm, socat ptys) to the emulated board, and the train edges read from the
 * board's pulse timeline (the time each pulse is scheduled, as a hardware timer fires it). A v2 board times the
 * trains itself; a v1 board (or one without the capability) gets the host's gate at loop ticks. After the timed
 * window the loop stops while the session is stimulating, and the board's own output-off time is taken.
 *
 * <p>Prescription: burst, 2 trains/s of 8 pulses at 80 Hz, 200 µs, 10 mA: trains start every 500 ms and last
 * 87.5 ms from first to last pulse.
 */
public final class BurstEdgeRig {
    private static final long MS = 1_000_000L;
    private static final long TICK = 10 * MS;
    public static final long PERIOD_NANOS = 500 * MS;
    public static final long TRAIN_NANOS = 7 * 12_500_000L;
    public static final double LEVEL_MILLIAMPS = 10.0;

    /**
     * @param boardVersion      the protocol version the host negotiated
     * @param boardRanPattern   the board ran the burst pattern itself at some point
     * @param trains            trains fully inside the window: {scheduled first pulse, scheduled last pulse, pulses}
     * @param startErrorsMs     |train start − (first start + k·period)|, sorted
     * @param endErrorsMs       |train end − (its prescribed start + 87.5 ms)|, sorted
     * @param windowMillis      how long the session was stimulating, fault-free, on every tick
     * @param badTicks          ticks in the window that were not (RAMP_UP/ACTIVE, output enabled, no fault)
     * @param faults            fault bits seen on any tick of the run
     * @param offPhaseFrames    status frames showing current while the host's own envelope was 0 (board in its train)
     * @param maxPulseMicroAmps largest pulse amplitude on the timeline
     * @param offAfterStopMs    board output off, after the loop's last tick (ms); NaN if the board never cut
     * @param firstBadMs        first tick in the window that was not live, ms into the window; −1 for none
     */
    public record Result(int boardVersion, boolean boardRanPattern, List<long[]> trains, double[] startErrorsMs,
                         double[] endErrorsMs, long windowMillis, long badTicks, long faults, long offPhaseFrames,
                         int maxPulseMicroAmps, double offAfterStopMs, long firstBadMs) {
        public boolean live() { return badTicks == 0 && faults == 0 && windowMillis > 0; }

        public double maxEdgeErrorMs() {
            return Math.max(max(startErrorsMs), max(endErrorsMs));
        }

        public String describe() {
            return String.format(java.util.Locale.ROOT, "v%d board (%s): %d trains in %.1f s; start error p50 %.3f ms max %.3f ms,"
                            + " end error p50 %.3f ms max %.3f ms; %d status frames with current while the host envelope was 0;"
                            + " max pulse %d µA; board off %.1f ms after the loop's last tick; faults %s%s",
                    boardVersion, boardRanPattern ? "board-timed" : "host-gated", trains.size(), windowMillis / 1000.0,
                    p50(startErrorsMs), max(startErrorsMs), p50(endErrorsMs), max(endErrorsMs), offPhaseFrames,
                    maxPulseMicroAmps, offAfterStopMs, faults == 0 ? "none" : FaultCode.join(faults, ","),
                    firstBadMs < 0 ? "" : " (first tick off at " + firstBadMs + " ms into the window)");
        }
    }

    public static double p50(double[] sorted) { return sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2]; }

    public static double max(double[] sorted) { return sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1]; }

    public static Prescription prescription() {
        return new Prescription("burst", 80, 200, LEVEL_MILLIAMPS, LEVEL_MILLIAMPS, 30, Optional.empty(),
                Map.of("burstRateHz", 2.0, "pulsesPerBurst", 8.0), Optional.empty(), Optional.of(LiveSession.SCREENING));
    }

    private record Pulse(long scheduled, int microAmps) { }

    private BurstEdgeRig() { }

    /**
     * One run: {@code windowMillis} of stimulation after the session enters RAMP_UP, then the loop stops.
     *
     * @param dir          an existing directory for the socat ptys
     * @param boardVersion highest protocol version the emulated board speaks (1: no patterns)
     */
    public static Result run(Path dir, int boardVersion, long windowMillis, long seed) {
        Clock clock = Clock.SYSTEM;
        Limits limits = Limits.defaults();
        warmUp(limits);
        SimDevice dev = new SimDevice(clock, limits, seed, SerialStimLink.emulated(dir, seed, boardVersion));
        List<Pulse> pulses = new ArrayList<>();
        boolean[] ranPattern = new boolean[1];
        Pattern burst = Pattern.burst(2, 8);
        try {
            int version = ((SerialStimLink) dev.link()).serialStimulator().board().orElseThrow().version();
            // the in-process status model starts at time 0: bring it to the real clock before the loop's first tick
            dev.advance(clock.nanos());
            DeviceController c = new DeviceController(dev.io(), limits, SafetySettings.defaults(), SessionSettings.defaults(),
                    EventSink.NONE, () -> "burst-edges");
            CommandOutcome[] started = new CommandOutcome[1];
            c.submit(new SessionCommand.StartSession(prescription(), SessionCommand.Source.LOCAL), o -> started[0] = o);
            long next = clock.nanos();
            long windowStart = -1;
            long windowEnd = -1;
            long badTicks = 0;
            long firstBad = -1;
            long faults = 0;
            long offPhaseFrames = 0;
            long lastFrame = Long.MIN_VALUE;
            long lastTick = next;
            long giveUp = next + 10_000 * MS;
            while (true) {
                LockSupport.parkNanos(next - clock.nanos());
                long now = clock.nanos();
                dev.advance(now);
                c.tick(now);
                lastTick = now;
                Verdict v = c.verdict();
                faults |= v.faultBits();
                SessionState s = c.session().state();
                if (windowStart < 0 && s == SessionState.RAMP_UP) {
                    windowStart = now;
                    windowEnd = now + windowMillis * MS;
                    synchronized (pulses) {
                        pulses.clear();
                    }
                    dev.board().pulseSink((sched, emitted, amp, width) -> {
                        synchronized (pulses) {
                            pulses.add(new Pulse(sched, amp));
                        }
                    });
                }
                if (windowStart >= 0) {
                    boolean live = (s == SessionState.RAMP_UP || s == SessionState.ACTIVE) && v.stimEnabled() && !v.faulted();
                    badTicks += live ? 0 : 1;
                    if (!live && firstBad < 0) {
                        firstBad = (now - windowStart) / MS;
                    }
                    ranPattern[0] |= dev.board().pattern().equals(burst);
                    var st = c.inputs().stim();
                    if (st.receivedAtNanos() != lastFrame) {
                        lastFrame = st.receivedAtNanos();
                        if (v.stimMilliAmps() == 0 && v.levelMilliAmps() > 0 && st.measuredMicroAmps() > 0) {
                            offPhaseFrames++;
                        }
                    }
                    if (now >= windowEnd) {
                        break;
                    }
                } else if (now > giveUp || (started[0] != null && started[0].status() == CommandOutcome.Status.REJECTED)) {
                    break;
                }
                next += TICK;
                if (next - clock.nanos() < 0) {
                    next = clock.nanos();   // a late tick is taken now, never made up with a burst of ticks
                }
            }
            // The loop stops here with the session stimulating: the board must cut by itself.
            LockSupport.parkNanos(400 * MS);
            long off = dev.board().outputOffAtNanos();
            dev.board().pulseSink(null);
            double offAfterMs = off == Long.MIN_VALUE || off < lastTick ? Double.NaN : (off - lastTick) / 1e6;
            List<Pulse> window;
            synchronized (pulses) {
                window = new ArrayList<>(pulses);
            }
            long stoppedAt = lastTick;
            window.removeIf(p -> p.scheduled() > stoppedAt);
            List<long[]> trains = trains(window);
            int maxAmp = window.stream().mapToInt(Pulse::microAmps).max().orElse(0);
            double[][] err = errors(trains);
            long windowMs = windowStart < 0 ? 0 : (lastTick - windowStart) / MS;
            return new Result(version, ranPattern[0], trains, err[0], err[1], windowMs, windowStart < 0 ? -1 : badTicks,
                    faults, offPhaseFrames, maxAmp, offAfterMs, firstBad);
        } finally {
            dev.closeLink();
        }
    }

    /**
     * The same session once in virtual time on a throwaway in-process device: a fresh JVM links the loop's code
     * paths on first use (tens of ms), which on the real clock would be a loop overrun (as the daemon's warm-up).
     */
    private static void warmUp(Limits limits) {
        io.tensd.loop.VirtualClock vc = new io.tensd.loop.VirtualClock(0);
        SimDevice dev = new SimDevice(vc, limits, 1);
        DeviceController c = new DeviceController(dev.io(), limits, SafetySettings.defaults(), SessionSettings.defaults(),
                EventSink.NONE, () -> "warm-up");
        c.submit(new SessionCommand.StartSession(prescription(), SessionCommand.Source.LOCAL), o -> { });
        for (int i = 0; i < 800; i++) {
            vc.advance(TICK);
            dev.advance(vc.nanos());
            c.tick(vc.nanos());
            c.snapshot();
        }
    }

    /** Trains from pulses with current; the first and last are dropped (cut by the ramp's start and the stop). */
    private static List<long[]> trains(List<Pulse> pulses) {
        List<long[]> out = new ArrayList<>();
        long[] cur = null;
        long prev = Long.MIN_VALUE;
        for (Pulse p : pulses) {
            if (p.microAmps() == 0) {
                continue;
            }
            if (cur == null || p.scheduled() - prev > 100 * MS) {
                if (cur != null) {
                    out.add(cur);
                }
                cur = new long[]{p.scheduled(), p.scheduled(), 1};
            } else {
                cur[1] = p.scheduled();
                cur[2]++;
            }
            prev = p.scheduled();
        }
        if (cur != null) {
            out.add(cur);
        }
        return out.size() > 2 ? new ArrayList<>(out.subList(1, out.size() - 1)) : List.of();
    }

    private static double[][] errors(List<long[]> trains) {
        double[] start = new double[trains.size()];
        double[] end = new double[trains.size()];
        long origin = trains.isEmpty() ? 0 : trains.get(0)[0];
        for (int i = 0; i < trains.size(); i++) {
            long[] t = trains.get(i);
            long k = Math.round((double) (t[0] - origin) / PERIOD_NANOS);
            long want = origin + k * PERIOD_NANOS;
            start[i] = Math.abs(t[0] - want) / 1e6;
            end[i] = Math.abs(t[1] - (want + TRAIN_NANOS)) / 1e6;
        }
        Arrays.sort(start);
        Arrays.sort(end);
        return new double[][]{start, end};
    }
}

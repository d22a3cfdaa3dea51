package io.tensd.sim.fuzz;

import io.tensd.config.Limits;
import io.tensd.safety.FaultCode;
import io.tensd.safety.HardwareCaps;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.ThermalLimits;
import io.tensd.session.SessionEvent;
import io.tensd.session.SessionSettings;
import io.tensd.sim.scenario.Action;
import io.tensd.sim.scenario.InjectTarget;
import io.tensd.sim.scenario.RunReport;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.TimelineEntry;
import io.tensd.hw.Button;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a scenario run's trace, events and report against the rules of docs/hazards.md, row by row, the way an
 * outside check reads them. Each violation names its hazard row id. Reusable: give it the limits in force, the
 * scenario that ran and what the run produced.
 */
public final class TraceRuleChecker {
    private static final double EPS = 1e-6;
    /** The trace writes mA with 3 decimals, hertz with 2. */
    private static final double MA_ROUND = 0.0005;
    private static final Set<String> CONSTANT_PROGRAMS = Set.of("conventional", "acupuncture-like");

    private final Limits limits;
    private final SafetySettings safety;
    private final SessionSettings session;
    private final ThermalLimits thermal;

    public TraceRuleChecker(Limits limits, SafetySettings safety, SessionSettings session) {
        this.limits = limits;
        this.safety = safety;
        this.session = session;
        this.thermal = ThermalLimits.derive(safety.heatModel(), limits.skinCeilingCelsius());
    }

    /** Every violation found; empty when the run kept every rule. */
    public List<String> check(Scenario scenario, List<TraceRow> rows, List<SessionEvent> events, RunReport report) {
        List<String> out = new ArrayList<>();
        Timeline tl = new Timeline(scenario.timeline());
        double sessionMax = events.stream().filter(e -> e.type().equals("session-started"))
                .mapToDouble(e -> ((Number) e.data().get("maxMa")).doubleValue()).max().orElse(0);
        boolean constant = CONSTANT_PROGRAMS.contains(scenario.prescription().program());
        double ampCap = Math.min(limits.maxMilliAmps(), HardwareCaps.MAX_MILLIAMPS);
        int pwMin = Math.max(limits.minPulseWidthMicros(), HardwareCaps.MIN_PULSE_WIDTH_MICROS);
        int pwMax = Math.min(limits.maxPulseWidthMicros(), HardwareCaps.MAX_PULSE_WIDTH_MICROS);
        double hzMin = Math.max(limits.minFrequencyHz(), HardwareCaps.MIN_FREQUENCY_HZ);
        double hzMax = Math.min(limits.maxFrequencyHz(), HardwareCaps.MAX_FREQUENCY_HZ);
        long[] latchedSince = new long[FaultCode.values().length];
        long traceFaults = 0;
        TraceRow prev = null;
        int liftRows = 0;
        for (TraceRow r : rows) {
            String at = "t=" + r.tMs() + "ms " + r.state() + ": ";
            // F1, F2, H-STIM-11: amplitude, charge, width and rate within every limit
            if (r.maCmd() < 0 || r.maCmd() > ampCap + MA_ROUND) {
                out.add("F1 " + at + "amplitude " + r.maCmd() + " outside 0.." + ampCap);
            }
            if (r.maCmd() > sessionMax + MA_ROUND) {
                out.add("F1 " + at + "amplitude " + r.maCmd() + " above the session's maximum " + sessionMax);
            }
            if (r.maCmd() * r.pulseUs() / 1000.0 > limits.maxChargePerPhaseMicroCoulombs() + MA_ROUND * r.pulseUs() / 1000.0 + EPS) {
                out.add("F2 " + at + "charge per phase " + r.maCmd() * r.pulseUs() / 1000.0 + " µC");
            }
            if (r.stimEnabled() && (r.pulseUs() < pwMin || r.pulseUs() > pwMax)) {
                out.add("H-STIM-11 " + at + "pulse width " + r.pulseUs() + " outside " + pwMin + ".." + pwMax);
            }
            if (r.stimEnabled() && (r.freqHz() < hzMin - 0.005 || r.freqHz() > hzMax + 0.005)) {
                out.add("H-STIM-11 " + at + "rate " + r.freqHz() + " outside " + hzMin + ".." + hzMax);
            }
            if (!r.stimEnabled() && r.maCmd() != 0) {
                out.add("F4 " + at + "amplitude " + r.maCmd() + " with the output disabled");
            }
            // F3: no step up faster than the ramp (the supervisor's step is capped at 50 ms)
            if (constant && prev != null && r.maCmd() - prev.maCmd() > limits.maxRampMilliAmpsPerSecond() * 0.05 + 2 * MA_ROUND) {
                out.add("F3 " + at + "step " + prev.maCmd() + " -> " + r.maCmd() + " mA");
            }
            // F4: a latched fault gives the safe state, in the FAULT state
            if (r.faultBits() != 0 && !r.outputsSafe()) {
                out.add("F4 " + at + "faults " + FaultCode.join(r.faultBits(), "|") + " but outputs not safe");
            }
            if (r.faultBits() != 0 && !r.state().equals("FAULT")) {
                out.add("F4 " + at + "faults latched outside the FAULT state");
            }
            // F5: a fault disappears only after a local clear pressed after it latched
            long gone = prev == null ? 0 : prev.faultBits() & ~r.faultBits();
            for (long rest = gone; rest != 0; rest &= rest - 1) {
                int f = Long.numberOfTrailingZeros(rest);
                if (!tl.localClearBetween(latchedSince[f], r.tMs())) {
                    out.add("F5 " + at + FaultCode.ofOrdinal(f).wireName() + " latched at " + latchedSince[f]
                            + " ms gone without a local clear pressed after it latched");
                }
            }
            long fresh = r.faultBits() & ~(prev == null ? 0 : prev.faultBits());
            for (long rest = fresh; rest != 0; rest &= rest - 1) {
                latchedSince[Long.numberOfTrailingZeros(rest)] = r.tMs();
            }
            traceFaults |= r.faultBits();
            // F21: the stimulator enable is down when no output is intended; 0 mA in precheck and pause
            switch (r.state()) {
                case "IDLE", "COMPLETE", "FAULT" -> {
                    if (r.stimEnabled() || r.maCmd() != 0) {
                        out.add("F21 " + at + "stimulator enabled or driven with no session running");
                    }
                }
                case "PAUSED", "PRECHECK" -> {
                    if (r.maCmd() != 0) {
                        out.add("F14 " + at + "amplitude " + r.maCmd() + " while " + r.state());
                    }
                    if (r.state().equals("PAUSED") && r.stimEnabled() && !tl.electrodeLiftBefore(r.tMs())) {
                        out.add("F21 " + at + "enable up while paused with no electrode lift to probe");
                    }
                }
                default -> { }
            }
            // Heat: duty within the cap, enable switch with the duty, heat only while delivering, pad limit
            if (r.heaterDuty() < 0 || r.heaterDuty() > safety.heaterDutyCap() + EPS) {
                out.add("H-HEAT-01 " + at + "duty " + r.heaterDuty());
            }
            if (r.heaterEnabled() != (r.heaterDuty() > 0)) {
                out.add("F16 " + at + "heater enable " + r.heaterEnabled() + " with duty " + r.heaterDuty());
            }
            if (r.heaterDuty() > 0 && !(r.state().equals("RAMP_UP") || r.state().equals("ACTIVE"))) {
                out.add("H-HEAT-08 " + at + "heating in state " + r.state());
            }
            if (r.heaterDuty() > 0 && r.padC() >= thermal.padLimitCelsius() + 0.001) {
                out.add("H-HEAT-09 " + at + "heating with the pad at " + r.padC() + " ≥ its limit " + thermal.padLimitCelsius());
            }
            // F16: a skin reading at the ceiling latches in that row
            if (r.skinC() >= limits.skinCeilingCelsius() && !r.has(FaultCode.SKIN_OVER_CEILING)) {
                out.add("F16 " + at + "skin reads " + r.skinC() + " ≥ ceiling, skin-over-ceiling not latched");
            }
            // H-HEAT-09: the TRUE skin stays under the ceiling while at most one heat channel is faulted
            if (tl.heatChannelsFaulted() <= 1 && limits.skinCeilingCelsius() >= 39 && r.skinModelC() > limits.skinCeilingCelsius()) {
                out.add("H-HEAT-09 " + at + "true skin " + r.skinModelC() + " above the ceiling with a single fault");
            }
            // F13: a lifted electrode pauses at 0 mA (within 3 rows of the board seeing it; stalls excluded)
            liftRows = r.impedanceOhm() > session.maxImpedanceOhms() ? liftRows + 1 : 0;
            if (liftRows >= 3 && !tl.stalledNear(r.tMs()) && !tl.linkImpairedNear(r.tMs()) && (r.state().equals("RAMP_UP") || r.state().equals("ACTIVE"))
                    && r.maCmd() > 0) {
                out.add("F13 " + at + "stimulating at " + r.maCmd() + " mA with the electrode lifted (" + r.impedanceOhm() + " Ω)");
            }
            prev = r;
        }
        // F6, F10: an e-stop press and a stall longer than the lease latch when the loop runs
        long lastRow = rows.isEmpty() ? 0 : rows.get(rows.size() - 1).tMs();
        for (long p : tl.estops) {
            long until = tl.stallEndAfter(p) + 20;
            if (until <= lastRow && rows.stream().noneMatch(r -> r.tMs() >= p && r.tMs() <= until && r.has(FaultCode.ESTOP))) {
                out.add("F6 e-stop pressed at " + p + " ms never latched by " + until + " ms");
            }
        }
        for (long[] s : tl.stalls) {
            if (s[1] - s[0] > limits.stimulatorLeaseMillis() + 10) {
                long back = s[1];
                if (back + 20 <= lastRow && rows.stream().noneMatch(r -> r.tMs() >= back && r.tMs() <= back + 20 && r.has(FaultCode.LOOP_OVERRUN))) {
                    out.add("F10 stall " + s[0] + "–" + s[1] + " ms: loop-overrun not latched when the loop ran again");
                }
            }
        }
        // F20: every fault that latched is in the trace, the events and the report alike
        long eventFaults = 0;
        for (SessionEvent e : events) {
            if (e.type().equals("fault-raised")) {
                eventFaults |= FaultCode.fromWire((String) e.data().get("code")).bit();
            }
        }
        long reportFaults = 0;
        for (RunReport.FaultRecord f : report.faults()) {
            reportFaults |= FaultCode.fromWire(f.code()).bit();
        }
        if (traceFaults != eventFaults || traceFaults != reportFaults) {
            out.add(String.format(Locale.ROOT, "F20 record differs: trace {%s} events {%s} report {%s}",
                    FaultCode.join(traceFaults, ","), FaultCode.join(eventFaults, ","), FaultCode.join(reportFaults, ",")));
        }
        return out;
    }

    /** What the timeline did, in ms of run time. */
    private static final class Timeline {
        final List<Long> localClears = new ArrayList<>();
        final List<Long> estops = new ArrayList<>();
        final List<Long> lifts = new ArrayList<>();
        final List<long[]> stalls = new ArrayList<>();
        /** Stimulator link disconnected, muted or corrupting: [from, to) in ms. */
        final List<long[]> linkImpaired = new ArrayList<>();
        final Set<InjectTarget> heatChannels = java.util.EnumSet.noneOf(InjectTarget.class);

        Timeline(List<TimelineEntry> entries) {
            long impairedSince = -1;
            for (TimelineEntry e : entries) {
                long t = e.atMillis();
                if (e.action() instanceof Action.Press p) {
                    if (p.button() == Button.CLEAR) {
                        localClears.add(t);
                    } else if (p.button() == Button.ESTOP) {
                        estops.add(t);
                    }
                } else if (e.action() instanceof Action.Inject inj) {
                    switch (inj.target()) {
                        case LOOP -> stalls.add(new long[] {t, t + (long) inj.amount()});
                        case STIMULATOR -> {
                            boolean bad = Set.of("disconnect", "mute", "corrupt").contains(inj.value());
                            if (bad && impairedSince < 0) {
                                impairedSince = t;
                            } else if (inj.value().equals("ok") && impairedSince >= 0) {
                                linkImpaired.add(new long[] {impairedSince, t});
                                impairedSince = -1;
                            }
                        }
                        case ELECTRODE -> {
                            if (inj.value().equals("lift")) {
                                lifts.add(t);
                            }
                        }
                        case SKIN_SENSOR, PAD_SENSOR, HEATER -> {
                            if (!inj.value().equals("ok")) {
                                heatChannels.add(inj.target());
                            }
                        }
                        default -> { }
                    }
                }
            }
            if (impairedSince >= 0) {
                linkImpaired.add(new long[] {impairedSince, Long.MAX_VALUE / 2});
            }
        }

        int heatChannelsFaulted() { return heatChannels.size(); }

        /** Frames may be missing: from an impairment until 1 s after the link is healthy again. */
        boolean linkImpairedNear(long tMs) {
            return linkImpaired.stream().anyMatch(s -> tMs >= s[0] && tMs <= s[1] + 1000);
        }

        boolean localClearBetween(long afterMs, long atOrBeforeMs) {
            return localClears.stream().anyMatch(c -> c > afterMs && c <= atOrBeforeMs);
        }

        boolean electrodeLiftBefore(long tMs) { return lifts.stream().anyMatch(l -> l <= tMs); }

        boolean stalledNear(long tMs) { return stalls.stream().anyMatch(s -> tMs >= s[0] - 30 && tMs <= s[1] + 30); }

        /** When the loop next runs after {@code tMs}: the end of a stall covering it, else {@code tMs}. */
        long stallEndAfter(long tMs) {
            long end = tMs;
            for (long[] s : stalls) {
                if (tMs >= s[0] && tMs < s[1]) {
                    end = Math.max(end, s[1]);
                }
            }
            return end;
        }
    }
}

package io.tensd.stim;

import io.tensd.testkit.SeededCases;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Protocol v2 patterns: the board's pulse timeline, its charge check over the whole waveform, and the host's choice. */
class PatternTest {
    private static final long MS = 1_000_000L;
    private static final int CASES = 1_000;

    private record Pulse(long atNanos, int microAmps, int widthMicros) { }

    private static List<Pulse> run(BoardLogic b, long fromNanos, long toNanos, long stepNanos) {
        List<Pulse> pulses = new ArrayList<>();
        b.pulseSink((scheduled, emitted, amp, width) -> pulses.add(new Pulse(scheduled, amp, width)));
        long lastHeartbeat = fromNanos;
        for (long t = fromNanos; t <= toNanos; t += stepNanos) {
            if (t - lastHeartbeat >= 50 * MS) {
                assertEquals(ReplyCode.OK, b.heartbeat(t, 100));
                lastHeartbeat = t;
            }
            b.step(t);
        }
        return pulses;
    }

    @Test
    void burstTrainsStartExactlyOnThePrescribedPeriodAndHoldTheirPulses() {
        BoardLogic b = new BoardLogic(BoardLogic.Caps.defaults(), 1);
        Pattern burst = Pattern.burst(2, 8);        // 2 trains a second, 8 pulses at 80 Hz
        long t0 = 1_000 * MS;
        assertEquals(ReplyCode.OK, b.setpoint(t0, 1, 0, true, 2_000, 200, 80, Waveform.SYMMETRIC_BIPHASIC, burst, 100));
        List<Pulse> pulses = run(b, t0, t0 + 5_000 * MS - 1, 3 * MS);
        assertEquals(10 * 8, pulses.size());
        for (int k = 0; k < 10; k++) {
            for (int j = 0; j < 8; j++) {
                long want = t0 + k * 500 * MS + j * 12_500_000L;
                assertEquals(want, pulses.get(k * 8 + j).atNanos(), "train " + k + " pulse " + j);
            }
        }
        // raising the level keeps the timeline running: the next train is still on the 500 ms grid
        long t = t0 + 5_000 * MS;
        assertEquals(ReplyCode.OK, b.setpoint(t, 2, 0, true, 3_000, 200, 80, Waveform.SYMMETRIC_BIPHASIC, burst, 100));
        List<Pulse> more = run(b, t, t + 600 * MS, 1 * MS);
        assertEquals(t0 + 5_000 * MS + 12_500_000L, more.get(0).atNanos(), "the train in progress goes on");
        assertEquals(t0 + 5_500 * MS, more.get(7).atNanos());
        assertEquals(3_000, more.get(7).microAmps());
    }

    @Test
    void modulationFollowsTheRaisedCosineAndNeverExceedsThePeak() {
        BoardLogic b = new BoardLogic(BoardLogic.Caps.defaults(), 1);
        Pattern m = Pattern.modulated(Pattern.AMPLITUDE, 40, 2_000);
        assertEquals(ReplyCode.OK, b.setpoint(0, 1, 0, true, 2_000, 200, 100, Waveform.SYMMETRIC_BIPHASIC, m, 100));
        List<Pulse> pulses = run(b, 0, 2_000 * MS, MS);
        assertEquals(2_000, pulses.get(0).microAmps(), "starts at the peak");
        assertEquals(1_200, pulses.get(100).microAmps(), "60 % at half the period");
        assertTrue(pulses.stream().allMatch(p -> p.microAmps() <= 2_000 && p.microAmps() >= 1_200));
    }

    /**
     * Whatever pattern and setpoint the board accepts, no pulse of the whole waveform carries more charge per
     * phase than the board's cap, nor exceeds the SETPOINT's amplitude or width, over several envelopes.
     * Seeded; rerun one case with -Dtensd.seed=N.
     */
    @Test
    void chargePerPhaseNeverExceedsTheCapOverAnyEnvelope() {
        SeededCases seeded = SeededCases.sequential(20261202L, CASES);
        List<Optional<Long>> checked = seeded.map(c -> {
            long seed = c.seed();
            Random r = c.random();
            BoardLogic.Caps caps = BoardLogic.Caps.defaults();
            BoardLogic b = new BoardLogic(TestBoards.FAST_SLEW, seed);
            int amp = r.nextInt(caps.maxArmMicroAmps() + 1);
            int pw = 10 + r.nextInt(600);
            int hz = 1 + r.nextInt(250);
            int modulation = r.nextInt(5);
            Pattern p = new Pattern(r.nextBoolean() ? 0 : 5_000 + r.nextInt(2_000_000), r.nextInt(40),
                    modulation, r.nextInt(100), 50 + r.nextInt(20_000));
            if (b.setpoint(0, 1, 0, true, amp, pw, hz, Waveform.SYMMETRIC_BIPHASIC, p, 100) != ReplyCode.OK) {
                return Optional.empty();    // refused: nothing to check
            }
            // the host raises the level within the caps; the board must refuse what breaks the charge cap
            int level = r.nextInt(caps.hardwareMaxMicroAmps() + 1);
            ReplyCode raised = b.setpoint(MS, 2, 0, true, level, pw, hz, Waveform.SYMMETRIC_BIPHASIC, p, 100);
            if ((long) level * pw > caps.maxChargeNanoCoulombs() * 1000L && raised == ReplyCode.OK) {
                fail("seed " + seed + ": accepted " + level + " µA × " + pw + " µs");
            }
            if (raised != ReplyCode.OK) {
                return Optional.empty();
            }
            long pulsesChecked = 0;
            long span = Math.min(8_000L, 2L * Math.max(p.modulationPeriodMillis(), p.burstPeriodMicros() / 1000 + 1));
            for (Pulse pulse : run(b, MS, MS + span * MS, 7 * MS)) {
                pulsesChecked++;
                if ((long) pulse.microAmps() * pulse.widthMicros() > caps.maxChargeNanoCoulombs() * 1000L
                        || pulse.microAmps() > level || pulse.widthMicros() > pw
                        || pulse.widthMicros() < caps.minPulseWidthMicros()) {
                    fail("seed " + seed + ": pulse " + pulse + " of " + p + " at " + level + " µA, " + pw + " µs, " + hz + " Hz");
                }
            }
            return Optional.of(pulsesChecked);
        });
        int cases = seeded.size();
        long accepted = checked.stream().filter(Optional::isPresent).count();
        long pulsesChecked = checked.stream().flatMap(Optional::stream).mapToLong(Long::longValue).sum();
        System.out.printf("charge per phase: %d cases, %d accepted waveforms, %d pulses checked%n", cases, accepted, pulsesChecked);
        assertTrue(cases == 1 || accepted > CASES / 10, "too few accepted cases to mean anything: " + accepted);
    }

    @Test
    void aV2BoardGetsThePatternAndTheLevelAV1BoardGetsTheLevelGatedByTheHost() {
        StimLinkConfig config = StimLinkConfig.defaults("/dev/null", 100);
        Pattern burst = Pattern.burst(2, 8);

        HostProtocol v2 = new HostProtocol(config);
        v2.hello();
        v2.onHelloAck(new Message.HelloAck(2, 1, 0, 0, 1, 1, BoardLogic.Caps.defaults(), 10), 0);
        Frame sp = v2.onTick(0, true, 2_000, 200, 80, burst);
        Message.Setpoint s = assertInstanceOf(Message.Setpoint.class, sp.message());
        assertEquals(2, sp.version());
        assertEquals(burst, s.pattern());
        assertEquals(2_000, s.amplitudeMicroAmps(), "the level, not a gated value");
        v2.onAck(new Message.Ack(sp.seq(), 0x10));
        v2.onStatus(new Message.Status(true, true, 0, 2_000, 1_000, 2_000, 90, sp.seq(), 1, 200), 200 * MS);
        assertInstanceOf(Message.Heartbeat.class, v2.onTick(200 * MS, true, 2_000, 200, 80, burst).message(),
                "between trains a v2 board needs no new setpoint, only its heartbeat");

        HostProtocol v1 = new HostProtocol(config);
        v1.hello();
        v1.onHelloAck(new Message.HelloAck(1, 1, 0, 0, 1, 1, BoardLogic.Caps.defaults().withCapabilities(0), 10), 0);
        Frame on = v1.onTick(0, true, 2_000, 200, 80, burst);
        assertEquals(1, on.version());
        assertEquals(2_000, ((Message.Setpoint) on.message()).amplitudeMicroAmps(), "inside the first train");
        v1.onAck(new Message.Ack(on.seq(), 0x10));
        v1.onStatus(new Message.Status(true, true, 0, 2_000, 1_000, 2_000, 90, on.seq(), 1, 110), 110 * MS);
        Frame gap = v1.onTick(110 * MS, true, 2_000, 200, 80, burst);
        assertNotNull(gap);
        assertEquals(0, ((Message.Setpoint) gap.message()).amplitudeMicroAmps(), "after 8 pulses at 80 Hz: between trains");
        assertEquals(Pattern.CONTINUOUS, ((Message.Setpoint) gap.message()).pattern());
    }
}

package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.loop.DeviceController;
import io.tensd.loop.VirtualClock;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.Verdict;
import io.tensd.session.EventSink;
import io.tensd.session.SessionSettings;
import io.tensd.sim.SimDevice;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import io.tensd.testkit.SeededCases;
import org.junit.jupiter.api.Test;

/**
 * Remote commands as MQTT may deliver them — duplicated (QoS 1 redelivery, same id), retried with a new id,
 * reordered — through the real {@link CommandHandler} into the real loop (DeviceController + simulated device,
 * virtual time). Invariants at every tick: once the last effective run command (accepted or clamped, not a
 * duplicate) was {@code pause} or {@code stop}, the output is 0 mA; the output never exceeds the prescription.
 * Seeded ({@link SeededCases#sequential}): the failure names the case seed; rerun one case with -Dtensd.seed=N.
 */
class RemoteCommandIdempotencePropertyTest {
    private static final long TICK = 10_000_000L;
    private static final int CASES = SeededCases.casesProperty(2000);
    private static final Instant NOW = Instant.parse("2026-01-01T10:00:00Z");
    private static final String[] KINDS = {"start-session", "pause", "pause", "resume", "resume", "stop", "set-intensity"};
    private static final double RX_MAX = 30;

    @Test
    void noRetryDuplicateOrReorderingEverTurnsTheOutputBackOnAfterPauseOrStop() {
        SeededCases cases = SeededCases.sequential(20261201L, CASES);
        long ticks = cases.map(c -> runCase(c.seed())).stream().mapToLong(Long::longValue).sum();
        System.out.printf("idempotence property: %d sequences, %d ticks%n", cases.size(), ticks);
    }

    /** One delivery: the command's name and the id it travels with. */
    private record Delivery(String name, String id, double milliAmps) { }

    static long runCase(long seed) {
        Random r = new Random(seed);
        VirtualClock clock = new VirtualClock(1_000_000_000L);
        Limits limits = Limits.defaults();
        SimDevice device = new SimDevice(clock, limits, seed);
        long[] sid = {0};
        DeviceController loop = new DeviceController(device.io(), limits, SafetySettings.defaults(), SessionSettings.defaults(),
                EventSink.NONE, () -> "s-" + (++sid[0]));
        List<CommandHandler.Answer> answers = new ArrayList<>();
        CommandHandler handler = new CommandHandler("dev-p", loop, EventSink.NONE, () -> loop.session().sessionId(), () -> { },
                Runnable::run, answers::add, clock, () -> NOW,
                new CommandHandler.Settings(8192, Duration.ofSeconds(300), 1e9, 1e9, true, 4096));

        // the clinician's intent, then what the network makes of it
        List<Delivery> deliveries = new ArrayList<>();
        int commands = 4 + r.nextInt(14);
        for (int i = 0; i < commands; i++) {
            String kind = i == 0 ? "start-session" : KINDS[r.nextInt(KINDS.length)];
            double ma = r.nextDouble() * 60;
            String id = "c" + i;
            deliveries.add(new Delivery(kind, id, ma));
            int extra = r.nextInt(3);
            for (int k = 0; k < extra; k++) {
                boolean newId = r.nextBoolean();
                deliveries.add(new Delivery(kind, newId ? id + "-retry" + k : id, ma));
            }
        }
        for (int i = 1; i < deliveries.size(); i++) {
            if (r.nextInt(4) == 0) { // reordered in flight
                Delivery d = deliveries.get(i);
                deliveries.set(i, deliveries.get(i - 1));
                deliveries.set(i - 1, d);
            }
        }

        long now = clock.nanos();
        long ticks = 0;
        int seen = 0;
        String lastEffective = null;
        double rxMax = Double.NaN;
        int di = 0;
        int tail = 80;
        while (di < deliveries.size() || tail-- > 0) {
            if (di < deliveries.size()) {
                int burst = r.nextInt(5) == 0 ? 1 + r.nextInt(4) : 1; // several in one tick now and then
                for (int b = 0; b < burst && di < deliveries.size(); b++) {
                    handler.handle(request(deliveries.get(di++)));
                }
            }
            int gap = di < deliveries.size() ? (r.nextInt(3) == 0 ? 0 : 1 + r.nextInt(15)) : 1;
            for (int g = 0; g < Math.max(1, gap); g++) {
                now += TICK;
                clock.set(now);
                device.advance(now);
                loop.tick(now);
                ticks++;
                for (; seen < answers.size(); seen++) {
                    CommandHandler.Answer a = answers.get(seen);
                    String name = a.request().name();
                    boolean effective = !a.duplicate() && (a.status().equals("accepted") || a.status().equals("clamped"));
                    if (effective && !name.equals("set-intensity")) {
                        lastEffective = name;
                        if (name.equals("start-session")) rxMax = RX_MAX;
                    }
                }
                Verdict v = loop.verdict();
                if (("pause".equals(lastEffective) || "stop".equals(lastEffective)) && v.stimMilliAmps() > 0) {
                    throw new AssertionError("t=" + ticks * 10 + " ms: " + v.stimMilliAmps() + " mA in state "
                            + loop.session().state() + " after an effective " + lastEffective + "; deliveries " + deliveries);
                }
                if (v.stimMilliAmps() > (Double.isNaN(rxMax) ? 0 : rxMax) + 1e-9) {
                    throw new AssertionError("t=" + ticks * 10 + " ms: " + v.stimMilliAmps() + " mA above the prescription");
                }
            }
        }
        assertTrue(answers.size() == deliveries.size(), "one answer per delivery: " + answers.size() + " of " + deliveries.size());
        return ticks;
    }

    static CommandHandler.Request request(Delivery d) {
        String deadline = NOW.plusSeconds(30).toString();
        String body = switch (d.name()) {
            case "start-session" -> "{\"id\":\"" + d.id() + "\",\"deadline\":\"" + deadline + "\",\"prescription\":"
                    + prescriptionJson(20, RX_MAX, 1) + "}";
            case "set-intensity" -> "{\"id\":\"" + d.id() + "\",\"deadline\":\"" + deadline + "\",\"milliAmps\":"
                    + Math.round(d.milliAmps() * 10) / 10.0 + "}";
            default -> "{\"id\":\"" + d.id() + "\",\"deadline\":\"" + deadline + "\"}";
        };
        return new CommandHandler.Request(d.name(), body.getBytes(StandardCharsets.UTF_8), 30L, "reply/p", null);
    }

    /** A valid start-session prescription with a clear screening. */
    static String prescriptionJson(double targetMa, double maxMa, int minutes) {
        return "{\"program\":\"conventional\",\"frequencyHz\":80,\"pulseWidthMicros\":200,\"targetMilliAmps\":" + targetMa
                + ",\"maxMilliAmps\":" + maxMa + ",\"durationMinutes\":" + minutes + ",\"screening\":{\"bladderBowelControlLoss\":false,"
                + "\"saddleNumbness\":false,\"progressiveLegWeakness\":false,\"fever\":false,\"unexplainedWeightLoss\":false,"
                + "\"cancerHistory\":false,\"recentTrauma\":false,\"pacemaker\":false,\"pregnancyOverTrunk\":false,\"epilepsy\":false,"
                + "\"impairedSensation\":false,\"brokenSkin\":false}}";
    }
}

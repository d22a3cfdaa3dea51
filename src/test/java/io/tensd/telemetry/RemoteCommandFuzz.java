package io.tensd.telemetry;

import io.tensd.config.DeviceConfig;
import io.tensd.config.Limits;
import io.tensd.loop.Clock;
import io.tensd.loop.ControlLoop;
import io.tensd.loop.DeviceController;
import io.tensd.safety.SafetySettings;
import io.tensd.safety.Verdict;
import io.tensd.session.CommandGateway;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionSettings;
import io.tensd.sim.SimDevice;
import io.tensd.testkit.TestLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Remote-command fuzz through Debian mosquitto into the real loop (simulated board, 100 Hz, real time): random
 * commands with duplicates (same id), retries (new id), bursts of 100, expiry edges and bad payloads. Checks every
 * publish is answered exactly once, the loop never stops, the output never exceeds the prescription and is 0 mA
 * at every tick after an effective pause or stop. Prints its figures; {@link RemoteCommandFuzzTest} runs a small one.
 *
 * <p>{@code java -cp target/test-classes:target/classes:$(cat cp.txt) io.tensd.telemetry.RemoteCommandFuzz 10000 [seed]}
 */
public final class RemoteCommandFuzz {
    static final double RX_MAX = 30;

    record Result(int published, int answered, int missing, int extra, long loopTicks, boolean loopAlive, double maxMilliAmps,
                  long aboveRx, long onAfterStop, Map<String, Integer> outcomes, int duplicatesAnswered, int noChange,
                  double seconds, double publishSeconds, long seed, long deviceConnects) {
        boolean ok() {
            return missing == 0 && extra == 0 && loopAlive && aboveRx == 0 && onAfterStop == 0;
        }

        String figures() {
            return String.format(java.util.Locale.ROOT, "remote-command fuzz, seed %d: %d commands published in %.1f s, all answered after %.1f s (%.0f/s); "
                    + "answered %d (missing %d, answered twice %d); duplicates answered as such %d, noChange %d; "
                    + "loop ticks %d, loop alive %b; max output %.2f mA (prescription %.0f mA), ticks above it %d, "
                    + "ticks on after an effective pause/stop %d; device connections %d; outcomes %s",
                    seed, published, publishSeconds, seconds, published / seconds, answered, missing, extra, duplicatesAnswered, noChange,
                    loopTicks, loopAlive, maxMilliAmps, RX_MAX, aboveRx, onAfterStop, deviceConnects, new TreeMap<>(outcomes));
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        long seed = args.length > 1 ? Long.parseLong(args[1]) : 20261202L;
        try (PlainMosquitto broker = new PlainMosquitto()) {
            Result r = run(broker.url(), n, seed);
            System.out.println(r.figures());
            System.exit(r.ok() ? 0 : 1);
        }
    }

    static Result run(String url, int n, long seed) throws Exception {
        Random rnd = new Random(seed);
        Path journal = Files.createTempDirectory("tensd-fuzz-");
        Limits limits = Limits.defaults();
        // a loaded build machine stalls threads longer than a Pi (no lease faults from that), and a steep ramp lets
        // the output rise between commands that come every few ms
        Limits relaxed = TestLimits.timing(TestLimits.stimulation(limits.maxMilliAmps(),
                limits.maxChargePerPhaseMicroCoulombs(), 20), 3000, 1000);
        SimDevice device = new SimDevice(Clock.SYSTEM, relaxed, seed);
        JournalingEventSink sink = JournalingEventSink.open(journal, "dev-fuzz", Clock.SYSTEM);
        long[] sid = {0};
        DeviceController controller = new DeviceController(device.io(), relaxed, SafetySettings.defaults(), SessionSettings.defaults(),
                sink, () -> "fuzz-s" + (++sid[0]));
        // the loop's view: after an accepted pause/stop (applied in this tick) the output must be 0 from this tick on
        boolean[] mustBeOff = {false};
        CommandGateway watched = (cmd, reply) -> controller.submit(cmd, outcome -> {
            boolean effective = outcome.status() != CommandOutcome.Status.REJECTED;
            if (effective && cmd instanceof SessionCommand.Want w) {
                mustBeOff[0] = w.target() != SessionCommand.Target.RUNNING;
            } else if (effective && cmd instanceof SessionCommand.StartSession) {
                mustBeOff[0] = false;
            }
            reply.accept(outcome);
        });
        AtomicLong above = new AtomicLong();
        AtomicLong onAfterStop = new AtomicLong();
        double[] maxMa = {0};
        ControlLoop loop = new ControlLoop(Clock.SYSTEM, 10_000_000L, 0, now -> {
            device.advance(now);
            controller.tick(now);
            Verdict v = controller.verdict();
            maxMa[0] = Math.max(maxMa[0], v.stimMilliAmps());
            if (v.stimMilliAmps() > RX_MAX + 1e-9) above.incrementAndGet();
            if (mustBeOff[0] && v.stimMilliAmps() > 0) onAfterStop.incrementAndGet();
        });
        Thread loopThread = new Thread(loop, "tensd-loop-fuzz");
        loopThread.setDaemon(true);
        loopThread.start();
        TelemetryService svc = TelemetryService.builder("site-f", "dev-fuzz", new DeviceConfig.Broker(url, null, null, null, null, null, 10, 1000))
                .events(sink).status(controller).commands(watched).birth(() -> Map.of("mode", "fuzz"))
                .commandSettings(new CommandHandler.Settings(8192, Duration.ofSeconds(300), 1e6, 1e6, true, 4096)).build();
        svc.start();
        if (!svc.awaitConnected(Duration.ofSeconds(20))) throw new IllegalStateException("device did not connect");

        Topics t = new Topics("site-f", "dev-fuzz");
        String replyTopic = t.reply("fuzz");
        Map<String, AtomicInteger> answers = new ConcurrentHashMap<>();
        Map<String, Integer> outcomes = new ConcurrentHashMap<>();
        AtomicInteger dupAnswers = new AtomicInteger();
        AtomicInteger noChange = new AtomicInteger();
        MqttAsyncClient clinic = new MqttAsyncClient(url, "fuzz-clinic-" + seed, new MemoryPersistence());
        clinic.setCallback(new MqttCallback() {
            @Override public void disconnected(MqttDisconnectResponse r) { }
            @Override public void mqttErrorOccurred(MqttException e) { }
            @Override public void deliveryComplete(org.eclipse.paho.mqttv5.client.IMqttToken tok) { }
            @Override public void connectComplete(boolean reconnect, String uri) { PahoClients.noOutgoingTopicAliases(clinic); }
            @Override public void authPacketArrived(int rc, MqttProperties p) { }

            @Override
            public void messageArrived(String topic, MqttMessage m) throws Exception {
                byte[] cd = m.getProperties() == null ? null : m.getProperties().getCorrelationData();
                if (cd == null) return;
                answers.computeIfAbsent(new String(cd, StandardCharsets.UTF_8), k -> new AtomicInteger()).incrementAndGet();
                var json = Wire.JSON.readTree(m.getPayload());
                String status = json.path("status").asText();
                String reason = json.path("reasons").path(0).asText();
                reason = reason.split(":")[0];
                String key = status + (status.equals("rejected") ? ":" + (reason.length() > 28 ? reason.substring(0, 28) : reason) : "");
                outcomes.merge(key, 1, Integer::sum);
                if (json.path("duplicate").asBoolean()) dupAnswers.incrementAndGet();
                if (json.path("noChange").asBoolean()) noChange.incrementAndGet();
            }
        });
        MqttConnectionOptions o = new MqttConnectionOptions();
        o.setCleanStart(true);
        o.setSocketFactory(new NoDelaySocketFactories.Plain());
        clinic.connect(o).waitForCompletion(10_000);
        PahoClients.noOutgoingTopicAliases(clinic); // before the burst (connectComplete may run after it starts)
        clinic.subscribe(new MqttSubscription[] {new MqttSubscription(replyTopic, 1)}).waitForCompletion(10_000);

        // weights: sessions must live long enough to stimulate (stop is rare), pause/resume flip often
        String[] kinds = new String[100];
        java.util.Arrays.fill(kinds, 0, 4, "start-session");
        java.util.Arrays.fill(kinds, 4, 6, "stop");
        java.util.Arrays.fill(kinds, 6, 24, "pause");
        java.util.Arrays.fill(kinds, 24, 44, "resume");
        java.util.Arrays.fill(kinds, 44, 94, "set-intensity");
        java.util.Arrays.fill(kinds, 94, 100, "set-heat");
        String lastName = "pause";
        String lastBody = "{}";
        long t0 = System.nanoTime();
        int burstLeft = 0;
        for (int i = 0; i < n; i++) {
            String name;
            String body;
            String topic;
            Long expiry = 30L;
            int dice = rnd.nextInt(100);
            Instant now = Instant.now();
            String id = "f" + i;
            if (dice < 10 && i > 0) {          // duplicate: the same message again (same id)
                name = lastName;
                body = lastBody;
            } else if (dice < 20 && i > 0) {   // retry with a new id
                name = lastName;
                body = lastBody.replaceFirst("\"id\":\"[^\"]*\"", "\"id\":\"" + id + "\"");
            } else if (dice < 26) {            // bad payloads and topics
                name = kinds[rnd.nextInt(kinds.length)];
                body = switch (rnd.nextInt(5)) {
                    case 0 -> "{not json";
                    case 1 -> "{\"id\":\"" + id + "\",\"deadline\":\"" + now.plusSeconds(30) + "\",\"milliAmps\":\"ten\"}";
                    case 2 -> "[1,2,3]";
                    case 3 -> "{\"id\":\"" + id + "\",\"deadline\":\"tomorrow\"}";
                    default -> "{\"id\":\"" + id + "\",\"deadline\":\"" + now.plusSeconds(30) + "\",\"extra\":true}";
                };
                if (rnd.nextInt(4) == 0) name = rnd.nextBoolean() ? "raise-limit" : name + "/extra";
            } else if (dice < 32) {            // expiry edges
                name = kinds[rnd.nextInt(kinds.length)];
                int edge = rnd.nextInt(4);
                Instant deadline = switch (edge) {
                    case 0 -> now.minusMillis(1);
                    case 1 -> now.plusSeconds(301);
                    case 2 -> now.plusMillis(300);
                    default -> now.plusSeconds(300);
                };
                body = body(name, id, deadline, rnd);
                if (edge == 3 && rnd.nextBoolean()) expiry = null; // missing message expiry
            } else {
                name = kinds[rnd.nextInt(kinds.length)];
                body = body(name, id, now.plusSeconds(30), rnd);
            }
            lastName = name.contains("/") || name.equals("raise-limit") ? lastName : name;
            lastBody = name.contains("/") || name.equals("raise-limit") ? lastBody : body;
            topic = t.command(name);
            MqttProperties p = new MqttProperties();
            p.setResponseTopic(replyTopic);
            p.setCorrelationData(("k" + i).getBytes(StandardCharsets.UTF_8));
            if (expiry != null) p.setMessageExpiryInterval(expiry);
            MqttMessage m = new MqttMessage(body.getBytes(StandardCharsets.UTF_8), 1, false, p);
            Clinician.publishWhenRoom(clinic, topic, m); // at the rate the broker accepts
            if (burstLeft > 0) {
                burstLeft--;
            } else if (rnd.nextInt(200) == 0) {
                burstLeft = 99; // a burst of 100 back to back
            } else if (rnd.nextInt(8) == 0) {
                Thread.sleep(rnd.nextInt(10));
            }
        }
        double publishSeconds = (System.nanoTime() - t0) / 1e9;
        long end = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < end && answers.size() < n) Thread.sleep(20);
        Thread.sleep(1000); // late second answers, if any
        double secs = (System.nanoTime() - t0) / 1e9;
        int missing = 0;
        int extra = 0;
        int answered = 0;
        for (int i = 0; i < n; i++) {
            AtomicInteger c = answers.get("k" + i);
            if (c == null) missing++;
            else {
                answered++;
                if (c.get() > 1) extra++;
            }
        }
        long ticksBefore = loop.iterations();
        Thread.sleep(100);
        boolean alive = loopThread.isAlive() && loop.iterations() > ticksBefore;
        Result r = new Result(n, answered, missing, extra, loop.iterations(), alive, maxMa[0], above.get(), onAfterStop.get(),
                Map.copyOf(outcomes), dupAnswers.get(), noChange.get(), secs, publishSeconds, seed,
                ((Number) svc.counters().asMap().get("connects")).longValue());
        clinic.disconnect().waitForCompletion(2000);
        clinic.close();
        svc.stop();
        loop.stop();
        loopThread.join(2000);
        sink.close();
        MosquittoProcess.deleteTree(journal);
        return r;
    }

    private static String body(String name, String id, Instant deadline, Random rnd) {
        String head = "{\"id\":\"" + id + "\",\"deadline\":\"" + deadline + "\"";
        return switch (name) {
            case "start-session" -> head + ",\"prescription\":" + RemoteCommandIdempotencePropertyTest.prescriptionJson(
                    1 + rnd.nextInt(29), RX_MAX, 1 + rnd.nextInt(3)) + "}";
            case "set-intensity" -> head + ",\"milliAmps\":" + rnd.nextInt(101) + "}";
            case "set-heat" -> head + ",\"setpointCelsius\":" + (rnd.nextBoolean() ? "null" : String.valueOf(25 + rnd.nextInt(19))) + "}";
            default -> head + "}";
        };
    }
}

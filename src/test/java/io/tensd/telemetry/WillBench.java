package io.tensd.telemetry;

import io.tensd.bench.MachineInfo;
import io.tensd.config.DeviceConfig;
import io.tensd.loop.Clock;
import io.tensd.session.CommandOutcome;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * When does the Will say offline after the device's network goes silent (not a test)? The device connects
 * through {@link TcpProxy}; at a random moment the proxy stops forwarding (no FIN, no RST: a dead Wi-Fi or a
 * hung host). Two clocks: from the freeze ("death") and from the last bytes the broker received from the
 * device (what MQTT's "1.5 × keep-alive" is counted from). Per broker and telemetry period.
 *
 * <p>Run: {@code java -cp … io.tensd.telemetry.WillBench [trials] [keepAliveSeconds]}
 */
public final class WillBench {
    public static void main(String[] args) throws Exception {
        int trials = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int keepAlive = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        System.out.println(MachineInfo.describe());
        System.out.println("load average at start: " + MqttBench.loadavg());
        List<String> rows = new ArrayList<>();
        try (EmbeddedBroker hive = EmbeddedBroker.start()) {
            rows.add(run("HiveMQ CE", hive.port(), trials, keepAlive, 100));
            rows.add(run("HiveMQ CE", hive.port(), trials, keepAlive, 1000));
        }
        try (PlainMosquitto mosq = new PlainMosquitto()) {
            rows.add(run("mosquitto 2.0.11", mosq.port, trials, keepAlive, 100));
            rows.add(run("mosquitto 2.0.11", mosq.port, trials, keepAlive, 1000));
        }
        System.out.println("load average at end: " + MqttBench.loadavg());
        System.out.printf("%nkeep-alive %d s, 1.5x = %.1f s; seconds, min / mean / max over %d trials%n", keepAlive, 1.5 * keepAlive, trials);
        rows.forEach(System.out::println);
        System.exit(0);
    }

    static String run(String broker, int port, int trials, int keepAlive, int telemetryMillis) throws Exception {
        Random rnd = new Random(7);
        double[] fromFreeze = new double[trials];
        double[] fromLast = new double[trials];
        double[] silentBefore = new double[trials];
        for (int t = 0; t < trials; t++) {
            String dev = "will-" + telemetryMillis + "-" + t;
            try (Subscriber clinic = new Subscriber("tcp://127.0.0.1:" + port, "will-clinic-" + System.nanoTime(), null,
                    "tensd/v1/will/" + dev + "/status");
                 TcpProxy proxy = new TcpProxy(port);
                 JournalingEventSink sink = JournalingEventSink.open(Files.createTempDirectory("will-j"), dev, Clock.SYSTEM)) {
                DeviceConfig.Broker b = new DeviceConfig.Broker(proxy.url(), null, null, null, null, null, keepAlive, telemetryMillis);
                TelemetryService svc = TelemetryService.builder("will", dev, b).events(sink).status(MqttBench::snapshot)
                        .commands((c, r) -> r.accept(CommandOutcome.accepted())).build();
                svc.start();
                if (!svc.awaitConnected(Duration.ofSeconds(15))) throw new IllegalStateException("no connect");
                if (clinic.await(m -> "online".equals(m.json().path("state").asText()), Duration.ofSeconds(5)) == null) {
                    throw new IllegalStateException("no online");
                }
                Thread.sleep(500 + rnd.nextInt(2000));
                long t0 = System.nanoTime();
                proxy.freeze();
                Subscriber.Received off = clinic.await(m -> "offline".equals(m.json().path("state").asText()), Duration.ofSeconds(15));
                if (off == null) throw new IllegalStateException("no Will");
                fromFreeze[t] = (off.atNanos() - t0) / 1e9;
                fromLast[t] = (off.atNanos() - proxy.lastUpstreamNanos()) / 1e9;
                silentBefore[t] = (t0 - proxy.lastUpstreamNanos()) / 1e9;
                proxy.cut();
                svc.stop();
            }
        }
        return String.format("%-17s telemetry every %4d ms | Will after death %.2f / %.2f / %.2f | after the last packet the broker got %.2f / %.2f / %.2f"
                        + " | link silent before death %.2f / %.2f / %.2f",
                broker, telemetryMillis, min(fromFreeze), mean(fromFreeze), max(fromFreeze), min(fromLast), mean(fromLast), max(fromLast),
                min(silentBefore), mean(silentBefore), max(silentBefore));
    }

    static double min(double[] a) { return java.util.Arrays.stream(a).min().orElse(Double.NaN); }

    static double max(double[] a) { return java.util.Arrays.stream(a).max().orElse(Double.NaN); }

    static double mean(double[] a) { return java.util.Arrays.stream(a).average().orElse(Double.NaN); }
}

package io.tensd.telemetry;

import io.tensd.config.DeviceConfig;
import io.tensd.loop.Clock;
import io.tensd.loop.StatusSnapshot;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionEvent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A device process for the kill -9 test: journals and publishes a stream of events.
 * Args: journalDir url caFile passwordFile deviceId site fromIndex toIndex finish(true|false) keepAliveSeconds.
 * Prints "EMITTED i" as it goes; with finish=true it completes the session, waits for delivery, and exits 0.
 */
public final class ChildPublisher {
    public static void main(String[] a) throws Exception {
        Path journal = Path.of(a[0]);
        DeviceConfig.Broker broker = new DeviceConfig.Broker(a[1], null, a[3].isEmpty() ? null : Path.of(a[3]),
                a[2].isEmpty() ? null : Path.of(a[2]), null, null, Integer.parseInt(a[9]), 200);
        String device = a[4];
        int from = Integer.parseInt(a[6]);
        int to = Integer.parseInt(a[7]);
        boolean finish = Boolean.parseBoolean(a[8]);
        JournalingEventSink sink = JournalingEventSink.open(journal, device, Clock.SYSTEM);
        TelemetryService svc = TelemetryService.builder(a[5], device, broker).events(sink)
                .status(() -> new StatusSnapshot(System.nanoTime(), "s-kill", "running", "conventional", true, 10, 10, 200, 80, 1500,
                        false, 0, Double.NaN, 34, 30, 5, "neutral", 0, 0, 90, List.of()))
                .commands((c, r) -> r.accept(CommandOutcome.rejected("test device"))).build();
        svc.start();
        if (from == 0) sink.emit(new SessionEvent("session-started", "s-kill", System.nanoTime(), Map.of("program", "conventional")));
        for (int i = from; i < to; i++) {
            sink.emit(new SessionEvent("slouch-alert", "s-kill", System.nanoTime(), Map.of("i", i)));
            System.out.println("EMITTED " + i);
            Thread.sleep(3);
        }
        if (finish) {
            sink.emit(new SessionEvent(Wire.SUMMARY_TYPE, "s-kill2", System.nanoTime(), Map.of("events", to)));
            sink.awaitIdle(Duration.ofSeconds(10));
            svc.awaitConnected(Duration.ofSeconds(20));
            boolean ok = svc.awaitDelivered(Duration.ofSeconds(30));
            System.out.println("DELIVERED " + ok + " last " + sink.journal().durableSeq());
            svc.stop();
            sink.close();
            System.exit(ok ? 0 : 3);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}

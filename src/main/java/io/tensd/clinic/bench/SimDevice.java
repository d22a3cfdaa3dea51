package io.tensd.clinic.bench;

import io.tensd.config.DeviceConfig;
import io.tensd.loop.Clock;
import io.tensd.loop.StatusSnapshot;
import io.tensd.session.CommandOutcome;
import io.tensd.telemetry.Journal;
import io.tensd.telemetry.JournalingEventSink;
import io.tensd.telemetry.TelemetryService;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A device's reporting stack as the daemon runs it: the journal ({@link JournalingEventSink}) and the MQTT
 * service ({@link TelemetryService}, its own client id, Will, birth, replay after reconnects). The session's
 * events come from a {@link SessionScript} instead of the control loop.
 */
public final class SimDevice implements AutoCloseable {
    public final String site;
    public final String deviceId;
    private final JournalingEventSink sink;
    private final TelemetryService service;

    public SimDevice(String site, String deviceId, Path journalDir, String brokerUrl) throws IOException {
        this.site = site;
        this.deviceId = deviceId;
        this.sink = JournalingEventSink.open(journalDir, deviceId, Clock.SYSTEM);
        DeviceConfig.Broker b = new DeviceConfig.Broker(brokerUrl, null, null, null, null, null, 10, 1000);
        this.service = TelemetryService.builder(site, deviceId, b).events(sink)
                .status(() -> new StatusSnapshot(System.nanoTime(), null, "idle", "conventional", false, 0, 0, 200, 80,
                        1500, false, 0, 39, 34.0, 34.0, 5.0, "neutral", 0, 0, 90, List.of()))
                .commands((cmd, reply) -> reply.accept(CommandOutcome.rejected("simulated device")))
                .birth(() -> Map.of("version", "bench", "mode", "simulated"))
                .build();
    }

    public void connect() throws IOException {
        service.start();
    }

    public void emit(io.tensd.session.SessionEvent e) {
        sink.emit(e);
    }

    /** Every seq this device journaled (what the clinic must end up with). */
    public List<Long> journaledSeqs() throws IOException, InterruptedException {
        sink.awaitIdle(Duration.ofSeconds(10));
        return sink.fetch(1, 10_000_000).stream().map(Journal.Entry::seq).toList();
    }

    public boolean awaitDelivered(Duration d) throws InterruptedException {
        sink.awaitIdle(d);
        return service.awaitDelivered(d);
    }

    public JournalingEventSink sink() { return sink; }

    /** Journal entries published again on the clinic's resend commands. */
    public long eventsResent() { return service.eventsResent(); }

    @Override
    public void close() throws IOException {
        service.stop();
        sink.close();
    }
}

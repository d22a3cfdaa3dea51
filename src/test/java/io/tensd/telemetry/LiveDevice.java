package io.tensd.telemetry;

import io.tensd.config.DeviceConfig;
import io.tensd.config.Limits;
import io.tensd.loop.Clock;
import io.tensd.loop.ControlLoop;
import io.tensd.loop.DeviceController;
import io.tensd.safety.SafetySettings;
import io.tensd.session.SessionSettings;
import io.tensd.session.SessionState;
import io.tensd.sim.SimDevice;
import io.tensd.testkit.TestLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The device as the daemon runs it, minus the Pi: the real loop at 100 Hz on its own thread (simulated board and
 * sensors, real time), the journal and the real {@link TelemetryService} against a real broker.
 */
public final class LiveDevice implements AutoCloseable {
    public final SimDevice device;
    public final DeviceController controller;
    public final JournalingEventSink sink;
    public final TelemetryService service;
    private final ControlLoop loop;
    private final Thread loopThread;

    public LiveDevice(String site, String deviceId, DeviceConfig.Broker broker, Path journal) throws Exception {
        this(site, deviceId, broker, journal, b -> b);
    }

    public LiveDevice(String site, String deviceId, DeviceConfig.Broker broker, Path journal,
               UnaryOperator<TelemetryService.Builder> tweak) throws Exception {
        // the default lease (100 ms) and staleness (500 ms) with a generous margin: a test machine shared by many
        // builds stalls threads for longer than a Pi does, and a latched fault is not what these tests are about
        Limits limits = TestLimits.timing(Limits.defaults(), 3000, 1000);
        device = new SimDevice(Clock.SYSTEM, limits, 7);
        sink = JournalingEventSink.open(journal, deviceId, Clock.SYSTEM);
        long[] n = {0};
        controller = new DeviceController(device.io(), limits, SafetySettings.defaults(), SessionSettings.defaults(), sink,
                () -> deviceId + "-s" + (++n[0]));
        loop = new ControlLoop(Clock.SYSTEM, 10_000_000L, 0, now -> {
            device.advance(now);
            controller.tick(now);
        });
        loopThread = new Thread(loop, "tensd-loop-test");
        loopThread.setDaemon(true);
        loopThread.start();
        service = tweak.apply(TelemetryService.builder(site, deviceId, broker).events(sink).status(controller).commands(controller)
                .birth(() -> Map.of("mode", "test"))).build();
        service.start();
        if (!service.awaitConnected(Duration.ofSeconds(20))) throw new AssertionError(deviceId + " did not connect to " + broker.url());
    }

    public static DeviceConfig.Broker plain(String url) {
        return new DeviceConfig.Broker(url, null, null, null, null, null, 10, 1000);
    }

    public SessionState state() { return controller.session().state(); }

    public double outputMilliAmps() { return controller.snapshot().stimMilliAmpsSet(); }

    /** Waits (wall time) until the session is in {@code s}. */
    public boolean awaitState(SessionState s, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (state() == s) return true;
            Thread.sleep(5);
        }
        return false;
    }

    @Override
    public void close() throws Exception {
        service.stop();
        loop.stop();
        loopThread.join(2000);
        sink.close();
    }
}

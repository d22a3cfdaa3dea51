package io.tensd.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import io.tensd.hw.Button;
import io.tensd.loop.DeviceController;
import io.tensd.loop.VirtualClock;
import io.tensd.safety.SafetySettings;
import io.tensd.session.EventSink;
import io.tensd.session.SessionSettings;
import io.tensd.sim.SimDevice;
import io.tensd.sim.scenario.Action;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.TimelineEntry;
import io.tensd.therapy.Prescription;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The precondition every bench checks before it prints a figure: a live session, never an idle device. */
class LiveSessionTest {
    private static final long PERIOD = 10_000_000L;

    /** The simulated device ticked at 100 Hz in virtual time by its own thread, as the loop would. */
    private static final class Ticking implements AutoCloseable {
        final VirtualClock clock = new VirtualClock(1_000_000_000L);
        final SimDevice device = new SimDevice(clock, Limits.defaults(), 5);
        final DeviceController controller = new DeviceController(device.io(), Limits.defaults(), SafetySettings.defaults(),
                SessionSettings.defaults(), EventSink.NONE, () -> "live-test");
        final LiveSession live = new LiveSession();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread = new Thread(() -> {
            while (running.get()) {
                long now = clock.nanos() + PERIOD;
                clock.set(now);
                device.advance(now);
                controller.tick(now);
                live.observe(now, controller);
                java.util.concurrent.locks.LockSupport.parkNanos(200_000L); // 50 virtual seconds per wall second
            }
        });

        Ticking() { thread.start(); }

        void ticks(int n) {
            long until = clock.nanos() + n * PERIOD;
            while (clock.nanos() < until) {
                Thread.onSpinWait();
            }
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join();
        }
    }

    @Test
    void anIdleSessionFailsThePrecondition() throws Exception {
        try (Ticking t = new Ticking()) {
            t.live.open();
            t.ticks(200);
            t.live.close();
            var e = assertThrows(LiveSession.NotLive.class, () -> t.live.require("bench x", 100));
            assertTrue(e.getMessage().contains("state IDLE") && e.getMessage().contains("no figure printed"), e.getMessage());
        }
    }

    @Test
    void aStartWithoutScreeningIsAnErrorNotAnIdleRun() throws Exception {
        Prescription unscreened = new Prescription("conventional", 100, 150, 10, 10, 5, Optional.of(new Prescription.Heat(40)),
                Map.of(), Optional.empty(), Optional.empty());
        try (Ticking t = new Ticking()) {
            var e = assertThrows(LiveSession.NotLive.class, () -> LiveSession.start(t.controller, unscreened));
            assertTrue(e.getMessage().startsWith("session start rejected"), e.getMessage());
        }
    }

    @Test
    void aStimulatingAndHeatingSessionPassesAndAPauseInTheWindowFails() throws Exception {
        try (Ticking t = new Ticking()) {
            LiveSession.start(t.controller, RealTimeRig.prescription());
            LiveSession.awaitLive(t.controller, 20_000_000_000L);
            t.live.open();
            t.ticks(300);
            t.live.close();
            assertDoesNotThrow(() -> t.live.require("bench x", 100));

            t.live.open();
            t.controller.submit(new io.tensd.session.SessionCommand.Press(Button.PAUSE, io.tensd.session.SessionCommand.Source.LOCAL), o -> { });
            t.ticks(100);
            t.live.close();
            var e = assertThrows(LiveSession.NotLive.class, () -> t.live.require("bench x", 50));
            assertTrue(e.getMessage().contains("state PAUSED"), e.getMessage());
        }
    }

    @Test
    void theSimBenchRefusesARunWhoseSessionWasNotLiveThroughout() {
        Prescription rx = new Prescription("conventional", 100, 150, 10, 10, 2, Optional.of(new Prescription.Heat(40)),
                LiveSession.SCREENING);
        assertDoesNotThrow(() -> SimBench.runLive(new Scenario("t", "plain", 3, rx, List.of()), 100, "sim"));
        Prescription unscreened = new Prescription("conventional", 100, 150, 10, 10, 2, Optional.of(new Prescription.Heat(40)),
                Map.of(), Optional.empty(), Optional.empty());
        assertThrows(LiveSession.NotLive.class, () -> SimBench.runLive(new Scenario("t", "refused", 3, unscreened, List.of()), 100, "sim"));
        var paused = new Scenario("t", "paused", 3, rx, List.of(new TimelineEntry(40_000, 1, new Action.Press(Button.PAUSE)),
                new TimelineEntry(50_000, 2, new Action.Press(Button.PAUSE))));
        assertThrows(LiveSession.NotLive.class, () -> SimBench.runLive(paused, 100, "sim"));
    }
}

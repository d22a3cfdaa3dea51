package io.tensd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The watchdog pings only while the loop's iteration count moves; nothing at all without NOTIFY_SOCKET. */
class SystemdNotifyTest {
    private final List<String> sent = new CopyOnWriteArrayList<>();

    private SystemdNotify notifier(Map<String, String> env) {
        return new SystemdNotify(env, args -> sent.add(String.join(" ", args)));
    }

    @Test
    void withoutNotifySocketNothingIsSentAndNoThreadRuns() throws Exception {
        AtomicLong iterations = new AtomicLong();
        try (SystemdNotify n = notifier(Map.of("WATCHDOG_USEC", "600000"))) {
            assertFalse(n.enabled());
            n.ready("running");
            n.status("x");
            n.stopping("y");
            n.startWatchdog(iterations::incrementAndGet);
            Thread.sleep(300);
        }
        assertEquals(List.of(), sent);
    }

    @Test
    void watchdogPeriodIsAThirdOfWatchdogSec() {
        assertEquals(3_333, notifier(Map.of("NOTIFY_SOCKET", "/run/x", "WATCHDOG_USEC", "10000000")).watchdogPeriodMillis());
        assertEquals(3_000, notifier(Map.of("NOTIFY_SOCKET", "/run/x")).watchdogPeriodMillis(), "systemd did not say: 3 s");
    }

    @Test
    void pingsWhileTheLoopTicksAndWithholdsThemWhenItStalls() throws Exception {
        AtomicLong iterations = new AtomicLong();
        Thread loop = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                iterations.incrementAndGet();
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        try (SystemdNotify n = notifier(Map.of("NOTIFY_SOCKET", "/run/x", "WATCHDOG_USEC", "600000"))) {
            n.ready("running");
            assertEquals(List.of("--ready --status=running"), sent);
            loop.start();
            n.startWatchdog(iterations::get);
            long end = System.currentTimeMillis() + 3_000;
            while (System.currentTimeMillis() < end && n.pings() < 3) {
                Thread.sleep(10);
            }
            assertTrue(n.pings() >= 3, "pings while ticking: " + n.pings());
            loop.interrupt();
            loop.join();
            long pingsAtStall = n.pings();
            Thread.sleep(1_600); // > 1 s without a tick: the next round withholds
            assertTrue(n.withheld() >= 1, "withheld: " + n.withheld());
            assertTrue(n.pings() <= pingsAtStall + 1, "at most the round already proven before the stall: " + (n.pings() - pingsAtStall));
            long pingsStalled = n.pings();
            Thread.sleep(1_300);
            assertEquals(pingsStalled, n.pings(), "no pings while stalled");
        }
        assertTrue(sent.stream().allMatch(s -> s.equals("WATCHDOG=1") || s.startsWith("--ready")), sent.toString());
    }
}

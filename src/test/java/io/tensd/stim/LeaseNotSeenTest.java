package io.tensd.stim;

import io.tensd.hw.BoardFault;
import io.tensd.loop.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The host stops renewing a lease it cannot see (hardware/stimulator-protocol.md §6): real jSerialComm over
 * socat ptys, a board emulator whose frames to the host stop (silent), arrive 150 ms late, or all arrive
 * damaged, while host-to-board frames still get through, and a loop that keeps asking for 20 mA as if nothing
 * happened. The board must be off no later than one lease plus one status period after the last STATUS the
 * host could trust; nothing else (the loop's own link-lost fault) is relied on here.
 */
@Timeout(30)
class LeaseNotSeenTest {
    private static final long MS = 1_000_000L;
    private static final int LEASE_MS = 100;
    private static final int STATUS_PERIOD_MS = 10;
    private static final Clock CLOCK = Clock.SYSTEM;

    @TempDir
    Path dir;

    @Test
    void silentBoard() throws Exception { measure("silent", b -> b.mute(true)); }

    @Test
    void boardAnswering150MsLate() throws Exception { measure("150 ms late", b -> b.delay(150)); }

    @Test
    void boardCorruptingEveryFrame() throws Exception { measure("every frame corrupted", b -> b.corrupt(1.0)); }

    private void measure(String name, Consumer<StimBoardEmulator> breakIt) throws Exception {
        try (SocatPair socat = SocatPair.start(dir);
             StimBoardEmulator board = new StimBoardEmulator(socat.board.toString(),
                     new BoardLogic(TestBoards.FAST_SLEW, 5), CLOCK, 17, STATUS_PERIOD_MS).start();
             SerialStimulator link = new SerialStimulator(StimLinkConfig.defaults(socat.host.toString(), LEASE_MS), CLOCK).start();
             SerialStimulatorTest.FakeLoop loop = new SerialStimulatorTest.FakeLoop(link)) {
            BoardLogic logic = board.logic();
            // a loaded machine (7 builds on 2 cores) can stall a thread past the lease: then ramp again
            for (int attempt = 1; ; attempt++) {
                loop.ask(false, 0);
                await(() -> !logic.outputEnabled(CLOCK.nanos()), () -> "off; " + link.counters());
                loop.ask(true, 0);
                await(() -> logic.outputEnabled(CLOCK.nanos()), () -> "output on at 0 mA; " + link.counters());
                loop.ask(true, 20_000);
                if (within(2_000, () -> logic.appliedAmplitudeMicroAmps(CLOCK.nanos()) == 20_000)) {
                    Thread.sleep(200);
                    if (logic.appliedAmplitudeMicroAmps(CLOCK.nanos()) == 20_000) {
                        break;
                    }
                }
                assertTrue(attempt < 5, "20 mA never held for 200 ms on heartbeats: " + link.counters());
                System.out.println("lease-not-seen [" + name + "]: output dropped before the fault (load?), again");
            }

            breakIt.accept(board);
            long broken = CLOCK.nanos();
            while (logic.outputEnabled(CLOCK.nanos()) && CLOCK.nanos() - broken < 2_000 * MS) {
                Thread.sleep(1);
            }
            long now = CLOCK.nanos();
            boolean off = !logic.outputEnabled(now);
            long lastStatus = board.lastTimelyStatusNanos();
            long lastRenew = logic.lastRenewNanos();
            String figures = String.format(Locale.ROOT,
                    "lease-not-seen [%s]: last valid STATUS → last lease renewal %.1f ms, → board output off %s"
                            + " (limit %d ms); withheld ticks %d",
                    name, (lastRenew - lastStatus) / 1e6,
                    off ? String.format(Locale.ROOT, "%.1f ms", (logic.outputOffAtNanos() - lastStatus) / 1e6)
                            : "never (still on " + (now - lastStatus) / MS + " ms later)",
                    LEASE_MS + STATUS_PERIOD_MS, link.counters().leaseWithheld());
            System.out.println(figures);
            if (!off) {
                fail(figures);
            }
            assertTrue(logic.outputOffAtNanos() - lastStatus <= (LEASE_MS + STATUS_PERIOD_MS) * MS, figures);
            assertTrue((logic.faultBits(now) & BoardFault.LEASE_EXPIRED.bit()) != 0, "the board cut by its lease");
        }
    }

    private static boolean within(long ms, java.util.function.BooleanSupplier c) throws InterruptedException {
        long deadline = CLOCK.nanos() + ms * MS;
        while (!c.getAsBoolean()) {
            if (CLOCK.nanos() > deadline) {
                return false;
            }
            Thread.sleep(2);
        }
        return true;
    }

    private static void await(java.util.function.BooleanSupplier c, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long deadline = CLOCK.nanos() + 5_000 * MS;
        while (!c.getAsBoolean()) {
            if (CLOCK.nanos() > deadline) {
                fail("timed out waiting for " + what.get());
            }
            Thread.sleep(2);
        }
    }
}

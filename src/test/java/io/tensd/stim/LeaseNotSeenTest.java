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

    /**
     * The bound leaves one status period for the last renewal to cross the wire (a UART frame: ~1 ms). On a pty a
     * starved machine can hold that frame longer (16 ms seen on 2 loaded cores): the board then counts its lease
     * from later than the host did, which is the machine, not the host's logic. Such a run (the renewal in transit
     * longer than a status period) is measured again, up to three times; the bound itself never widens.
     */
    private void measure(String name, Consumer<StimBoardEmulator> breakIt) throws Exception {
        for (int run = 1; ; run++) {
            Path d = java.nio.file.Files.createDirectories(dir.resolve("run" + run));
            Measured m = measureOnce(name, breakIt, d);
            System.out.println(m.figures());
            if (!m.off()) {
                fail(m.figures());
            }
            boolean within = m.offAfterStatusNanos() <= (LEASE_MS + STATUS_PERIOD_MS) * MS;
            if (!within && m.renewalTransitNanos() > STATUS_PERIOD_MS * MS && run < 3) {
                System.out.println("lease-not-seen [" + name + "]: the last renewal spent "
                        + m.renewalTransitNanos() / MS + " ms on the pty (starved machine): measured again");
                continue;
            }
            assertTrue(within, m.figures());
            assertTrue(m.leaseCut(), "the board cut by its lease");
            return;
        }
    }

    record Measured(String figures, boolean off, long offAfterStatusNanos, long renewalTransitNanos, boolean leaseCut) { }

    private Measured measureOnce(String name, Consumer<StimBoardEmulator> breakIt, Path runDir) throws Exception {
        try (SocatPair socat = SocatPair.start(runDir);
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
            long transit = lastRenew - link.lastGrantAtNanos(); // host made the last renewal → the board took it
            String figures = String.format(Locale.ROOT,
                    "lease-not-seen [%s]: last valid STATUS → last lease renewal %.1f ms (%.1f ms on the pty), → board"
                            + " output off %s (limit %d ms); withheld ticks %d",
                    name, (lastRenew - lastStatus) / 1e6, transit / 1e6,
                    off ? String.format(Locale.ROOT, "%.1f ms", (logic.outputOffAtNanos() - lastStatus) / 1e6)
                            : "never (still on " + (now - lastStatus) / MS + " ms later)",
                    LEASE_MS + STATUS_PERIOD_MS, link.counters().leaseWithheld());
            return new Measured(figures, off, logic.outputOffAtNanos() - lastStatus, transit,
                    (logic.faultBits(now) & BoardFault.LEASE_EXPIRED.bit()) != 0);
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

package io.tensd.clinic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.clinic.bench.ClinicBench;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The acceptance run, small: 5 devices' real reporting stacks, one 2-minute session each played 6× faster,
 * two {@code tensd clinic} JVMs in one share group, mosquitto restarted twice, one collector kill -9ed and
 * restarted: every journaled event stored exactly once, every session complete, no open gap.
 * The 50-device × 10-minute run is {@code tensd bench clinic}.
 */
class ClinicAcceptanceTest {
    @TempDir
    Path tmp;

    @Test
    void everyEventAndSessionStoredExactlyOnceThroughRestartsAndAKill() throws Exception {
        PrintWriter out = new PrintWriter(System.out, true);
        try (ClinicBench bench = new ClinicBench(tmp, TestPg.server().jdbcUrl("postgres"), out)) {
            ClinicBench.AcceptanceResult r = bench.acceptance(5, 2, 6.0, 5);
            System.out.printf("acceptance: journaled %d, stored %d, open gaps %d, resend requests %d (answered %d, %d entries resent)%n",
                    r.journaled(), r.stored(), r.openGaps(), r.resendRequests(), r.resendAnswers(), r.eventsResent());
            assertTrue(r.ok(), r.problems().toString());
            assertEquals(r.journaled(), r.stored());
            // each resend request the devices answered is journaled too (a command-result event)
            assertEquals(5 * 19, r.journaled() - r.resendAnswers(), "5 sessions of 19 events: the run really ran");
            assertEquals(5, r.sessionsComplete());
            assertEquals(0, r.openGaps());
        }
    }
}

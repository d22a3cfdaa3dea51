package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The small version of {@link RemoteCommandFuzz} (the 10,000-command run is in docs/benchmarks.md). */
class RemoteCommandFuzzTest {
    @Test
    void fuzzedCommandsThroughMosquittoAreAnsweredOnceAndNeverUnsafe() throws Exception {
        try (PlainMosquitto broker = new PlainMosquitto()) {
            RemoteCommandFuzz.Result r = RemoteCommandFuzz.run(broker.url(), 400, Long.getLong("tensd.seed", 11L));
            System.out.println(r.figures());
            assertEquals(0, r.missing(), "every command answered");
            assertEquals(0, r.extra(), "none answered twice");
            assertTrue(r.loopAlive(), "the loop runs on");
            assertEquals(1, r.deviceConnects(), "the device kept its one connection through the burst (a broker-side "
                    + "protocol error, as Paho's topic aliases caused, shows as a reconnect)");
            assertEquals(0, r.aboveRx(), "never above the prescription");
            assertEquals(0, r.onAfterStop(), "never on after an effective pause/stop");
            assertTrue(r.outcomes().keySet().stream().anyMatch(k -> k.startsWith("accepted")), "commands reached the loop: " + r.outcomes());
            // the output ramps at 2 mA/s and 18 % of the commands are pauses: on a fast machine 400 commands take ~1.5 s,
            // so a session rarely ramps long; 0.2 mA = 100 ms of ramp proves the output was really on between commands
            assertTrue(r.maxMilliAmps() > 0.2, "sessions really stimulated between the commands: max " + r.maxMilliAmps() + " mA");
            assertTrue(r.duplicatesAnswered() > 0 && r.outcomes().keySet().stream().anyMatch(k -> k.startsWith("rejected:expired")),
                    "duplicates and expiry edges were exercised: " + r.outcomes());
        }
    }
}

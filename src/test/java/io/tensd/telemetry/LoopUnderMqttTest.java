package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The safety loop keeps its timing while the broker is up, down (events journaled) and back (backlog
 * replaying): the real ControlLoop + DeviceController at 100 Hz with TelemetryService attached and mosquitto
 * killed and restarted ({@link LoopUnderMqttBench} with short phases). Bounds are generous (a loaded 2-core
 * machine); what cannot pass by luck is the stack sampling: the loop thread is never seen in journal, MQTT,
 * socket or file code, nor blocked on a lock.
 */
class LoopUnderMqttTest {
    @Test
    void loopNeverWaitsForMqttOrDiskWhileTheBrokerIsUpDownOrReplaying() throws Exception {
        LoopUnderMqttBench.Result r = LoopUnderMqttBench.run(new LoopUnderMqttBench.Options(4, 3000, 2, true, 1, 0));
        for (LoopUnderMqttBench.Phase p : r.phases()) System.out.println(p.row());
        System.out.printf("backlog %d, reconnect %.1f s, acknowledged after %.1f s, delivered %s%n",
                r.backlogAtRestart(), r.reconnectSeconds(), r.replaySeconds(), r.delivered());
        assertEquals(3, r.phases().size());
        assertTrue(r.backlogAtRestart() >= 3000, "a real backlog built up while the broker was down: " + r.backlogAtRestart());
        assertTrue(r.delivered(), "the backlog was replayed");
        assertEquals(0, r.eventsDropped(), "nothing dropped");
        for (LoopUnderMqttBench.Phase p : r.phases()) {
            assertEquals(0, p.forbidden(), p.name() + ": loop thread seen in I/O or blocked: " + p.forbiddenStacks());
            assertTrue(p.samples() >= 50, p.name() + ": enough stack samples " + p.samples());
            assertTrue(p.iterations() >= 0.8 * 100 * p.seconds(), p.name() + ": the loop kept its rate: " + p.iterations());
            assertTrue(p.voluntaryPerIteration() < 1.5, p.name() + ": one park per tick, no other waits: " + p.voluntaryPerIteration());
            long p99 = p.wakeNanos().getValueAtPercentile(99);
            assertTrue(p99 < 50_000_000L, p.name() + ": wake-up p99 " + p99 / 1000 + " µs");
        }
    }
}

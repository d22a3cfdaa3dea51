package io.tensd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.pi4j.context.Context;
import com.pi4j.io.gpio.digital.DigitalOutput;
import com.pi4j.io.gpio.digital.DigitalState;
import io.tensd.hw.StimStatus;
import io.tensd.hw.Stimulator;
import io.tensd.hw.pi4j.Pi4jIo;
import io.tensd.hw.pi4j.Pi4jStimEnable;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The board's enable line follows every tick's verdict, LOW before the link hears "off", HIGH only with "on". */
class StimEnableStimulatorTest {
    private final Context pi4j = DaemonErrorsTest.mockPi();
    private final DigitalOutput line = Pi4jIo.output(pi4j, "stim-enable", "stimulator enable", 26);
    private final Pi4jStimEnable enable = new Pi4jStimEnable(line);
    /** Line level seen by the link at each command: the order of the two writes. */
    private final List<String> link = new ArrayList<>();
    private final Stimulator recording = new Stimulator() {
        @Override
        public void command(long nowNanos, boolean enabled, int amplitudeMicroAmps, int pulseWidthMicros, int frequencyHz) {
            link.add((enabled ? "on " : "off ") + amplitudeMicroAmps + " line " + line.state());
        }

        @Override
        public boolean timesProgram(io.tensd.therapy.Program program) { return program != null; }

        @Override
        public void commandProgram(long nowNanos, boolean enabled, int levelMicroAmps, int pulseWidthMicros, int frequencyHz,
                                   io.tensd.therapy.Program program) {
            link.add((enabled ? "on " : "off ") + levelMicroAmps + " " + program.wireName() + " line " + line.state());
        }

        @Override public StimStatus latest() { return StimStatus.NONE; }

        @Override public void forceSafe() { link.add("forceSafe line " + line.state()); }

        @Override public void clearFaults() { }
    };

    @AfterEach
    void shutdown() {
        pi4j.shutdown();
    }

    @Test
    void lineFollowsTheVerdictEveryTick() {
        StimEnableStimulator s = new StimEnableStimulator(recording, enable);
        assertEquals(DigitalState.LOW, line.state(), "LOW from construction");
        s.command(1, true, 5_000, 150, 100);
        assertEquals(DigitalState.HIGH, line.state());
        s.command(2, true, 6_000, 150, 100);
        s.command(3, false, 0, 150, 100);
        assertEquals(DigitalState.LOW, line.state());
        assertEquals(List.of("on 5000 line LOW", "on 6000 line HIGH", "off 0 line LOW"), link,
                "HIGH only after the link has the enabling setpoint; LOW before the link hears off");
    }

    @Test
    void aBoardTimedProgramIsDelegatedWithTheLineInTheSameOrder() {
        StimEnableStimulator s = new StimEnableStimulator(recording, enable);
        var burst = new io.tensd.therapy.Programs.Burst(2, 80, 8, 200);
        assertTrue(s.timesProgram(burst), "asks the link");
        assertFalse(s.timesProgram(null));
        s.commandProgram(1, true, 5_000, 200, 80, burst);
        assertEquals(DigitalState.HIGH, line.state());
        s.commandProgram(2, false, 0, 200, 80, burst);
        assertEquals(DigitalState.LOW, line.state());
        assertEquals(List.of("on 5000 burst line LOW", "off 0 burst line LOW"), link);
    }

    @Test
    void forceSafeDropsTheLineFirstAndTheNextEnablingTickRaisesItAgain() {
        StimEnableStimulator s = new StimEnableStimulator(recording, enable);
        s.command(1, true, 5_000, 150, 100);
        s.forceSafe();
        assertEquals("forceSafe line LOW", link.get(link.size() - 1));
        assertFalse(enable.high());
        s.command(2, false, 0, 150, 100);
        assertFalse(enable.high());
        s.command(3, true, 1_000, 150, 100);
        assertTrue(enable.high());
    }

    @Test
    void anActiveEstopInterlockKeepsTheLineLowWhateverTheVerdict() {
        enable.interlock(() -> true);
        StimEnableStimulator s = new StimEnableStimulator(recording, enable);
        s.command(1, true, 5_000, 150, 100);
        assertEquals(DigitalState.LOW, line.state());
    }
}

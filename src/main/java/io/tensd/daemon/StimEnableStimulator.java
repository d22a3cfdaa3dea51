package io.tensd.daemon;

import io.tensd.hw.StimStatus;
import io.tensd.hw.Stimulator;
import io.tensd.hw.pi4j.Pi4jStimEnable;
import io.tensd.therapy.Program;

/**
 * The stimulator port as the loop sees it on the Pi: every tick's command also drives the board's enable line
 * (GPIO), so the line follows the verdict's {@code stimEnabled} within the same tick. The line is the second,
 * independent way to silence the board (the link's lease is the first); it goes LOW before the link is told
 * to stop and HIGH only together with an enabling command. Allocation-free; {@link Pi4jStimEnable#drive}
 * writes only on change and never throws.
 */
final class StimEnableStimulator implements Stimulator {
    private final Stimulator link;
    private final Pi4jStimEnable enable;

    StimEnableStimulator(Stimulator link, Pi4jStimEnable enable) {
        this.link = link;
        this.enable = enable;
    }

    @Override
    public void command(long nowNanos, boolean enabled, int amplitudeMicroAmps, int pulseWidthMicros, int frequencyHz) {
        if (!enabled) {
            enable.drive(false);
        }
        link.command(nowNanos, enabled, amplitudeMicroAmps, pulseWidthMicros, frequencyHz);
        if (enabled) {
            enable.drive(true);
        }
    }

    @Override
    public boolean timesProgram(Program program) { return link.timesProgram(program); }

    @Override
    public void commandProgram(long nowNanos, boolean enabled, int levelMicroAmps, int pulseWidthMicros, int frequencyHz,
                               Program program) {
        if (!enabled) {
            enable.drive(false);
        }
        link.commandProgram(nowNanos, enabled, levelMicroAmps, pulseWidthMicros, frequencyHz, program);
        if (enabled) {
            enable.drive(true);
        }
    }

    @Override
    public StimStatus latest() { return link.latest(); }

    @Override
    public void forceSafe() {
        enable.forceSafe();
        link.forceSafe();
    }

    @Override
    public void clearFaults() { link.clearFaults(); }
}

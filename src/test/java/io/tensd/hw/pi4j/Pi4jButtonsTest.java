package io.tensd.hw.pi4j;

import com.pi4j.io.gpio.digital.DigitalState;
import io.tensd.config.DeviceConfig;
import io.tensd.hw.Button;
import io.tensd.session.CommandGateway;
import io.tensd.session.SessionCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Pi4jButtonsTest {
    private static final Pi4jButtons.Timing FAST = new Pi4jButtons.Timing(20_000, 1_000, 60, 120);
    private final MockPi mock = new MockPi();
    private final List<SessionCommand> commands = new CopyOnWriteArrayList<>();
    private final CommandGateway gateway = (c, reply) -> commands.add(c);
    private final AtomicReference<Pi4jButtons.Phase> phase = new AtomicReference<>(Pi4jButtons.Phase.RUNNING);
    private final AtomicInteger safeCalls = new AtomicInteger();
    private final Pi4jButtons buttons = new Pi4jButtons(mock.pi4j, DeviceConfig.Hardware.defaults(), gateway,
            safeCalls::incrementAndGet, phase::get, FAST);

    @org.junit.jupiter.api.BeforeEach
    void buttonsAtRest() {
        // the mock's inputs start LOW; on the Pi the pull-ups hold released buttons HIGH
        for (String key : new String[] {"up", "down", "pause", "stop"}) {
            release(key);
        }
        commands.clear();
    }

    @AfterEach
    void close() {
        buttons.close();
        mock.close();
    }

    private void press(String key) { mock.in(Pi4jButtons.ID_PREFIX + key).mockState(DigitalState.LOW); }

    private void release(String key) { mock.in(Pi4jButtons.ID_PREFIX + key).mockState(DigitalState.HIGH); }

    private List<Button> pressed() {
        return commands.stream().map(c -> {
            SessionCommand.Press p = (SessionCommand.Press) c;
            assertEquals(SessionCommand.Source.LOCAL, p.source());
            return p.button();
        }).toList();
    }

    private static void sleep(long ms) throws InterruptedException { Thread.sleep(ms); }

    @Test
    void upAndDownAreOneStepPerPress() {
        press("up");
        release("up");
        press("down");
        release("down");
        press("up");
        assertEquals(List.of(Button.UP, Button.DOWN, Button.UP), pressed());
    }

    @Test
    void pauseMeansPauseOrResumeByPhase() {
        press("pause");
        release("pause");
        phase.set(Pi4jButtons.Phase.PAUSED);
        press("pause");
        release("pause");
        assertEquals(List.of(Button.PAUSE, Button.RESUME), pressed());
    }

    @Test
    void startNeedsAHoldWhenIdle() throws InterruptedException {
        phase.set(Pi4jButtons.Phase.IDLE);
        press("pause");
        sleep(20);
        release("pause"); // a bump
        sleep(120);
        assertEquals(List.of(), pressed(), "a short press never starts stimulation");
        press("pause");
        sleep(200);
        release("pause");
        assertEquals(List.of(Button.START), pressed());
    }

    @Test
    void stopIsImmediateAndAThreeSecondHoldAlsoClears() throws InterruptedException {
        press("stop");
        assertEquals(List.of(Button.STOP), pressed(), "STOP at press-down, no waiting for release");
        sleep(250);
        release("stop");
        assertEquals(List.of(Button.STOP, Button.CLEAR), pressed());

        commands.clear();
        press("stop");
        sleep(30);
        release("stop");
        sleep(200);
        assertEquals(List.of(Button.STOP), pressed(), "a short stop press does not clear faults");
    }

    @Test
    void estopLineReadsHighAsActiveAndMakesSafeFirst() {
        mock.in(Pi4jButtons.ID_PREFIX + "estop").mockState(DigitalState.HIGH);
        assertEquals(1, safeCalls.get());
        assertEquals(List.of(Button.ESTOP), pressed());
        assertEquals(true, buttons.active());
        mock.in(Pi4jButtons.ID_PREFIX + "estop").mockState(DigitalState.LOW);
        assertEquals(List.of(Button.ESTOP, Button.ESTOP_RELEASE), pressed());
        assertEquals(false, buttons.active());
    }
}

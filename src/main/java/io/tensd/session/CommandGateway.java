package io.tensd.session;

import java.util.function.Consumer;

/**
 * Hands commands to the control loop from other threads (buttons, MQTT). {@code reply} is called once,
 * on the loop thread, when the command has been applied or refused: it must not block.
 * {@link #submit} itself never blocks; a full queue answers "rejected: busy" at once.
 */
public interface CommandGateway {
    void submit(SessionCommand command, Consumer<CommandOutcome> reply);
}

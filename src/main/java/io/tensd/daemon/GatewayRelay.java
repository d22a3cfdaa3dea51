package io.tensd.daemon;

import io.tensd.session.CommandGateway;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionCommand;
import java.util.function.Consumer;

/**
 * The buttons are wired when the hardware opens, before the controller that takes their presses exists.
 * A press in that window is refused (nothing runs yet); afterwards every command goes to the controller.
 */
final class GatewayRelay implements CommandGateway {
    private volatile CommandGateway target;

    void connect(CommandGateway target) { this.target = target; }

    @Override
    public void submit(SessionCommand command, Consumer<CommandOutcome> reply) {
        CommandGateway t = target;
        if (t == null) {
            reply.accept(CommandOutcome.rejected("starting: the device is not ready yet"));
        } else {
            t.submit(command, reply);
        }
    }
}

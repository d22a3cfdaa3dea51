package io.tensd.sim.scenario;

import io.tensd.hw.Button;
import java.util.Map;

/** What a timeline entry does. */
public sealed interface Action {
    /** A fault or condition injected into the simulated hardware. */
    record Inject(InjectTarget target, String value, double amount) implements Action { }

    /** A local button press. {@code estop} presses the e-stop; {@code clear} releases it and clears (technician). */
    record Press(Button button) implements Action { }

    /** Move to a posture (trunk/lumbar flexion and lateral bend) over a time. */
    record Posture(double flexionDeg, double lateralDeg, long overMillis) implements Action { }

    /** Perform an exercise set. */
    record Exercise(String type, int reps, double periodSeconds) implements Action { }

    /** Take the embedded broker down or bring it back. */
    record Broker(boolean up) implements Action { }

    /** A remote command as a clinician would send it ({@code name} is the cmd topic's last level). */
    record Command(String name, Map<String, Object> payload) implements Action { }
}

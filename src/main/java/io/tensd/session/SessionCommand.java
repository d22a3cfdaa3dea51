package io.tensd.session;

import io.tensd.hw.Button;
import io.tensd.therapy.Prescription;

/**
 * Everything that may change a session, from a local button or a remote clinician. Remote commands are
 * validated and rate-limited before they become one of these; the loop applies them at a tick and answers
 * through a {@link CommandOutcome}. No command raises a limit, and a remote {@code CLEAR} does not exist.
 */
public sealed interface SessionCommand {
    enum Source { LOCAL, REMOTE }

    Source source();

    /**
     * A local button press (PAUSE toggles: the patient's one button); a remote command never becomes a Press.
     * {@code atNanos} is when it was pressed (the loop's monotonic clock), or {@link #NOT_STAMPED} for "when the loop applies it": a queued {@code clear} applies only
     * to faults latched before it was pressed, never to one that latches while it waits in the queue.
     */
    record Press(Button button, Source source, long atNanos) implements SessionCommand {
        public static final long NOT_STAMPED = Long.MIN_VALUE;

        public Press(Button button, Source source) {
            this(button, source, NOT_STAMPED);
        }
    }

    /** The run state a remote {@code pause}, {@code resume} or {@code stop} names. */
    enum Target { PAUSED, RUNNING, STOPPED }

    /**
     * "Be in this state": idempotent in effect, so a retried or redelivered command (new id or not) can never
     * undo itself. Already there → accepted with {@link CommandOutcome#noChange()}.
     */
    record Want(Target target, Source source) implements SessionCommand { }

    record StartSession(Prescription prescription, Source source) implements SessionCommand { }

    /**
     * Keep {@code prescription} on the device without starting: the patient later starts it at home with a long
     * press of pause ({@link Button#START}). Validated (program, limits, screening) like a start.
     */
    record StorePrescription(Prescription prescription, Source source) implements SessionCommand { }

    record SetIntensity(double milliAmps, Source source) implements SessionCommand { }

    /** {@code setpointCelsius} empty turns heat off. */
    record SetHeat(java.util.OptionalDouble setpointCelsius, Source source) implements SessionCommand { }
}

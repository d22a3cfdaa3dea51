package io.tensd.posture;

import io.tensd.hw.Annunciator;
import io.tensd.session.EventSink;
import io.tensd.session.SessionEvent;
import java.util.function.Supplier;

/**
 * Wires posture events to the device: every event becomes a {@link SessionEvent} (journalled, then
 * published); a slouch alert also plays the SLOUCH haptic pattern and a finished set the CONFIRM pattern.
 * Both sinks are non-blocking by contract, so this is safe on the acquisition thread.
 */
public final class PostureEventBridge implements PostureListener {
    private final EventSink sink;
    private final Annunciator annunciator;
    private final Supplier<String> sessionId;

    public PostureEventBridge(EventSink sink, Annunciator annunciator, Supplier<String> sessionId) {
        this.sink = sink;
        this.annunciator = annunciator;
        this.sessionId = sessionId;
    }

    @Override
    public void onEvent(PostureEvent event) {
        if (event instanceof PostureEvent.SlouchAlert) {
            annunciator.haptic(Annunciator.Haptic.SLOUCH);
        } else if (event instanceof PostureEvent.SetComplete) {
            annunciator.haptic(Annunciator.Haptic.CONFIRM);
        }
        sink.emit(new SessionEvent(event.type(), sessionId.get(), event.atNanos(), event.data()));
    }
}

package io.tensd.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import io.tensd.hw.Annunciator;
import io.tensd.session.SessionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PostureEventBridgeTest {
    @Test
    void slouchAlertBuzzesAndEveryEventIsJournalled() {
        Annunciator ann = mock(Annunciator.class);
        List<SessionEvent> sink = new ArrayList<>();
        PostureEventBridge b = new PostureEventBridge(sink::add, ann, () -> "s-1");
        b.onEvent(new PostureEvent.ExerciseRep(5, "bridge", 1, 1, 10, 24.0, 25, false));
        verify(ann, never()).haptic(Annunciator.Haptic.SLOUCH);
        b.onEvent(new PostureEvent.SlouchAlert(7, 31.24, 20, 120_000));
        verify(ann).haptic(Annunciator.Haptic.SLOUCH);
        b.onEvent(new PostureEvent.SetComplete(9, "bridge", 1, 3, 10, 1, 24.1, false));
        verify(ann).haptic(Annunciator.Haptic.CONFIRM);
        b.onEvent(new PostureEvent.Calibration(11, true, "", 18.2, Double.NaN));
        assertEquals(List.of("exercise-rep", "slouch-alert", "exercise-set-complete", "posture-calibration"),
                sink.stream().map(SessionEvent::type).toList());
        SessionEvent alert = sink.get(1);
        assertEquals("s-1", alert.sessionId());
        assertEquals(7, alert.atNanos());
        assertEquals(31.2, alert.data().get("flexionDeg"));
        assertEquals(120_000L, alert.data().get("heldMillis"));
    }
}

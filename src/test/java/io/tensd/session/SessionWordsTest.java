package io.tensd.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.tensd.config.Limits;
import io.tensd.hw.Button;
import io.tensd.safety.SafetySettings;
import io.tensd.therapy.Prescription;
import io.tensd.therapy.Screening;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the session tells people about itself: why it is paused, what a clamp changed. */
class SessionWordsTest {
    static final long T0 = 1_000_000_000L;

    static Prescription rx(double targetMilliAmps, double maxMilliAmps, int minutes) {
        return new Prescription("conventional", 100, 150, targetMilliAmps, maxMilliAmps, minutes, Optional.empty(), Map.of(),
                Optional.empty(), Optional.of(Screening.clear("test")));
    }

    final List<SessionEvent> events = new ArrayList<>();
    final Session session = new Session(Limits.defaults(), SessionSettings.defaults(), SafetySettings.defaults(), events::add,
            () -> "s-1");

    CommandOutcome submit(SessionCommand c) {
        CommandOutcome[] out = new CommandOutcome[1];
        session.submit(T0, c, o -> out[0] = o);
        return out[0];
    }

    @Test
    void aPausedSessionSaysWhy() {
        assertNull(session.pauseReason());
        submit(new SessionCommand.StartSession(rx(10, 12, 10), SessionCommand.Source.LOCAL));
        assertNull(session.pauseReason());
        submit(new SessionCommand.Press(Button.PAUSE, SessionCommand.Source.LOCAL));
        assertEquals(SessionState.PAUSED, session.state());
        assertEquals("patient", session.pauseReason());
    }

    @Test
    void aClampedStartSaysWhatWasAskedAndWhatIsApplied() {
        CommandOutcome o = submit(new SessionCommand.StartSession(rx(120, 120, 90), SessionCommand.Source.REMOTE));
        assertEquals(CommandOutcome.Status.CLAMPED, o.status());
        assertEquals(List.of("limit-max-amplitude", "max-session-minutes"), o.reasons());
        List<String> texts = o.clamps().stream().map(Clamp::text).toList();
        assertEquals(List.of("targetMilliAmps 120 → 80 (limits max)", "maxMilliAmps 120 → 80 (limits max)",
                "durationMinutes 90 → 60 (limits max session)"), texts);
        SessionEvent started = events.stream().filter(e -> e.type().equals("session-started")).findFirst().orElseThrow();
        assertEquals(texts, started.data().get("clamps"));
        assertEquals(80.0, session.targetMilliAmps());
    }

    @Test
    void aClampedHeatSetpointSaysWhatWasAskedAndWhatIsApplied() {
        submit(new SessionCommand.StartSession(rx(10, 12, 10), SessionCommand.Source.LOCAL));
        CommandOutcome o = submit(new SessionCommand.SetHeat(java.util.OptionalDouble.of(45), SessionCommand.Source.REMOTE));
        assertEquals(CommandOutcome.Status.CLAMPED, o.status());
        double max = Limits.defaults().skinCeilingCelsius() - SessionSettings.defaults().heatCeilingMarginCelsius();
        assertEquals("setpointCelsius 45 → " + Clamp.plain(max) + " (skin ceiling less margin)", o.clampText());
        assertEquals(List.of("heat-setpoint-ceiling"), o.reasons());
    }

    @Test
    void anUnclampedStartCarriesNoClamps() {
        CommandOutcome o = submit(new SessionCommand.StartSession(rx(10, 12, 10), SessionCommand.Source.LOCAL));
        assertEquals(CommandOutcome.Status.ACCEPTED, o.status());
        assertEquals(List.of(), o.clamps());
        assertEquals(null, events.get(0).data().get("clamps"));
    }

    @Test
    void theRunSummaryOfASimulationSaysWhatTheClampChanged() {
        io.tensd.sim.scenario.ScenarioHarness.Result r =
                io.tensd.sim.scenario.ScenarioHarness.runFile("clamped-start.yaml", 100, o -> o, x -> { });
        assertEquals(List.of("start: clamped: targetMilliAmps 120 → 80 (limits max); maxMilliAmps 120 → 80 (limits max)"),
                r.notes().stream().filter(n -> n.startsWith("start:")).toList());
    }
}

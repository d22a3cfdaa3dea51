package io.tensd.therapy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.Limits;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProgramsTest {
    private static Prescription rx(String program, double hz, int pw, Map<String, Object> params) {
        return new Prescription(program, hz, pw, 10, 20, 30, Optional.empty(), params, Optional.empty(),
                Optional.of(Screening.clear("test")));
    }

    private static String refusal(Prescription p) {
        return assertThrows(ProgramException.class, () -> Programs.validate(p, Limits.defaults())).getMessage();
    }

    @Test
    void eachProgramRefusesValuesOutsideItsDefinition() {
        assertTrue(refusal(rx("conventional", 60, 150, Map.of())).contains("frequencyHz 60 Hz outside 80–150 Hz"));
        assertTrue(refusal(rx("conventional", 100, 250, Map.of())).contains("pulseWidthMicros 250 µs outside 50–200 µs"));
        assertTrue(refusal(rx("acupuncture-like", 10, 220, Map.of())).contains("outside 1–5 Hz"));
        assertTrue(refusal(rx("burst", 100, 200, Map.of("burstRateHz", 6.0, "pulsesPerBurst", 7.0))).contains("burstRateHz"));
        assertTrue(refusal(rx("burst", 100, 200, Map.of("burstRateHz", 4.0, "pulsesPerBurst", 20.0)))
                .contains("more than half of the 250 ms burst period"));
        assertTrue(refusal(rx("burst", 150, 200, Map.of("burstRateHz", 2.0, "pulsesPerBurst", 2.0))).contains("shorter than the 20 ms"));
        assertTrue(refusal(rx("modulated", 100, 200, Map.of("modulate", "colour", "depthPercent", 30.0, "periodS", 4.0)))
                .contains("amplitude, width or rate"));
        assertTrue(refusal(rx("modulated", 100, 200, Map.of("modulate", "rate", "depthPercent", 80.0, "periodS", 4.0)))
                .contains("depthPercent 80 %"));
        assertTrue(refusal(rx("strength-duration", 100, 200, Map.of("depthPercent", 30.0))).contains("missing parameter 'periodS'"));
        assertTrue(refusal(rx("conventional", 100, 150, Map.of("periodS", 3.0))).contains("unknown parameter 'periodS'"));
        assertTrue(refusal(rx("tickle", 100, 150, Map.of())).contains("unknown program 'tickle'"));
    }

    @Test
    void envelopesOutsideTheLimitsFileAreRefused() {
        // width modulated 40 % from 60 µs reaches 36 µs, under the limits minimum of 50 µs
        assertTrue(refusal(rx("modulated", 100, 60, Map.of("modulate", "width", "depthPercent", 40.0, "periodS", 4.0)))
                .contains("pulse width reaches 36 µs, below the limits minimum 50 µs"));
        Limits tight = new Limits(80, 50, 180, 1, 120, 25, 2, 60, 41, 60, 500, 100);
        assertTrue(assertThrows(ProgramException.class, () -> Programs.validate(rx("conventional", 140, 150, Map.of()), tight))
                .getMessage().contains("above the limits maximum 120 Hz"));
        assertTrue(assertThrows(ProgramException.class, () -> Programs.validate(rx("acupuncture-like", 2, 200, Map.of()), tight))
                .getMessage().contains("above the limits maximum 180 µs"));
    }

    @Test
    void envelopeNeverExceedsTheIntensityAndStartsAtThePrescribedValues() throws ProgramException {
        Setpoint s = new Setpoint();
        Program sd = Programs.validate(rx("strength-duration", 120, 240, Map.of("depthPercent", 50.0, "periodS", 6.0)), Limits.defaults());
        sd.envelope(0, 10, s);
        assertEquals(240, s.pulseWidthMicros);
        assertEquals(60.0, s.frequencyHz);
        sd.envelope(3_000_000_000L, 10, s);
        assertEquals(120, s.pulseWidthMicros);
        assertEquals(120.0, s.frequencyHz);
        assertEquals(240, sd.maxPulseWidthMicros());
        Program burst = Programs.validate(rx("burst", 100, 200, Map.of("burstRateHz", 2.0, "pulsesPerBurst", 8.0)), Limits.defaults());
        burst.envelope(79_000_000L, 10, s);
        assertEquals(10.0, s.milliAmps);
        burst.envelope(80_000_000L, 10, s);
        assertEquals(0.0, s.milliAmps);
        burst.envelope(500_000_000L, 10, s);
        assertEquals(10.0, s.milliAmps);
    }
}

package io.tensd.clinic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AdherenceTest {
    private static final LocalDate TODAY = LocalDate.of(2026, 3, 31); // a Tuesday

    private static Adherence.SessionFacts at(LocalDate d, int hour, double minutes) {
        return new Adherence.SessionFacts(d.atTime(hour, 0).toInstant(ZoneOffset.UTC), minutes, 1, 10);
    }

    @Test
    void sixteenDaysOfDataInThirtyMeetTheRtmRuleAndFifteenDoNot() {
        Set<LocalDate> days = new HashSet<>();
        for (int i = 0; i < 16; i++) days.add(TODAY.minusDays(i * 29L / 15));
        assertEquals(16, days.size());
        Adherence a = Adherence.compute("d", List.of(), days, TODAY, 30, ZoneOffset.UTC);
        assertTrue(a.rtm().met());
        assertEquals(16, a.rtm().daysWithData());
        days.remove(TODAY);
        days.add(TODAY.minusDays(30)); // outside the window
        Adherence b = Adherence.compute("d", List.of(), days, TODAY, 30, ZoneOffset.UTC);
        assertFalse(b.rtm().met());
        assertEquals(15, b.daysWithData());
    }

    @Test
    void sessionsAndMinutesPerDayAndPerIsoWeek() {
        List<Adherence.SessionFacts> s = new ArrayList<>();
        s.add(at(TODAY, 9, 20));
        s.add(at(TODAY, 18, 10.5));
        s.add(at(TODAY.minusDays(1), 9, 30)); // Monday of the same week
        s.add(at(TODAY.minusDays(2), 9, 15)); // Sunday: previous week
        s.add(at(TODAY.minusDays(10), 9, 99)); // outside a 7-day window
        Adherence a = Adherence.compute("d", s, Set.of(TODAY, TODAY.minusDays(1), TODAY.minusDays(2)), TODAY, 7, ZoneOffset.UTC);
        assertEquals(7, a.perDay().size());
        assertEquals(TODAY.minusDays(6), a.from());
        assertEquals(4, a.sessions());
        assertEquals(75.5, a.therapyMinutes(), 1e-9);
        assertEquals(3, a.daysWithData());
        assertEquals(40, a.exerciseReps());
        Adherence.Day today = a.perDay().get(6);
        assertEquals(2, today.sessions());
        assertEquals(30.5, today.therapyMinutes(), 1e-9);
        assertEquals(2, a.perWeek().size());
        assertEquals(LocalDate.of(2026, 3, 30), a.perWeek().get(1).weekStart());
        assertEquals(60.5, a.perWeek().get(1).therapyMinutes(), 1e-9);
        assertEquals(3, a.perWeek().get(1).sessions());
    }

    @Test
    void theClinicTimeZoneDecidesTheDay() {
        // 23:30 UTC on the 30th is already the 31st in Vienna
        Adherence.SessionFacts late = new Adherence.SessionFacts(TODAY.minusDays(1).atTime(23, 30).toInstant(ZoneOffset.UTC), 10.0, 0, 0);
        Adherence utc = Adherence.compute("d", List.of(late), Set.of(), TODAY, 2, ZoneOffset.UTC);
        Adherence vienna = Adherence.compute("d", List.of(late), Set.of(), TODAY, 2, ZoneId.of("Europe/Vienna"));
        assertEquals(1, utc.perDay().get(0).sessions());
        assertEquals(1, vienna.perDay().get(1).sessions());
    }
}

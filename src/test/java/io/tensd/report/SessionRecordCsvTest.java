package io.tensd.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** samples.csv lines go through a CSV parser, not split(","): quoted cells and empty trailing cells survive. */
class SessionRecordCsvTest {
    @Test
    void quotedAndEmptyCellsAreKept() throws Exception {
        assertArrayEquals(new String[] {"990", "RAMP_UP", "", "skin-sensor-fault|estop", "a,b", ""},
                SessionRecord.cells("990,RAMP_UP,,skin-sensor-fault|estop,\"a,b\","));
        assertArrayEquals(new String[] {"t_ms", "state"}, SessionRecord.cells("t_ms,state"));
    }
}

package io.tensd.hw.pi4j;

import com.pi4j.io.i2c.I2C;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.TempReading;
import io.tensd.loop.VirtualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static io.tensd.hw.pi4j.MockPi.answer16;
import static org.junit.jupiter.api.Assertions.assertEquals;

class Ads1115NtcTest {
    private static final Ads1115Ntc.Params P = new Ads1115Ntc.Params(10_000, 10_000, 3988, 0.97, 0.03, 2.5, 0);
    private final MockPi mock = new MockPi();
    private final VirtualClock clock = new VirtualClock(5_000L);
    private final I2C i2c = Pi4jIo.i2c(mock.pi4j, "a", 1, 0x49);
    private final Ads1115Ntc ntc = new Ads1115Ntc(new I2cDevice(i2c, 1, 0x49), clock, P);

    @AfterEach
    void close() { mock.close(); }

    /** The ADC code a given voltage produces at ±4.096 V full scale. */
    private static int code(double volts) {
        return (int) Math.round(volts / Ads1115Ntc.VOLTS_PER_LSB) & 0xFFFF;
    }

    private static int nodeCode(double celsius, double railVolts) {
        double r = Ads1115Ntc.ohmsFromCelsius(celsius, P.r25Ohms(), P.betaKelvin());
        return code(railVolts * r / (r + P.fixedOhms()));
    }

    @Test
    void startWordMatchesTheDatasheetBits() {
        assertEquals(0xC3E3, Ads1115Ntc.startWord(Ads1115Ntc.MUX_AIN0));
        assertEquals(0xD3E3, Ads1115Ntc.startWord(Ads1115Ntc.MUX_AIN1));
        assertEquals(1.0, Ads1115Ntc.voltsFromCode(8000), 1e-12);
        assertEquals(-0.125e-3, Ads1115Ntc.voltsFromCode(0xFFFF), 1e-12);
    }

    @Test
    void codeToCelsiusIsWithinATenthOfTheBetaFormula() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 5000; i++) {
            double celsius = -10 + random.nextDouble() * 80;        // -10..70 °C
            double rail = 3.0 + random.nextDouble() * 0.6;          // a sagging or high 3V3 rail
            TempReading r = ntc.convert(nodeCode(celsius, rail), code(rail), 0);
            assertEquals(SensorStatus.OK, r.status(), "seed " + seed);
            assertEquals(celsius, r.celsius(), 0.1, "seed " + seed + " at " + celsius + " °C, rail " + rail + " V");
        }
    }

    @Test
    void betaFormulaAt25IsR25AndRoundTrips() {
        assertEquals(10_000, Ads1115Ntc.ohmsFromCelsius(25, 10_000, 3988), 1e-6);
        assertEquals(37.0, Ads1115Ntc.celsiusFromOhms(Ads1115Ntc.ohmsFromCelsius(37, 10_000, 3988), 10_000, 3988), 1e-9);
        assertEquals(5000, Ads1115Ntc.ntcOhms(1.0 / 3.0, 10_000), 1e-9);
    }

    @Test
    void openShortAndMissingRail() {
        assertEquals(SensorStatus.OPEN, ntc.convert(code(3.29), code(3.30), 0).status(), "node at the rail: NTC open");
        assertEquals(SensorStatus.SHORT, ntc.convert(code(0.01), code(3.30), 0).status(), "node at ground: NTC shorted");
        assertEquals(SensorStatus.OPEN, ntc.convert(code(0.2), code(0.3), 0).status(), "divider unpowered");
    }

    @Test
    void pollRunsTwoSingleShotConversionsOnTheBus() {
        // the mock answers our config reads with what we wrote (OS=1: conversion done), then the codes we queue
        answer16(i2c, Ads1115Ntc.REG_CONVERSION, nodeCode(37.0, 3.3));
        answer16(i2c, Ads1115Ntc.REG_CONVERSION, code(3.3));
        ntc.poll();
        assertEquals(SensorStatus.OK, ntc.latest().status());
        assertEquals(37.0, ntc.latest().celsius(), 0.05);
        assertEquals(5_000L, ntc.latest().sampledAtNanos());
    }

    @Test
    void configReadbackMismatchIsBadId() {
        answer16(i2c, Ads1115Ntc.REG_CONFIG, 0x8583); // something that ignores our write (the ADS1115 reset value)
        answer16(i2c, Ads1115Ntc.REG_CONVERSION, 0x1000);
        ntc.poll();
        assertEquals(SensorStatus.BAD_ID, ntc.latest().status());
    }

    @Test
    void missingConversionIsBusError() {
        ntc.poll();
        assertEquals(SensorStatus.BUS_ERROR, ntc.latest().status());
    }
}

package io.tensd.config;

import static io.tensd.config.ConfigFiles.errors;
import static io.tensd.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LimitsLoaderTest {
    @TempDir
    Path dir;

    private List<String> errorsOf(String yaml) {
        return errors(LimitsLoader::load, write(dir, "limits.yaml", yaml));
    }

    private String f() {
        return dir.resolve("limits.yaml").toString();
    }

    @Test
    void shippedFileHoldsExactlyTheDocumentedDefaults() throws Exception {
        Limits shipped = LimitsLoader.load(Path.of("config/limits.yaml"));
        assertEquals(Limits.defaults(), shipped);
        assertEquals(new Limits(80, 50, 400, 1, 150, 25, 2, 60, 41, 60, 500, 100), shipped);
    }

    @Test
    void missingKeysTakeTheSafeDefaults() throws Exception {
        assertEquals(Limits.defaults(), LimitsLoader.load(write(dir, "limits.yaml", "{}\n")));
        assertEquals(Limits.defaults(), LimitsLoader.load(write(dir, "limits.yaml", "stimulation: {}\nheat:\n  maxHeatMinutes: 60\n")));
    }

    @Test
    void everyValueIsReadIntoItsField() throws Exception {
        Limits l = LimitsLoader.load(write(dir, "limits.yaml", """
                stimulation:
                  maxMilliAmps: 60.5
                  pulseWidthMicros: {min: 100, max: 250}
                  frequencyHz: {min: 2, max: 120}
                  maxChargePerPhaseMicroCoulombs: 20
                  maxRampMilliAmpsPerSecond: 1.5
                session: {maxSessionMinutes: 45}
                heat: {skinCeilingCelsius: 40.5, maxHeatMinutes: 30}
                sensors: {staleMillis: 300}
                stimulator: {leaseMillis: 80}
                """));
        assertEquals(new Limits(60.5, 100, 250, 2, 120, 20, 1.5, 45, 40.5, 30, 300, 80), l);
    }

    @Test
    void missingFileIsAnError() {
        assertEquals(List.of(dir.resolve("limits.yaml") + ":0: (document): file not found"),
                errors(LimitsLoader::load, dir.resolve("limits.yaml")));
    }

    @Test
    void skinCeilingAbove43IsRejectedNamingTheAbsoluteMaximum() {
        assertEquals(List.of(f() + ":2: heat.skinCeilingCelsius: must not be above 43 °C, the absolute maximum skin temperature"
                        + " of this device (it cannot be configured higher), got 43.5 °C"),
                errorsOf("heat:\n  skinCeilingCelsius: 43.5\n"));
    }

    @Test
    void skinCeilingOfExactly43IsAccepted() throws Exception {
        assertEquals(43.0, LimitsLoader.load(write(dir, "limits.yaml", "heat: {skinCeilingCelsius: 43}\n")).skinCeilingCelsius());
    }

    @Test
    void skinCeilingBelowItsRangeIsRejected() {
        assertEquals(List.of(f() + ":1: heat.skinCeilingCelsius: must be between 30 and 43 °C, got 20 °C"),
                errorsOf("heat: {skinCeilingCelsius: 20}\n"));
    }

    @Test
    void unknownKeysAreErrorsAtEveryLevel() {
        assertEquals(List.of(
                f() + ":1: therapy: unknown key; allowed: heat, sensors, session, stimulation, stimulator",
                f() + ":4: stimulation.maxMiliAmps: unknown key; did you mean 'maxMilliAmps'? allowed: frequencyHz, "
                        + "maxChargePerPhaseMicroCoulombs, maxMilliAmps, maxRampMilliAmpsPerSecond, pulseWidthMicros",
                f() + ":6: stimulation.pulseWidthMicros.maximum: unknown key; did you mean 'max'? allowed: max, min"),
                errorsOf("therapy:\n  x: 1\nstimulation:\n  maxMiliAmps: 70\n  pulseWidthMicros:\n    maximum: 300\n"));
    }

    @Test
    void wrongTypesAreErrors() {
        assertEquals(List.of(
                f() + ":2: stimulation.maxMilliAmps: expected a number, got 'eighty'",
                f() + ":3: stimulation.pulseWidthMicros: expected a mapping (key: value)",
                f() + ":5: session.maxSessionMinutes: expected a whole number, got '60.5'",
                f() + ":6: heat: expected a mapping (key: value)",
                f() + ":8: sensors.staleMillis: expected a single value, not a list"),
                errorsOf("stimulation:\n  maxMilliAmps: eighty\n  pulseWidthMicros: 200\nsession:\n  maxSessionMinutes: 60.5\n"
                        + "heat: 41\nsensors:\n  staleMillis: [1, 2]\n"));
    }

    @Test
    void valuesBeyondTheHardwareAreRejected() {
        assertEquals(List.of(
                f() + ":2: stimulation.maxMilliAmps: must be between 1 and 100 mA (hardware maximum 100 mA), got 120 mA",
                f() + ":3: stimulation.pulseWidthMicros.max: must be between 20 and 500 µs (the stimulator board's hardware range), got 600 µs",
                f() + ":4: stimulation.frequencyHz.min: must be between 0.5 and 200 Hz (the stimulator board's hardware range), got 0.2 Hz",
                f() + ":5: stimulation.maxChargePerPhaseMicroCoulombs: must be between 1 and 50 µC "
                        + "(100 mA × 500 µs is the hardware maximum), got 60 µC"),
                errorsOf("stimulation:\n  maxMilliAmps: 120\n  pulseWidthMicros: {max: 600}\n  frequencyHz: {min: 0.2}\n"
                        + "  maxChargePerPhaseMicroCoulombs: 60\n"));
    }

    @Test
    void otherRangesAreEnforced() {
        assertEquals(List.of(
                f() + ":1: stimulation.maxRampMilliAmpsPerSecond: must be between 0.1 and 10 mA/s, got 50 mA/s",
                f() + ":2: session.maxSessionMinutes: must be between 1 and 240 min, got 0 min",
                f() + ":3: sensors.staleMillis: must be between 20 and 2000 ms, got 10000 ms",
                f() + ":4: stimulator.leaseMillis: must be between 20 and 1000 ms, got 5 ms"),
                errorsOf("stimulation: {maxRampMilliAmpsPerSecond: 50}\nsession: {maxSessionMinutes: 0}\n"
                        + "sensors: {staleMillis: 10000}\nstimulator: {leaseMillis: 5}\n"));
    }

    @Test
    void minAboveMaxIsRejectedAndSaysWhenTheOtherSideIsADefault() {
        assertEquals(List.of(
                f() + ":3: stimulation.pulseWidthMicros.min: must not be above max (200 µs), got 300 µs",
                f() + ":6: stimulation.frequencyHz.max: must not be below min (1 Hz, the default), got 0.5 Hz"),
                errorsOf("stimulation:\n  pulseWidthMicros:\n    min: 300\n    max: 200\n  frequencyHz:\n    max: 0.5\n"));
        assertEquals(List.of(f() + ":1: stimulation.pulseWidthMicros.min: must not be above max (400 µs, the default), got 450 µs"),
                errorsOf("stimulation: {pulseWidthMicros: {min: 450}}\n"));
    }

    @Test
    void anOutOfRangeSideGivesNoFollowUpMinMaxError() {
        assertEquals(List.of(
                f() + ":1: stimulation.pulseWidthMicros.max: must be between 20 and 500 µs (the stimulator board's hardware range), got 900 µs"),
                errorsOf("stimulation: {pulseWidthMicros: {min: 450, max: 900}}\n"));
    }

    @Test
    void heatLongerThanTheSessionIsRejected() {
        assertEquals(List.of(f() + ":3: heat.maxHeatMinutes: must not be longer than session.maxSessionMinutes (30 min), got 45 min"),
                errorsOf("session: {maxSessionMinutes: 30}\nheat:\n  maxHeatMinutes: 45\n"));
    }

    @Test
    void duplicateKeyAndEmptyValueAreErrors() {
        assertEquals(List.of(
                f() + ":3: session.maxSessionMinutes: duplicate key (first given at line 2); the later value is ignored",
                f() + ":5: stimulator.leaseMillis: no value given (write one after the colon, or delete the key to use the default)"),
                errorsOf("session:\n  maxSessionMinutes: 60\n  maxSessionMinutes: 90\nstimulator:\n  leaseMillis:\n"));
    }

    @Test
    void yamlSyntaxErrorGivesItsLine() {
        List<String> errors = errorsOf("stimulation:\n  maxMilliAmps: 80\n   pulseWidthMicros: {min: 50}\n");
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith(f() + ":3: (document): YAML syntax: "), errors.get(0));
    }

    @Test
    void allErrorsOfAFileAreReportedTogether() {
        List<String> errors = errorsOf("stimulation:\n  maxMilliAmps: 200\nheat:\n  skinCeilingCelsius: 50\n  colour: red\n");
        assertEquals(3, errors.size(), errors.toString());
    }

    /** Any in-range values, written in varied but equivalent YAML, load to exactly those values. */
    @Test
    void randomValidFilesLoadToTheirValues() throws Exception {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        for (int i = 0; i < 500; i++) {
            int minPw = 20 + r.nextInt(481);
            int maxPw = minPw + r.nextInt(501 - minPw);
            double minHz = (5 + r.nextInt(1996)) / 10.0;
            double maxHz = Math.min(200, minHz + r.nextInt(2000) / 10.0);
            int session = 1 + r.nextInt(240);
            Limits want = new Limits(1 + r.nextInt(100), minPw, maxPw, minHz, maxHz, 1 + r.nextInt(50),
                    (1 + r.nextInt(100)) / 10.0, session, 30 + r.nextInt(131) / 10.0, 1 + r.nextInt(session),
                    20 + r.nextInt(1981), 20 + r.nextInt(981));
            String yaml = String.format(Locale.ROOT, """
                    stimulation:
                      maxMilliAmps: %s
                      pulseWidthMicros: {min: %d, max: %d}
                      frequencyHz:
                        max: %s
                        min: %s
                      maxChargePerPhaseMicroCoulombs: %s
                      maxRampMilliAmpsPerSecond: %s
                    heat: {skinCeilingCelsius: %s, maxHeatMinutes: %d}
                    session: {maxSessionMinutes: %d}
                    sensors: {staleMillis: %d}
                    stimulator: {leaseMillis: %s}
                    """, r.nextBoolean() ? want.maxMilliAmps() : Integer.toString((int) want.maxMilliAmps()), minPw, maxPw,
                    want.maxFrequencyHz(), want.minFrequencyHz(), want.maxChargePerPhaseMicroCoulombs(),
                    want.maxRampMilliAmpsPerSecond(), want.skinCeilingCelsius(), want.maxHeatMinutes(), session,
                    want.sensorStaleMillis(), r.nextBoolean() ? Integer.toString(want.stimulatorLeaseMillis())
                            : String.format("0x%x", want.stimulatorLeaseMillis()));
            Limits got = LimitsLoader.load(write(dir, "limits.yaml", yaml));
            assertEquals(want, got, "seed " + seed + ", file:\n" + yaml);
            assertEquals(LimitsFingerprint.of(want), LimitsFingerprint.of(got), "seed " + seed);
        }
    }

    /** No value above a hardware cap or the absolute skin ceiling is ever accepted. */
    @Test
    void randomValuesAboveTheCapsAreAlwaysRejected() {
        long seed = System.nanoTime();
        Random r = new Random(seed);
        String[][] keys = {
                {"stimulation:\n  maxMilliAmps: %s\n", "100"},
                {"stimulation:\n  pulseWidthMicros: {max: %s}\n", "500"},
                {"stimulation:\n  frequencyHz: {max: %s}\n", "200"},
                {"stimulation:\n  maxChargePerPhaseMicroCoulombs: %s\n", "50"},
                {"heat:\n  skinCeilingCelsius: %s\n", "43"},
        };
        for (int i = 0; i < 500; i++) {
            String[] k = keys[r.nextInt(keys.length)];
            double cap = Double.parseDouble(k[1]);
            boolean whole = k[0].contains("pulseWidth");
            String value = whole ? Integer.toString((int) cap + 1 + r.nextInt(10_000))
                    : Fields.plain(cap + Math.max(0.001, r.nextDouble() * Math.pow(10, r.nextInt(6) - 2)));
            String yaml = String.format(Locale.ROOT, k[0], value);
            List<String> errors = errorsOf(yaml);
            assertEquals(1, errors.size(), "seed " + seed + ", file:\n" + yaml + errors);
            assertTrue(errors.get(0).contains("got " + value), "seed " + seed + ": " + errors);
        }
    }

    @Test
    void readCanBeUsedOnAParsedDocumentAndRecordsErrorsThere() throws Exception {
        ConfigDocument root = ConfigDocument.read("x.yaml", new java.io.StringReader("heat: {skinCeilingCelsius: 44}\n"));
        Limits l = LimitsLoader.read(root);
        assertEquals(Limits.defaults().skinCeilingCelsius(), l.skinCeilingCelsius());
        assertFalse(root.errors().isEmpty());
    }
}

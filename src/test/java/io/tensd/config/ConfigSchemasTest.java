package io.tensd.config;

import static io.tensd.config.ConfigFiles.errors;
import static io.tensd.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import io.tensd.heat.tune.PadCalibration;
import io.tensd.heat.tune.PidTuning;
import io.tensd.heat.tune.ThermalFit;
import io.tensd.safety.HeatModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config schemas as files a technician's editor can use, and held to the constants the code enforces. */
class ConfigSchemasTest {
    private static final List<String> ALL = List.of(ConfigSchemas.DEVICE, ConfigSchemas.LIMITS, ConfigSchemas.HEAT_MODEL);

    @TempDir
    Path dir;

    /** Every key says what it is and what type it takes; every mapping refuses keys it does not list. */
    @Test
    void everyKeyHasADescriptionAndATypeAndUnknownKeysAreRefused() {
        List<String> problems = new ArrayList<>();
        for (String name : ALL) {
            JsonNode root = ConfigSchemas.raw(name);
            check(name, root, root, "", problems);
        }
        assertEquals(List.of(), problems);
    }

    private static void check(String name, JsonNode root, JsonNode s, String pointer, List<String> problems) {
        JsonNode own = s;
        JsonNode r = ConfigSchemas.schemaAt(root, pointer);
        if (!own.has("description") && !r.has("description")) {
            problems.add(name + pointer + ": no description");
        }
        if (!r.has("type")) {
            problems.add(name + pointer + ": no type");
        }
        if (r.has("properties")) {
            if (!r.path("additionalProperties").isBoolean() || r.get("additionalProperties").asBoolean()) {
                problems.add(name + pointer + ": unknown keys are not refused");
            }
            r.get("properties").fields().forEachRemaining(e -> check(name, root, e.getValue(), pointer + "/" + e.getKey(), problems));
        }
    }

    /** The ranges a technician sees in the schema are the ones the code and the hardware have. */
    @Test
    void limitsSchemaBoundsAreTheHardwareCapsAndTheAbsoluteSkinCeiling() {
        JsonNode s = ConfigSchemas.raw(ConfigSchemas.LIMITS);
        assertRange(s, "/stimulation/maxMilliAmps", LimitsLoader.MIN_MAX_MILLI_AMPS, Limits.HARDWARE_MAX_MILLI_AMPS);
        assertRange(s, "/stimulation/pulseWidthMicros/min", Limits.HARDWARE_MIN_PULSE_WIDTH_MICROS, Limits.HARDWARE_MAX_PULSE_WIDTH_MICROS);
        assertRange(s, "/stimulation/pulseWidthMicros/max", Limits.HARDWARE_MIN_PULSE_WIDTH_MICROS, Limits.HARDWARE_MAX_PULSE_WIDTH_MICROS);
        assertRange(s, "/stimulation/frequencyHz/min", Limits.HARDWARE_MIN_FREQUENCY_HZ, Limits.HARDWARE_MAX_FREQUENCY_HZ);
        assertRange(s, "/stimulation/frequencyHz/max", Limits.HARDWARE_MIN_FREQUENCY_HZ, Limits.HARDWARE_MAX_FREQUENCY_HZ);
        assertRange(s, "/stimulation/maxChargePerPhaseMicroCoulombs", LimitsLoader.MIN_CHARGE_PER_PHASE_MICRO_COULOMBS,
                LimitsLoader.MAX_CHARGE_PER_PHASE_MICRO_COULOMBS);
        assertRange(s, "/stimulation/maxRampMilliAmpsPerSecond", LimitsLoader.MIN_RAMP_MILLI_AMPS_PER_SECOND,
                LimitsLoader.MAX_RAMP_MILLI_AMPS_PER_SECOND);
        assertRange(s, "/session/maxSessionMinutes", 1, LimitsLoader.MAX_SESSION_MINUTES);
        assertRange(s, "/heat/skinCeilingCelsius", LimitsLoader.MIN_SKIN_CEILING_CELSIUS, Limits.ABSOLUTE_SKIN_CEILING_CELSIUS);
        assertRange(s, "/heat/maxHeatMinutes", 1, LimitsLoader.MAX_SESSION_MINUTES);
        assertRange(s, "/sensors/staleMillis", LimitsLoader.MIN_STALE_MILLIS, LimitsLoader.MAX_STALE_MILLIS);
        assertRange(s, "/stimulator/leaseMillis", LimitsLoader.MIN_LEASE_MILLIS, LimitsLoader.MAX_LEASE_MILLIS);
        Limits d = Limits.defaults();
        assertEquals(d.maxMilliAmps(), ConfigSchemas.schemaAt(s, "/stimulation/maxMilliAmps").get("default").asDouble());
        assertEquals(d.skinCeilingCelsius(), ConfigSchemas.schemaAt(s, "/heat/skinCeilingCelsius").get("default").asDouble());
    }

    @Test
    void deviceSchemaBoundsAreTheBoardsPinsBusesAndLoop() {
        JsonNode s = ConfigSchemas.raw(ConfigSchemas.DEVICE);
        assertRange(s, "/loop/rateHz", DeviceConfigLoader.MIN_LOOP_RATE_HZ, DeviceConfigLoader.MAX_LOOP_RATE_HZ);
        assertRange(s, "/hardware/pins/led", 0, DeviceConfigLoader.MAX_BCM_PIN);
        assertRange(s, "/hardware/addresses/skinSensor", DeviceConfigLoader.MIN_I2C_ADDRESS, DeviceConfigLoader.MAX_I2C_ADDRESS);
        Set<Integer> pwm = new TreeSet<>();
        ConfigSchemas.schemaAt(s, "/hardware/pins/heaterPwm").get("enum").forEach(v -> pwm.add(v.asInt()));
        assertEquals(new TreeSet<>(DeviceConfigLoader.HARDWARE_PWM_PINS), pwm);
        assertEquals(DeviceConfigLoader.ID.pattern(), ConfigSchemas.schemaAt(s, "/device/id").get("pattern").asText()
                .replaceAll("^\\^|\\$$", ""));
        assertEquals(DeviceConfigLoader.MAX_BROKER_URLS, ConfigSchemas.schemaAt(s, "/broker/urls").get("maxItems").asInt());
    }

    private static void assertRange(JsonNode schema, String pointer, double min, double max) {
        JsonNode s = ConfigSchemas.schemaAt(schema, pointer);
        assertEquals(min, s.get("minimum").asDouble(), pointer + " minimum");
        assertEquals(max, s.get("maximum").asDouble(), pointer + " maximum");
    }

    /** What an editor plugin or another validator does with the files: the shipped ones and a heat-tune output pass. */
    @Test
    void shippedFilesAreValidForAPlainDraft202012Validator() throws Exception {
        Path model = dir.resolve("heat-model.yaml");
        HeatModelFile.write(model, calibration("PAD-7"), Map.of("gainScale", 1.0, "tauScale", 1.0, "couplingScale", 1.0,
                "ambientCelsius", 22.0));
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        JsonSchemaFactory plain = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        Map<String, Path> files = Map.of(ConfigSchemas.DEVICE, Path.of("config/tensd.yaml"),
                ConfigSchemas.LIMITS, Path.of("config/limits.yaml"), ConfigSchemas.HEAT_MODEL, model);
        for (var e : files.entrySet()) {
            try (var in = Files.newInputStream(Path.of("src/main/resources/schemas/config/" + e.getKey() + ".schema.json"))) {
                var schema = plain.getSchema(in);
                assertEquals(Set.of(), schema.validate(yaml.readTree(e.getValue().toFile())), e.getValue().toString());
                assertTrue(!schema.validate(yaml.readTree("{unknownKey: 1}")).isEmpty(), e.getKey() + " refuses unknown keys");
            }
        }
        assertEquals("PAD-7", HeatModelFile.read(model).calibration().padId());
    }

    private static PadCalibration calibration(String padId) {
        HeatModel n = HeatModel.defaults();
        ThermalFit.Result fit = new ThermalFit.Result(new ThermalFit.Estimate(n.heaterWatts(), 0.1),
                new ThermalFit.Estimate(n.padJoulesPerKelvin(), 0.1), new ThermalFit.Estimate(n.skinJoulesPerKelvin(), 0.1),
                new ThermalFit.Estimate(n.padSkinKelvinPerWatt(), 0.1), new ThermalFit.Estimate(n.padAirKelvinPerWatt(), 0.1),
                new ThermalFit.Estimate(22, 0.2), new ThermalFit.Estimate(37, 0.2), n.skinCoreKelvinPerWatt(), 0.05, 0.2, 600);
        return new PadCalibration(padId, "2026-12-02T10:15:30Z", "simulator", fit, new PidTuning.Gains(0.5, 0.01, 1, 20, 60, 5));
    }

    @Test
    void aHeatModelFileGetsLinePathAndPlainWordsForEveryKindOfProblem() throws Exception {
        Path model = dir.resolve("heat-model.yaml");
        HeatModelFile.write(model, calibration("PAD-7"), null);
        String text = Files.readString(model);
        Path bad = write(dir, "bad.yaml", text.replace("source: \"simulator\"", "source: \"bench\"")
                .replace("samples: 600", "samples: many").replace("gains:", "colour: red\ngains:"));
        List<String> errors = errors(HeatModelFile::read, bad);
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.get(0).matches(".*bad.yaml:\\d+: source: must be device or simulator, got 'bench'"), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.matches(".*bad.yaml:\\d+: samples: expected a whole number, got 'many'")), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.matches(".*bad.yaml:\\d+: colour: unknown key; allowed: airCelsius, .*")), errors.toString());
    }

    @Test
    void numbersWrittenWhereTextIsMeantAreThatText() throws Exception {
        DeviceConfig d = DeviceConfigLoader.load(write(dir, "tensd.yaml", "device: {id: 007, site: on}\n"));
        assertEquals("007", d.deviceId(), "as written, not the number 7");
        assertEquals("on", d.site(), "as written, not the boolean true");
    }

    @Test
    void numbersAConfigCannotUseAndQuotedNumbersAreNamedAtTheirKey() {
        Path f = write(dir, "limits.yaml", "stimulation:\n  maxMilliAmps: .inf\n  maxRampMilliAmpsPerSecond: .nan\n"
                + "session: {maxSessionMinutes: '60'}\n");
        assertEquals(List.of(f + ":2: stimulation.maxMilliAmps: expected a number, got '.inf'",
                f + ":3: stimulation.maxRampMilliAmpsPerSecond: expected a number, got '.nan'",
                f + ":4: session.maxSessionMinutes: expected a whole number, got '60' (a number is written without quotes)"),
                errors(LimitsLoader::load, f));
    }

    @Test
    void aDurationWithoutItsUnitSaysSo() {
        assertEquals(List.of(dir.resolve("tensd.yaml") + ":3: posture.slouchDelay: '90' is not a duration with its unit "
                        + "(examples: 500ms, 90s, 2m, 1m30s, 1h)"),
                errors(DeviceConfigLoader::load, write(dir, "tensd.yaml", "device: {id: a, site: b}\nposture:\n  slouchDelay: 90\n")));
        assertEquals(List.of(dir.resolve("tensd.yaml") + ":2: posture.classDwell: '5 s' is not a duration with its unit (examples: 500ms, 90s, "
                        + "2m, 1m30s, 1h)"),
                errors(DeviceConfigLoader::load, write(dir, "tensd.yaml", "device: {id: a, site: b}\nposture: {classDwell: 5 s}\n")));
    }

    @Test
    void aSessionShorterThanTheDefaultHeatTimeIsReportedNotACrash() {
        Path f = write(dir, "limits.yaml", "session:\n  maxSessionMinutes: 30\n");
        assertEquals(List.of(f + ":2: session.maxSessionMinutes: must not be shorter than heat.maxHeatMinutes (60 min, the "
                + "default): set heat.maxHeatMinutes too, got 30 min"), errors(LimitsLoader::load, f));
    }
}

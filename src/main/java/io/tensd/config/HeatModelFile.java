package io.tensd.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.tensd.config.YamlReader.Entry;
import io.tensd.heat.tune.PadCalibration;
import io.tensd.heat.tune.PidTuning;
import io.tensd.heat.tune.ThermalFit;
import io.tensd.safety.HeatModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A pad's calibration file ({@code tensd heat-tune --out F}; format: docs/configuration.md "Heat model"). Written
 * with Jackson; read strictly (every error {@code FILE:LINE: path: message}). The {@code checksum} is SHA-256 of the
 * canonical JSON of every other value: a hand-edited model is rejected, not trusted.
 */
public final class HeatModelFile {
    public static final String SCHEMA = "tensd.heat-model/1";
    private static final String[] MODEL_KEYS = {"heaterWatts", "padJoulesPerKelvin", "skinJoulesPerKelvin",
            "padSkinKelvinPerWatt", "padAirKelvinPerWatt"};
    private static final Set<String> TOP = Set.of("schema", "padId", "date", "source", "simulatedPlant", "model", "ci95",
            "airCelsius", "coreCelsius", "skinCoreKelvinPerWatt", "residualCelsius", "residualMaxCelsius", "samples",
            "gains", "checksum");
    private static final Set<String> GAINS = Set.of("kpPerCelsius", "kiPerCelsiusSecond", "kdSecondsPerCelsius",
            "gainCelsiusPerDuty", "tauSeconds", "deadTimeSeconds");
    private static final Set<String> PLANT = Set.of("gainScale", "tauScale", "couplingScale", "ambientCelsius");

    /** The file's content: the calibration and, for a simulated pad, the plant it was drawn as. */
    public record Loaded(PadCalibration calibration, Optional<Map<String, Double>> simulatedPlant) { }

    private HeatModelFile() { }

    public static void write(Path file, PadCalibration c, Map<String, Double> simulatedPlant) throws IOException {
        Map<String, Object> m = toMap(c, simulatedPlant);
        m.put("checksum", checksum(m));
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory().disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER));
        Files.writeString(file, "# tensd heat model: written by tensd heat-tune, checked by tensd check-config. "
                + "Do not edit: the checksum covers every value.\n" + yaml.writeValueAsString(m), StandardCharsets.UTF_8);
    }

    static Map<String, Object> toMap(PadCalibration c, Map<String, Double> simulatedPlant) {
        ThermalFit.Result f = c.fit();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("schema", SCHEMA);
        m.put("padId", c.padId());
        m.put("date", c.date());
        m.put("source", c.source());
        if (simulatedPlant != null && !simulatedPlant.isEmpty()) {
            m.put("simulatedPlant", new LinkedHashMap<>(simulatedPlant));
        }
        ThermalFit.Estimate[] est = {f.heaterWatts(), f.padJoulesPerKelvin(), f.skinJoulesPerKelvin(),
                f.padSkinKelvinPerWatt(), f.padAirKelvinPerWatt()};
        Map<String, Object> model = new LinkedHashMap<>();
        Map<String, Object> ci = new LinkedHashMap<>();
        for (int i = 0; i < MODEL_KEYS.length; i++) {
            model.put(MODEL_KEYS[i], est[i].value());
            ci.put(MODEL_KEYS[i], est[i].ci95());
        }
        ci.put("airCelsius", f.airCelsius().ci95());
        ci.put("coreCelsius", f.coreCelsius().ci95());
        m.put("model", model);
        m.put("ci95", ci);
        m.put("skinCoreKelvinPerWatt", f.skinCoreKelvinPerWatt());
        m.put("airCelsius", f.airCelsius().value());
        m.put("coreCelsius", f.coreCelsius().value());
        m.put("residualCelsius", f.residualCelsius());
        m.put("residualMaxCelsius", f.residualMaxCelsius());
        m.put("samples", f.samples());
        PidTuning.Gains g = c.gains();
        Map<String, Object> gains = new LinkedHashMap<>();
        gains.put("kpPerCelsius", g.kpPerCelsius());
        gains.put("kiPerCelsiusSecond", g.kiPerCelsiusSecond());
        gains.put("kdSecondsPerCelsius", g.kdSecondsPerCelsius());
        gains.put("gainCelsiusPerDuty", g.gainCelsiusPerDuty());
        gains.put("tauSeconds", g.tauSeconds());
        gains.put("deadTimeSeconds", g.deadTimeSeconds());
        m.put("gains", gains);
        return m;
    }

    /** SHA-256 of the canonical JSON (keys sorted at every level) of {@code m} without its checksum. */
    static String checksum(Map<String, Object> m) {
        try {
            ObjectMapper json = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
            Map<String, Object> copy = new TreeMap<>(m);
            copy.remove("checksum");
            byte[] d = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsBytes(copy));
            return "sha256:" + HexFormat.of().formatHex(d);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads and checks {@code file}; every problem is in the ConfigException as FILE:LINE: path: message. */
    public static Loaded read(Path file) throws ConfigException {
        Entry root = YamlReader.read(file);
        Map<String, Entry> top = root.map(TOP);
        for (String k : TOP) {
            if (!top.containsKey(k) && !k.equals("simulatedPlant")) {
                root.error("missing required key '" + k + "'");
            }
        }
        root.throwIfErrors();
        if (!SCHEMA.equals(top.get("schema").string(""))) {
            top.get("schema").error("must be " + SCHEMA);
        }
        String padId = top.get("padId").string("");
        if (padId.isBlank()) {
            top.get("padId").error("must not be empty");
        }
        String date = top.get("date").string("");
        try {
            java.time.Instant.parse(date);
        } catch (java.time.format.DateTimeParseException e) {
            top.get("date").error("must be an ISO-8601 instant (2026-12-02T10:15:30Z), got '" + date + "'");
        }
        String source = top.get("source").string("");
        if (!source.equals("device") && !source.equals("simulator")) {
            top.get("source").error("must be device or simulator, got '" + source + "'");
        }
        HeatModel nominal = HeatModel.defaults();
        double[] nominalValues = {nominal.heaterWatts(), nominal.padJoulesPerKelvin(), nominal.skinJoulesPerKelvin(),
                nominal.padSkinKelvinPerWatt(), nominal.padAirKelvinPerWatt()};
        Map<String, Entry> model = top.get("model").map(Set.of(MODEL_KEYS));
        Map<String, Entry> ci = top.get("ci95").map(Set.of("heaterWatts", "padJoulesPerKelvin", "skinJoulesPerKelvin",
                "padSkinKelvinPerWatt", "padAirKelvinPerWatt", "airCelsius", "coreCelsius"));
        ThermalFit.Estimate[] est = new ThermalFit.Estimate[5];
        for (int i = 0; i < MODEL_KEYS.length; i++) {
            // a pad outside 0.4–2.5 × nominal is not a pad of this design: refuse the file rather than trust it
            double v = req(top.get("model"), model, MODEL_KEYS[i], 0.4 * nominalValues[i], 2.5 * nominalValues[i]);
            double c = req(top.get("ci95"), ci, MODEL_KEYS[i], 0, 1e6);
            est[i] = new ThermalFit.Estimate(v, c);
        }
        double airCi = req(top.get("ci95"), ci, "airCelsius", 0, 1e6);
        double coreCi = req(top.get("ci95"), ci, "coreCelsius", 0, 1e6);
        double rsc = top.get("skinCoreKelvinPerWatt").number(nominal.skinCoreKelvinPerWatt(), 0.1, 100);
        double air = top.get("airCelsius").number(22, -20, 60);
        double core = top.get("coreCelsius").number(37, 30, 42);
        double residual = top.get("residualCelsius").number(0, 0, 100);
        double residualMax = top.get("residualMaxCelsius").number(0, 0, 100);
        int samples = top.get("samples").integer(0, 0, Integer.MAX_VALUE);
        Map<String, Entry> g = top.get("gains").map(GAINS);
        double kp = req(top.get("gains"), g, "kpPerCelsius", 0, 10);
        double ki = req(top.get("gains"), g, "kiPerCelsiusSecond", 0, 1);
        double kd = req(top.get("gains"), g, "kdSecondsPerCelsius", 0, 100);
        double gk = req(top.get("gains"), g, "gainCelsiusPerDuty", 0, 1000);
        double tau = req(top.get("gains"), g, "tauSeconds", 0, 1e5);
        double theta = req(top.get("gains"), g, "deadTimeSeconds", 0, 1e5);
        Map<String, Double> plant = null;
        if (top.containsKey("simulatedPlant")) {
            Map<String, Entry> p = top.get("simulatedPlant").map(PLANT);
            plant = new LinkedHashMap<>();
            for (String k : new String[] {"gainScale", "tauScale", "couplingScale"}) {
                plant.put(k, req(top.get("simulatedPlant"), p, k, 0.5, 2));
            }
            plant.put("ambientCelsius", req(top.get("simulatedPlant"), p, "ambientCelsius", -20, 60));
        }
        root.throwIfErrors();
        ThermalFit.Result fit = new ThermalFit.Result(est[0], est[1], est[2], est[3], est[4],
                new ThermalFit.Estimate(air, airCi), new ThermalFit.Estimate(core, coreCi), rsc, residual, residualMax,
                samples);
        PadCalibration c = new PadCalibration(padId, date, source, fit,
                new PidTuning.Gains(kp, ki, kd, gk, tau, theta));
        String written = top.get("checksum").string("");
        String expected = checksum(toMap(c, plant));
        if (!expected.equals(written)) {
            top.get("checksum").error("does not match the values (the file was edited or damaged): run heat-tune again");
            root.throwIfErrors();
        }
        return new Loaded(c, Optional.ofNullable(plant));
    }

    private static double req(Entry parent, Map<String, Entry> m, String key, double min, double max) {
        Entry e = m.get(key);
        if (e == null) {
            parent.error("missing required key '" + key + "'");
            return Double.NaN;
        }
        return e.number(Double.NaN, min, max);
    }
}

package io.tensd.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
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

    /**
     * Reads and checks {@code file}; every problem is in the ConfigException as FILE:LINE: path: message. Keys, types
     * and fixed ranges are {@code schemas/config/heat-model.yaml.schema.json}; here what needs code: the model within
     * 0.4–2.5 × the nominal pad ({@link HeatModel#defaults()}), the date as an instant, and the checksum.
     */
    public static Loaded read(Path file) throws ConfigException {
        ConfigDocument doc = ConfigDocument.read(file);
        ConfigSchemas.validate(doc, ConfigSchemas.HEAT_MODEL);
        doc.throwIfErrors();
        String date = doc.text("/date", "");
        try {
            java.time.Instant.parse(date);
        } catch (java.time.format.DateTimeParseException e) {
            doc.error("/date", "must be an ISO-8601 instant (2026-12-02T10:15:30Z), got '" + date + "'");
        }
        HeatModel nominal = HeatModel.defaults();
        double[] nominalValues = {nominal.heaterWatts(), nominal.padJoulesPerKelvin(), nominal.skinJoulesPerKelvin(),
                nominal.padSkinKelvinPerWatt(), nominal.padAirKelvinPerWatt()};
        ThermalFit.Estimate[] est = new ThermalFit.Estimate[5];
        for (int i = 0; i < MODEL_KEYS.length; i++) {
            // a pad outside 0.4–2.5 × nominal is not a pad of this design: refuse the file rather than trust it
            String at = "/model/" + MODEL_KEYS[i];
            double v = doc.number(at, Double.NaN);
            if (v < 0.4 * nominalValues[i] || v > 2.5 * nominalValues[i]) {
                doc.error(at, "must be between " + Fields.plain(0.4 * nominalValues[i]) + " and "
                        + Fields.plain(2.5 * nominalValues[i]) + " (0.4 to 2.5 × the nominal pad), got " + Fields.plain(v));
            }
            est[i] = new ThermalFit.Estimate(v, doc.number("/ci95/" + MODEL_KEYS[i], Double.NaN));
        }
        doc.throwIfErrors();
        ThermalFit.Result fit = new ThermalFit.Result(est[0], est[1], est[2], est[3], est[4],
                new ThermalFit.Estimate(doc.number("/airCelsius", 22), doc.number("/ci95/airCelsius", 0)),
                new ThermalFit.Estimate(doc.number("/coreCelsius", 37), doc.number("/ci95/coreCelsius", 0)),
                doc.number("/skinCoreKelvinPerWatt", nominal.skinCoreKelvinPerWatt()), doc.number("/residualCelsius", 0),
                doc.number("/residualMaxCelsius", 0), doc.integer("/samples", 0));
        PadCalibration c = new PadCalibration(doc.text("/padId", ""), date, doc.text("/source", ""), fit,
                new PidTuning.Gains(doc.number("/gains/kpPerCelsius", 0), doc.number("/gains/kiPerCelsiusSecond", 0),
                        doc.number("/gains/kdSecondsPerCelsius", 0), doc.number("/gains/gainCelsiusPerDuty", 0),
                        doc.number("/gains/tauSeconds", 0), doc.number("/gains/deadTimeSeconds", 0)));
        Map<String, Double> plant = null;
        if (doc.has("/simulatedPlant")) {
            plant = new LinkedHashMap<>();
            for (String k : new String[] {"gainScale", "tauScale", "couplingScale", "ambientCelsius"}) {
                plant.put(k, doc.number("/simulatedPlant/" + k, 0));
            }
        }
        if (!checksum(toMap(c, plant)).equals(doc.text("/checksum", ""))) {
            doc.error("/checksum", "does not match the values (the file was edited or damaged): run heat-tune again");
            doc.throwIfErrors();
        }
        return new Loaded(c, Optional.ofNullable(plant));
    }
}

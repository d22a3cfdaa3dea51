package io.tensd.config;

import io.tensd.heat.HeatSetup;
import io.tensd.safety.HeatModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The device file's {@code heat:} section: which pad is fitted ({@code padId}, the serial on the pad) and its
 * calibration file ({@code model}, from {@code tensd heat-tune --out}, relative to the device file). Without a
 * model the nominal one is used; with one, the session heats only if it belongs to this pad and fits
 * ({@link io.tensd.heat.tune.PadCalibration#refusal}).
 */
public record HeatConfig(String padId, Optional<Path> model) {
    public static final HeatConfig NONE = new HeatConfig("", Optional.empty());

    /** Reads the {@code heat:} section of {@code deviceFile} (absent: {@link #NONE}). */
    public static HeatConfig read(Path deviceFile) throws ConfigException {
        ConfigDocument doc = ConfigDocument.read(deviceFile);
        if (!doc.has("/heat")) {
            return NONE;
        }
        ConfigSchemas.validate(doc, ConfigSchemas.DEVICE, "/heat");
        doc.throwIfErrors();
        String padId = doc.text("/heat/padId", "");
        Optional<Path> model = doc.value("/heat/model").map(m -> {
            Path p = Path.of(m.asText());
            return p.isAbsolute() ? p : DeviceConfigLoader.baseDir(deviceFile).resolve(p);
        });
        return new HeatConfig(padId, model);
    }

    /**
     * The heat setup for this device: nominal without a model file; with one, the identified model or, when it does
     * not belong to this pad or does not fit, a refusal. A bad file is a ConfigException (FILE:LINE).
     */
    public HeatSetup setup() throws ConfigException {
        if (model.isEmpty()) {
            return HeatSetup.nominal();
        }
        return HeatModelFile.read(model.get()).calibration().setup(padId, HeatModel.defaults());
    }

    /** check-config: the model file's errors, and a model that does not belong to this pad, as FILE:LINE errors. */
    public static List<ConfigError> check(Path deviceFile) {
        List<ConfigError> errors = new ArrayList<>();
        try {
            HeatConfig c = read(deviceFile);
            if (c.model().isPresent()) {
                HeatModelFile.Loaded l = HeatModelFile.read(c.model().get());
                String refusal = l.calibration().refusal(c.padId());
                if (refusal != null) {
                    ConfigDocument doc = ConfigDocument.read(deviceFile);
                    String at = doc.has("/heat/padId") ? "/heat/padId" : "/heat";
                    errors.add(new ConfigError(deviceFile.toString(), doc.line(at), ConfigDocument.pathOf(at),
                            "sessions will not heat: " + refusal));
                }
            }
        } catch (ConfigException e) {
            errors.addAll(e.errors());
        }
        return errors;
    }
}

package io.tensd.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.regex.Pattern;

/**
 * Reads {@code tensd.yaml} into {@link DeviceConfig}. Keys, types, ranges and units are the JSON Schema
 * {@code schemas/config/tensd.yaml.schema.json} ({@code DeviceSchemaTest} holds its bounds to the constants below);
 * this class keeps only what a schema cannot say: pins and addresses distinct and off the buses in use, a broker URL
 * parsed, url or urls, TLS keys, credential files that exist with safe permissions.
 *
 * <p>Relative paths (journal directory, broker credential files) are taken relative to the directory of
 * the config file, so a daemon started from any working directory reads the same files.
 */
public final class DeviceConfigLoader {

    /** Device and site ids become MQTT topic levels ({@code tensd/v1/<site>/<device>/…}): no '/', '+', '#'. */
    public static final Pattern ID = Pattern.compile("[a-z0-9-]{1,64}");
    public static final int MIN_LOOP_RATE_HZ = 10;
    public static final int MAX_LOOP_RATE_HZ = 1000;
    public static final int MAX_BCM_PIN = 27;
    public static final int MIN_I2C_ADDRESS = 0x08;
    public static final int MAX_I2C_ADDRESS = 0x77;
    /** BCM pins with a hardware PWM channel on the Raspberry Pi 4 (PWM0: 12, 18; PWM1: 13, 19). */
    public static final Set<Integer> HARDWARE_PWM_PINS = Set.of(12, 13, 18, 19);
    /** Device names of the Pi's primary UART, whose TXD/RXD are BCM 14 and 15. */
    static final Set<String> PRIMARY_UART = Set.of("/dev/serial0", "/dev/ttyAMA0", "/dev/ttyS0");

    private DeviceConfigLoader() { }

    public static DeviceConfig load(Path file) throws ConfigException {
        ConfigDocument doc = ConfigDocument.read(file);
        DeviceConfig config = read(doc, baseDir(file));
        doc.throwIfErrors();
        return config;
    }

    /** Directory relative paths in {@code file} are resolved against. */
    public static Path baseDir(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    /**
     * Validates a parsed document against {@code schemas/config/tensd.yaml.schema.json} and makes the checks between
     * keys a schema cannot word for a technician, recording errors in it; wrong values are replaced by defaults.
     */
    public static DeviceConfig read(ConfigDocument doc, Path baseDir) {
        ConfigSchemas.validate(doc, ConfigSchemas.DEVICE);
        DeviceConfig d = DeviceConfig.defaults();
        String id = doc.text("/device/id", d.deviceId());
        String site = doc.text("/device/site", d.site());
        int loopRateHz = doc.integer("/loop/rateHz", d.loopRateHz());
        Path journalDir = doc.value("/journal/dir").isEmpty() ? d.journalDir() : path(doc, "/journal/dir", baseDir, d.journalDir());
        DeviceConfig.Hardware hardware = hardware(doc, d.hardware());
        DeviceConfig.Broker broker = broker(doc, baseDir, d.broker());
        io.tensd.posture.PostureConfig posture = io.tensd.posture.PostureConfig.read(doc, "/posture");
        return new DeviceConfig(id, site, loopRateHz, journalDir, hardware, broker, posture);
    }

    // --- hardware -----------------------------------------------------------------------------------------

    private static final List<String> PINS = List.of("heaterPwm", "heaterEnable", "stimEnable", "haptic", "led",
            "buttonUp", "buttonDown", "buttonPause", "buttonStop", "estop");
    private static final List<String> ADDRESSES = List.of("skinSensor", "padAdc", "imuLower", "imuUpper", "fuelGauge");

    private static DeviceConfig.Hardware hardware(ConfigDocument doc, DeviceConfig.Hardware d) {
        int i2cBus = doc.integer("/hardware/i2cBus", d.i2cBus());
        String port = doc.text("/hardware/stimulatorPort", d.stimulatorPort());
        Map<String, Integer> pins = pins(doc, defaultPins(d), i2cBus, port);
        Map<String, Integer> addr = addresses(doc, defaultAddresses(d), i2cBus);
        return new DeviceConfig.Hardware(pins.get("heaterPwm"), pins.get("heaterEnable"), pins.get("stimEnable"),
                pins.get("haptic"), pins.get("led"), pins.get("buttonUp"), pins.get("buttonDown"), pins.get("buttonPause"),
                pins.get("buttonStop"), pins.get("estop"), i2cBus, addr.get("skinSensor"), addr.get("padAdc"),
                addr.get("imuLower"), addr.get("imuUpper"), addr.get("fuelGauge"), port);
    }

    private static Map<String, Integer> defaultPins(DeviceConfig.Hardware d) {
        List<Integer> v = List.of(d.heaterPwmPin(), d.heaterEnablePin(), d.stimEnablePin(), d.hapticPin(), d.ledPin(),
                d.buttonUpPin(), d.buttonDownPin(), d.buttonPausePin(), d.buttonStopPin(), d.estopPin());
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < PINS.size(); i++) {
            out.put(PINS.get(i), v.get(i));
        }
        return out;
    }

    private static Map<String, Integer> defaultAddresses(DeviceConfig.Hardware d) {
        List<Integer> v = List.of(d.skinSensorAddress(), d.padAdcAddress(), d.imuLowerAddress(), d.imuUpperAddress(),
                d.fuelGaugeAddress());
        Map<String, Integer> out = new LinkedHashMap<>();
        for (int i = 0; i < ADDRESSES.size(); i++) {
            out.put(ADDRESSES.get(i), v.get(i));
        }
        return out;
    }

    /** Pins of the buses in use are taken (the schema has the range and the heater's PWM pins); all distinct. */
    private static Map<String, Integer> pins(ConfigDocument doc, Map<String, Integer> defaults, int i2cBus, String port) {
        Map<Integer, String> reserved = new HashMap<>();
        if (i2cBus == 1) {
            reserved.put(2, "SDA of I2C bus 1");
            reserved.put(3, "SCL of I2C bus 1");
        } else if (i2cBus == 0) {
            reserved.put(0, "SDA of I2C bus 0");
            reserved.put(1, "SCL of I2C bus 0");
        }
        if (PRIMARY_UART.contains(port)) {
            reserved.put(14, "TXD of the UART " + port);
            reserved.put(15, "RXD of the UART " + port);
        }
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String name : PINS) {
            String at = "/hardware/pins/" + name;
            int pin = doc.integer(at, defaults.get(name));
            if (doc.value(at).isPresent() && reserved.containsKey(pin)) {
                doc.error(at, "BCM " + pin + " is the " + reserved.get(pin) + ", which this device uses; choose another pin");
            }
            out.put(name, pin);
        }
        distinct(doc, out, "/hardware/pins/", v -> "BCM " + v, "");
        return out;
    }

    /** The schema has the 7-bit range; here a one-IMU belt's {@code imuUpper: ~ or 0}, and all distinct on the one bus. */
    private static Map<String, Integer> addresses(ConfigDocument doc, Map<String, Integer> defaults, int i2cBus) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String name : ADDRESSES) {
            String at = "/hardware/addresses/" + name;
            int a = doc.integer(at, defaults.get(name));
            if (name.equals("imuUpper") && doc.has(at) && !doc.hasError(at)
                    && (doc.root().at(at).isNull() || a == DeviceConfig.Hardware.ABSENT)) {
                a = DeviceConfig.Hardware.ABSENT; // a one-IMU belt (hardware/bom.md)
            } else if (name.equals("imuUpper") && a < MIN_I2C_ADDRESS) { // the schema lets 0 through for the case above
                doc.error(at, "must be a 7-bit I2C address from 0x08 to 0x77, got " + hex(a));
                a = defaults.get(name);
            }
            out.put(name, a);
        }
        distinct(doc, out, "/hardware/addresses/", v -> "address " + hex(v), " on I2C bus " + i2cBus);
        return out;
    }

    /**
     * Reports every value written in the file that another key also has: at the later of two written keys, or at
     * the written one when the other is a default (that default is then easy to overlook).
     */
    private static void distinct(ConfigDocument doc, Map<String, Integer> values, String prefix,
                                 IntFunction<String> show, String where) {
        List<String> names = List.copyOf(values.keySet());
        for (int i = 0; i < names.size(); i++) {
            String at = prefix + names.get(i);
            if (doc.value(at).isEmpty() || values.get(names.get(i)) == DeviceConfig.Hardware.ABSENT) {
                continue;
            }
            for (int j = 0; j < names.size(); j++) {
                String other = prefix + names.get(j);
                boolean written = doc.has(other);
                boolean otherWins = !written || doc.line(other) < doc.line(at) || (doc.line(other) == doc.line(at) && j < i);
                if (j != i && values.get(names.get(j)).equals(values.get(names.get(i))) && otherWins && !doc.hasError(other)) {
                    doc.error(at, show.apply(values.get(names.get(j))) + " is already used by " + ConfigDocument.pathOf(other)
                            + (written ? " (line " + doc.line(other) + ")" : " (its default, not set in this file)") + where
                            + "; each must be different");
                    break;
                }
            }
        }
    }

    static String hex(int v) {
        return v < 0 ? Integer.toString(v) : String.format(Locale.ROOT, "0x%02X", v);
    }

    // --- broker -------------------------------------------------------------------------------------------

    /** The schema has types, ranges and list sizes; here what needs the URL parsed, files checked, or two keys. */
    private static DeviceConfig.Broker broker(ConfigDocument doc, Path baseDir, DeviceConfig.Broker d) {
        List<String> urls = d.urls();
        boolean tls = d.url().startsWith("ssl://");
        if (doc.has("/broker/url") && doc.has("/broker/urls")) {
            doc.error("/broker/urls", "give either url (one broker) or urls (a list of brokers to fail over between), not both");
        } else if (doc.value("/broker/url").isPresent()) {
            String v = doc.text("/broker/url", d.url());
            String problem = brokerUrlProblem(v);
            if (problem != null) {
                doc.error("/broker/url", problem);
            } else {
                urls = List.of(DeviceConfig.Broker.pahoUrl(v));
            }
            tls = DeviceConfig.Broker.pahoUrl(v).startsWith("ssl://");
        } else if (doc.value("/broker/urls").isPresent()) {
            List<String> listed = brokerUrls(doc);
            if (!listed.isEmpty()) {
                urls = listed;
                tls = listed.get(0).startsWith("ssl://");
            }
        }
        String username = doc.has("/broker/username") ? doc.text("/broker/username", null) : d.username();
        Path passwordFile = secret(doc, "passwordFile", credentialFile(doc, "passwordFile", baseDir, d.passwordFile()));
        Path caFile = credentialFile(doc, "caFile", baseDir, d.caFile());
        Path certFile = credentialFile(doc, "clientCertFile", baseDir, d.clientCertFile());
        Path keyFile = secret(doc, "clientKeyFile", credentialFile(doc, "clientKeyFile", baseDir, d.clientKeyFile()));
        if (!tls) {
            for (String k : List.of("caFile", "clientCertFile", "clientKeyFile")) {
                if (doc.has("/broker/" + k) && !doc.root().at("/broker/" + k).isNull()) {
                    doc.error("/broker/" + k, "is only used with an ssl:// or mqtts:// broker url; use one of those or remove this key");
                }
            }
        }
        if ((certFile == null) != (keyFile == null)) {
            String given = "/broker/" + (certFile != null ? "clientCertFile" : "clientKeyFile");
            if (doc.value(given).isPresent()) {
                doc.error(given, "clientCertFile and clientKeyFile go together: give both or neither");
            }
        }
        return new DeviceConfig.Broker(urls, username, passwordFile, caFile, certFile, keyFile,
                doc.integer("/broker/keepAliveSeconds", d.keepAliveSeconds()),
                doc.integer("/broker/telemetryPeriodMillis", d.telemetryPeriodMillis()));
    }

    /** Most brokers in {@code broker.urls}: each one down costs a connect attempt before the next is tried. */
    static final int MAX_BROKER_URLS = 8;

    /** The brokers of {@code broker.urls} (a list of 1 to 8 strings, the schema says), or empty with the errors recorded. */
    private static List<String> brokerUrls(ConfigDocument doc) {
        JsonNode list = doc.root().at("/broker/urls");
        List<String> urls = new java.util.ArrayList<>();
        boolean ok = true;
        for (int i = 0; i < list.size(); i++) {
            String at = "/broker/urls/" + i;
            String v = list.get(i).asText();
            String problem = brokerUrlProblem(v);
            if (problem != null) {
                doc.error(at, problem);
                ok = false;
            } else if (urls.contains(DeviceConfig.Broker.pahoUrl(v))) {
                doc.error(at, "lists " + v + " a second time");
                ok = false;
            } else {
                urls.add(DeviceConfig.Broker.pahoUrl(v));
            }
        }
        if (ok && urls.stream().map(u -> u.startsWith("ssl://")).distinct().count() > 1) {
            doc.error("/broker/urls", "mixes tcp:// and ssl://: one TLS setting (caFile, client certificate) serves every broker of "
                    + "the list, so use one scheme for all");
            ok = false;
        }
        return ok ? List.copyOf(urls) : List.of();
    }

    /** Null if {@code url} is a usable tcp://, ssl://, mqtt:// or mqtts:// broker address, otherwise what is wrong with it. */
    public static String brokerUrlProblem(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "not a URL (expected tcp://host:port or ssl://host:port): " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!Set.of("tcp", "ssl", "mqtt", "mqtts").contains(scheme)) {
            return "must start with tcp:// or mqtt:// (plain), ssl:// or mqtts:// (TLS), got '" + url + "'";
        }
        if (uri.getRawUserInfo() != null) {
            return "must not contain credentials: put the user name in broker.username and the password in the file "
                    + "named by broker.passwordFile";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "has no host name, expected " + scheme + "://host:port";
        }
        if ((uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !uri.getRawPath().equals("/"))
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            return "must be only " + scheme + "://host:port, without a path, query or fragment";
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            return "has an invalid port, expected 1 to 65535";
        }
        return null;
    }

    /** A secret's permissions ({@link SecretFiles}): an error at its key when others may read or write it. */
    private static Path secret(ConfigDocument doc, String key, Path file) {
        String at = "/broker/" + key;
        if (file != null && doc.value(at).isPresent()) {
            try {
                String problem = SecretFiles.problem(file);
                if (problem != null) {
                    doc.error(at, file + " " + problem);
                }
            } catch (java.io.IOException ex) {
                doc.error(at, "cannot read the permissions of " + file + ": " + ex.getMessage());
            }
        }
        return file;
    }

    /** An optional file of secrets or certificates: null when {@code ~}; must exist and be readable (not a schema matter). */
    private static Path credentialFile(ConfigDocument doc, String key, Path baseDir, Path fallback) {
        String at = "/broker/" + key;
        if (!doc.has(at) || doc.root().at(at).isNull()) {
            return doc.has(at) ? null : fallback;
        }
        if (doc.value(at).isEmpty()) {
            return fallback;
        }
        Path p = path(doc, at, baseDir, fallback);
        if (doc.hasError(at)) {
            return fallback;
        }
        if (!Files.exists(p)) {
            doc.error(at, "file not found: " + p);
        } else if (!Files.isRegularFile(p)) {
            doc.error(at, "not a regular file: " + p);
        } else if (!Files.isReadable(p)) {
            doc.error(at, "cannot read " + p + " (permission denied for this user)");
        }
        return p;
    }

    private static Path path(ConfigDocument doc, String at, Path baseDir, Path fallback) {
        try {
            return baseDir.resolve(doc.text(at, "")).normalize();
        } catch (InvalidPathException ex) {
            doc.error(at, "not a valid path: " + ex.getReason());
            return fallback;
        }
    }
}

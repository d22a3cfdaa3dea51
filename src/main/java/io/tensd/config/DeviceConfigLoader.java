package io.tensd.config;

import static io.tensd.config.Fields.integer;
import static io.tensd.config.Fields.section;

import io.tensd.config.YamlReader.Entry;
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
 * Reads {@code tensd.yaml} into {@link DeviceConfig}. One small method per section so that further sections
 * (posture, therapy, heat) can be added as one key in {@link #SECTIONS} plus one method that hands its
 * {@link Entry} to the owning package's reader.
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

    static final Set<String> SECTIONS = Set.of("device", "loop", "journal", "hardware", "broker", "posture", "heat");

    private DeviceConfigLoader() { }

    public static DeviceConfig load(Path file) throws ConfigException {
        Entry root = YamlReader.read(file);
        DeviceConfig config = read(root, baseDir(file));
        root.throwIfErrors();
        return config;
    }

    /** Directory relative paths in {@code file} are resolved against. */
    public static Path baseDir(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        return parent == null ? Path.of("/") : parent;
    }

    /** Reads a parsed document, recording errors in it; wrong values are replaced by defaults in the result. */
    public static DeviceConfig read(Entry root, Path baseDir) {
        DeviceConfig d = DeviceConfig.defaults();
        Map<String, Entry> top = root.map(SECTIONS);
        Map<String, Entry> device = requiredSection(root, top, "device", Set.of("id", "site"));
        String id = id(root, device, "id", "device.id", d.deviceId(), "device");
        String site = id(root, device, "site", "device.site", d.site(), "site");
        int loopRateHz = loop(section(top, "loop", Set.of("rateHz")), d.loopRateHz());
        Path journalDir = journal(section(top, "journal", Set.of("dir")), baseDir, d.journalDir());
        DeviceConfig.Hardware hardware = hardware(section(top, "hardware",
                Set.of("i2cBus", "stimulatorPort", "pins", "addresses")), d.hardware());
        DeviceConfig.Broker broker = broker(section(top, "broker", Set.of("url", "urls", "username", "passwordFile", "caFile",
                "clientCertFile", "clientKeyFile", "keepAliveSeconds", "telemetryPeriodMillis")), baseDir, d.broker());
        io.tensd.posture.PostureConfig posture = top.containsKey("posture") && !top.get("posture").isNull()
                ? io.tensd.posture.PostureConfig.read(top.get("posture")) : io.tensd.posture.PostureConfig.defaults();
        return new DeviceConfig(id, site, loopRateHz, journalDir, hardware, broker, posture);
    }

    // --- device -------------------------------------------------------------------------------------------

    private static Map<String, Entry> requiredSection(Entry root, Map<String, Entry> top, String key, Set<String> allowed) {
        if (!top.containsKey(key) && root.isMap()) {
            root.error("missing section '" + key + "'");
        }
        return section(top, key, allowed);
    }

    /**
     * Device id and site are required: a default would let two devices publish under the same MQTT topics.
     */
    private static String id(Entry root, Map<String, Entry> m, String key, String path, String fallback, String what) {
        Entry e = m.get(key);
        if (e == null) {
            if (root.find("device").isPresent()) {
                root.find("device").get().error("missing key '" + key + "': every device needs its own " + what
                        + " id (part of its MQTT topics tensd/v1/<site>/<device>/…)");
            }
            return fallback;
        }
        String v = e.string(fallback);
        if (!ID.matcher(v).matches()) {
            e.error("must be 1 to 64 characters from a-z, 0-9 and '-' (it is a level of the MQTT topic), got '" + v + "'");
            return fallback;
        }
        return v;
    }

    // --- loop, journal ------------------------------------------------------------------------------------

    private static int loop(Map<String, Entry> m, int fallback) {
        return integer(m, "rateHz", fallback, MIN_LOOP_RATE_HZ, MAX_LOOP_RATE_HZ, "Hz", null);
    }

    private static Path journal(Map<String, Entry> m, Path baseDir, Path fallback) {
        Entry e = m.get("dir");
        return e == null ? fallback : path(e, baseDir, fallback, false);
    }

    // --- hardware -----------------------------------------------------------------------------------------

    private static final List<String> PINS = List.of("heaterPwm", "heaterEnable", "stimEnable", "haptic", "led",
            "buttonUp", "buttonDown", "buttonPause", "buttonStop", "estop");
    private static final List<String> ADDRESSES = List.of("skinSensor", "padAdc", "imuLower", "imuUpper", "fuelGauge");

    private static DeviceConfig.Hardware hardware(Map<String, Entry> m, DeviceConfig.Hardware d) {
        int i2cBus = integer(m, "i2cBus", d.i2cBus(), 0, 255, "", "the N of /dev/i2c-N");
        String port = d.stimulatorPort();
        Entry portEntry = m.get("stimulatorPort");
        if (portEntry != null) {
            String v = portEntry.string(port);
            if (v.isEmpty() || !v.startsWith("/") || v.chars().anyMatch(Character::isWhitespace)) {
                portEntry.error("must be an absolute device path such as /dev/serial0, got '" + v + "'");
            } else {
                port = v;
            }
        }
        Map<String, Integer> dp = defaultPins(d);
        Map<String, Integer> pins = pins(section(m, "pins", Set.copyOf(PINS)), dp, i2cBus, port);
        Map<String, Integer> da = defaultAddresses(d);
        Map<String, Integer> addr = addresses(section(m, "addresses", Set.copyOf(ADDRESSES)), da, i2cBus);
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

    /** BCM numbers 0..27, all distinct, the heater on a hardware-PWM pin, none on the pins of the buses in use. */
    private static Map<String, Integer> pins(Map<String, Entry> m, Map<String, Integer> defaults, int i2cBus, String port) {
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
            Entry e = m.get(name);
            int pin = integer(m, name, defaults.get(name), 0, MAX_BCM_PIN, "", "BCM GPIO number");
            if (e != null && !e.hasError()) {
                if (reserved.containsKey(pin)) {
                    e.error("BCM " + pin + " is the " + reserved.get(pin) + ", which this device uses; choose another pin");
                } else if (name.equals("heaterPwm") && !HARDWARE_PWM_PINS.contains(pin)) {
                    e.error("the heater needs a hardware PWM pin (BCM 12, 13, 18 or 19), got " + pin);
                }
            }
            out.put(name, pin);
        }
        distinct(m, out, "hardware.pins.", v -> "BCM " + v, "");
        return out;
    }

    /** 7-bit addresses 0x08..0x77 (decimal or 0x hex), all distinct on the one bus. */
    private static Map<String, Integer> addresses(Map<String, Entry> m, Map<String, Integer> defaults, int i2cBus) {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String name : ADDRESSES) {
            Entry e = m.get(name);
            int a = defaults.get(name);
            if (e != null && name.equals("imuUpper") && (e.isNull() || (e.isScalar() && e.string("").trim().matches("0|0[xX]0+")))) {
                out.put(name, DeviceConfig.Hardware.ABSENT); // a one-IMU belt (hardware/bom.md)
                continue;
            }
            if (e != null) {
                int v = e.integer(a, Integer.MIN_VALUE, Integer.MAX_VALUE);
                if (!e.hasError()) { // else: not a whole number, already reported
                    if (v < MIN_I2C_ADDRESS || v > MAX_I2C_ADDRESS) {
                        e.error("must be a 7-bit I2C address from 0x08 to 0x77, got " + hex(v));
                    } else {
                        a = v;
                    }
                }
            }
            out.put(name, a);
        }
        distinct(m, out, "hardware.addresses.", v -> "address " + hex(v), " on I2C bus " + i2cBus);
        return out;
    }

    /**
     * Reports every value written in the file that another key also has: at the later of two written keys, or at
     * the written one when the other is a default (that default is then easy to overlook).
     */
    private static void distinct(Map<String, Entry> m, Map<String, Integer> values, String pathPrefix,
                                 IntFunction<String> show, String where) {
        List<String> names = List.copyOf(values.keySet());
        for (int i = 0; i < names.size(); i++) {
            Entry e = m.get(names.get(i));
            if (e == null || e.hasError() || values.get(names.get(i)) == DeviceConfig.Hardware.ABSENT) {
                continue;
            }
            for (int j = 0; j < names.size(); j++) {
                String other = names.get(j);
                Entry o = m.get(other);
                boolean otherWins = o == null || o.line() < e.line() || (o.line() == e.line() && j < i);
                if (j != i && values.get(other).equals(values.get(names.get(i))) && otherWins && (o == null || !o.hasError())) {
                    e.error(show.apply(values.get(other)) + " is already used by " + pathPrefix + other
                            + (o == null ? " (its default, not set in this file)" : " (line " + o.line() + ")") + where
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

    private static DeviceConfig.Broker broker(Map<String, Entry> m, Path baseDir, DeviceConfig.Broker d) {
        List<String> urls = d.urls();
        boolean tls = d.url().startsWith("ssl://");
        Entry urlEntry = m.get("url");
        Entry urlsEntry = m.get("urls");
        if (urlEntry != null && urlsEntry != null) {
            urlsEntry.error("give either url (one broker) or urls (a list of brokers to fail over between), not both");
        } else if (urlEntry != null) {
            String v = urlEntry.string(d.url());
            String problem = brokerUrlProblem(v);
            if (problem != null) {
                urlEntry.error(problem);
            } else {
                urls = List.of(DeviceConfig.Broker.pahoUrl(v));
            }
            tls = DeviceConfig.Broker.pahoUrl(v).startsWith("ssl://");
        } else if (urlsEntry != null) {
            List<String> listed = brokerUrls(urlsEntry);
            if (!listed.isEmpty()) {
                urls = listed;
                tls = listed.get(0).startsWith("ssl://");
            }
        }
        String username = d.username();
        Entry userEntry = m.get("username");
        if (userEntry != null && !userEntry.isNull()) {
            String v = userEntry.string("");
            if (v.isEmpty()) {
                userEntry.error("must not be empty (leave the key out or write ~ for no user name)");
            } else {
                username = v;
            }
        }
        Path passwordFile = secret(m, "passwordFile", credentialFile(m, "passwordFile", baseDir, d.passwordFile()));
        Path caFile = credentialFile(m, "caFile", baseDir, d.caFile());
        Path certFile = credentialFile(m, "clientCertFile", baseDir, d.clientCertFile());
        Path keyFile = secret(m, "clientKeyFile", credentialFile(m, "clientKeyFile", baseDir, d.clientKeyFile()));
        if (!tls) {
            for (String k : List.of("caFile", "clientCertFile", "clientKeyFile")) {
                if (m.containsKey(k) && !m.get(k).isNull()) {
                    m.get(k).error("is only used with an ssl:// or mqtts:// broker url; use one of those or remove this key");
                }
            }
        }
        if ((certFile == null) != (keyFile == null)) {
            Entry given = m.get(certFile != null ? "clientCertFile" : "clientKeyFile");
            if (given != null && !given.hasError()) {
                given.error("clientCertFile and clientKeyFile go together: give both or neither");
            }
        }
        int keepAlive = integer(m, "keepAliveSeconds", d.keepAliveSeconds(), 1, 3600, "s",
                "the broker announces this device offline about 1.5 × this long after it goes silent");
        int telemetry = integer(m, "telemetryPeriodMillis", d.telemetryPeriodMillis(), 100, 60_000, "ms", null);
        return new DeviceConfig.Broker(urls, username, passwordFile, caFile, certFile, keyFile, keepAlive, telemetry);
    }

    /** Most brokers in {@code broker.urls}: each one down costs a connect attempt before the next is tried. */
    static final int MAX_BROKER_URLS = 8;

    /** The brokers of {@code broker.urls}, or empty with the errors recorded. */
    private static List<String> brokerUrls(Entry list) {
        if (!list.isList()) {
            list.error("expected a list of broker URLs, one per line as '- tcp://host:port'");
            return List.of();
        }
        List<Entry> items = list.list();
        if (items.isEmpty()) {
            list.error("must list at least one broker URL");
            return List.of();
        }
        if (items.size() > MAX_BROKER_URLS) {
            list.error("lists " + items.size() + " brokers, at most " + MAX_BROKER_URLS);
            return List.of();
        }
        List<String> urls = new java.util.ArrayList<>();
        boolean ok = true;
        for (Entry item : items) {
            String v = item.string(null);
            if (v == null) {
                ok = false;
                continue;
            }
            String problem = brokerUrlProblem(v);
            if (problem != null) {
                item.error(problem);
                ok = false;
            } else if (urls.contains(DeviceConfig.Broker.pahoUrl(v))) {
                item.error("lists " + v + " a second time");
                ok = false;
            } else {
                urls.add(DeviceConfig.Broker.pahoUrl(v));
            }
        }
        if (ok && urls.stream().map(u -> u.startsWith("ssl://")).distinct().count() > 1) {
            list.error("mixes tcp:// and ssl://: one TLS setting (caFile, client certificate) serves every broker of "
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
    private static Path secret(Map<String, Entry> m, String key, Path file) {
        Entry e = m.get(key);
        if (file != null && e != null && !e.hasError()) {
            try {
                String problem = SecretFiles.problem(file);
                if (problem != null) {
                    e.error(file + " " + problem);
                }
            } catch (java.io.IOException ex) {
                e.error("cannot read the permissions of " + file + ": " + ex.getMessage());
            }
        }
        return file;
    }

    /** An optional file of secrets or certificates: null when absent or {@code ~}; must exist and be readable. */
    private static Path credentialFile(Map<String, Entry> m, String key, Path baseDir, Path fallback) {
        Entry e = m.get(key);
        if (e == null || e.isNull()) {
            return e == null ? fallback : null;
        }
        Path p = path(e, baseDir, fallback, true);
        if (e.hasError()) {
            return fallback;
        }
        if (!Files.exists(p)) {
            e.error("file not found: " + p);
        } else if (!Files.isRegularFile(p)) {
            e.error("not a regular file: " + p);
        } else if (!Files.isReadable(p)) {
            e.error("cannot read " + p + " (permission denied for this user)");
        }
        return p;
    }

    private static Path path(Entry e, Path baseDir, Path fallback, boolean file) {
        String v = e.string("");
        if (e.hasError()) {
            return fallback;
        }
        if (v.isBlank()) {
            e.error("must be a " + (file ? "file" : "directory") + " path, got an empty value");
            return fallback;
        }
        try {
            return baseDir.resolve(v).normalize();
        } catch (InvalidPathException ex) {
            e.error("not a valid path: " + ex.getReason());
            return fallback;
        }
    }
}

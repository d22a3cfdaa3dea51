package io.tensd.clinic.cli;

import io.tensd.config.ConfigException;
import io.tensd.config.YamlReader;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code tensd clinic --config F}: the same settings as the options (an option given on the command line wins),
 * plus the pseudonymous patient code of each device. Errors are {@code FILE:LINE: path: message}, exit 2.
 *
 * <pre>
 * broker: tcp://broker.clinic.lan:1883
 * db: jdbc:postgresql://db.clinic.lan/tensd?user=tensd   # absent: embedded PostgreSQL under data
 * data: /var/lib/tensd-clinic
 * shareGroup: tensd-clinic
 * clientId: tensd-clinic-a
 * http: 8080
 * httpHost: 0.0.0.0
 * gapTimeoutSeconds: 600
 * gapRepairSeconds: 20
 * zone: Europe/Vienna
 * username: clinic
 * passwordFile: /etc/tensd-clinic/mqtt.pw
 * caFile: /etc/tensd-clinic/ca.crt
 * httpsCert: /etc/tensd-clinic/https.crt   # with httpsKey (PKCS#8 PEM): HTTPS only
 * httpsKey: /etc/tensd-clinic/https.key
 * patients:
 *   dev-0001: {site: vienna-1, code: P-7F3A}
 * </pre>
 */
public record ClinicConfig(String broker, String db, Path data, String shareGroup, String clientId, Integer http,
                           String httpHost, Integer gapTimeoutSeconds, ZoneId zone, String username, Path passwordFile,
                           Path caFile, Map<String, Patient> patients, Integer gapRepairSeconds, Path httpsCert,
                           Path httpsKey) {
    /** A pseudonymous code only: the clinic keeps the key to the person elsewhere. */
    public record Patient(String site, String code) { }

    private static final Set<String> KEYS = Set.of("broker", "db", "data", "shareGroup", "clientId", "http", "httpHost",
            "gapTimeoutSeconds", "zone", "username", "passwordFile", "caFile", "patients", "gapRepairSeconds", "httpsCert",
            "httpsKey");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    public static ClinicConfig empty() {
        return new ClinicConfig(null, null, null, null, null, null, null, null, null, null, null, null, Map.of(), null, null, null);
    }

    public static ClinicConfig load(Path file) throws ConfigException {
        YamlReader.Entry root = YamlReader.read(file);
        Map<String, YamlReader.Entry> m = root.map(KEYS);
        String broker = str(m, "broker");
        if (broker != null && !broker.matches("(tcp|ssl|ws|wss)://.+:\\d+")) {
            m.get("broker").error("expected tcp://HOST:PORT or ssl://HOST:PORT, got '" + broker + "'");
        }
        String db = str(m, "db");
        if (db != null && !db.startsWith("jdbc:postgresql://")) m.get("db").error("expected a jdbc:postgresql:// URL");
        String group = str(m, "shareGroup");
        if (group != null && !NAME.matcher(group).matches()) m.get("shareGroup").error("1-64 of A-Z a-z 0-9 _ . -");
        Integer http = m.containsKey("http") ? m.get("http").integer(8080, 0, 65535) : null;
        Integer gap = m.containsKey("gapTimeoutSeconds") ? m.get("gapTimeoutSeconds").integer(600, 1, 30 * 86400) : null;
        Integer repair = m.containsKey("gapRepairSeconds") ? m.get("gapRepairSeconds").integer(20, 1, 86400) : null;
        ZoneId zone = null;
        String z = str(m, "zone");
        if (z != null) {
            try {
                zone = ZoneId.of(z);
            } catch (DateTimeException e) {
                m.get("zone").error("unknown time zone '" + z + "' (e.g. Europe/Vienna, UTC)");
            }
        }
        Map<String, Patient> patients = new LinkedHashMap<>();
        if (m.containsKey("patients") && !m.get("patients").isNull()) {
            for (Map.Entry<String, YamlReader.Entry> e : m.get("patients").map().entrySet()) {
                if (!NAME.matcher(e.getKey()).matches()) {
                    e.getValue().error("device id '" + e.getKey() + "' must be 1-64 of A-Z a-z 0-9 _ . -");
                    continue;
                }
                Map<String, YamlReader.Entry> p = e.getValue().map(Set.of("site", "code"));
                String site = str(p, "site");
                String code = str(p, "code");
                if (site == null || !NAME.matcher(site).matches()) e.getValue().error("site: required, 1-64 of A-Z a-z 0-9 _ . -");
                if (code == null || !CODE.matcher(code).matches()) {
                    e.getValue().error("code: required, a pseudonymous code of 1-32 of A-Z a-z 0-9 _ . - (never a name)");
                }
                patients.put(e.getKey(), new Patient(site, code));
            }
        }
        Path data = path(m, "data");
        ClinicConfig c = new ClinicConfig(broker, db, data, group, str(m, "clientId"), http, str(m, "httpHost"), gap, zone,
                str(m, "username"), path(m, "passwordFile"), path(m, "caFile"), patients, repair, path(m, "httpsCert"),
                path(m, "httpsKey"));
        root.throwIfErrors();
        return c;
    }

    private static String str(Map<String, YamlReader.Entry> m, String k) {
        YamlReader.Entry e = m.get(k);
        return e == null || e.isNull() ? null : e.text().orElse(null);
    }

    private static Path path(Map<String, YamlReader.Entry> m, String k) {
        String s = str(m, k);
        return s == null ? null : Path.of(s);
    }
}

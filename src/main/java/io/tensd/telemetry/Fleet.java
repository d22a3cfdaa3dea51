package io.tensd.telemetry;

import io.tensd.config.ConfigException;
import io.tensd.config.YamlReader;
import java.io.Reader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who is on a clinic broker: sites with their device ids, and users (clinicians, monitors, clinic services)
 * with the sites they may reach. The input of {@link FleetAcl}.
 *
 * <pre>
 * sites:
 *   clinic-demo: [tensd-dev-001, tensd-dev-002]
 * clinicians:
 *   clinician-anna: [clinic-demo]
 * monitors:
 *   monitor: [clinic-demo]
 * hosts:                      # clinic services (primary host state, commands on behalf of clinicians)
 *   clinic-service: [clinic-demo]
 * </pre>
 */
public record Fleet(Map<String, List<String>> sites, Map<String, List<String>> clinicians,
                    Map<String, List<String>> monitors, Map<String, List<String>> hosts) {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    /** A device level that would collide with the site's host state topic. */
    static final String RESERVED_DEVICE = "host";

    public Fleet {
        sites = copy(sites);
        clinicians = copy(clinicians);
        monitors = copy(monitors);
        hosts = copy(hosts);
    }

    private static Map<String, List<String>> copy(Map<String, List<String>> m) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(v)));
        return java.util.Collections.unmodifiableMap(out);
    }

    public static Fleet load(Path file) throws ConfigException {
        return parse(YamlReader.read(file));
    }

    public static Fleet parse(String fileName, Reader reader) throws ConfigException {
        return parse(YamlReader.read(fileName, reader));
    }

    private static Fleet parse(YamlReader.Entry root) throws ConfigException {
        Map<String, YamlReader.Entry> top = root.map(Set.of("sites", "clinicians", "monitors", "hosts"));
        if (!top.containsKey("sites")) root.error("sites: missing (site id: [device ids])");
        Map<String, YamlReader.Entry> userLines = new HashMap<>();
        Map<String, String> deviceSite = new HashMap<>();
        Map<String, List<String>> sites = names(top.get("sites"), (site, e) -> { }, (site, device, e) -> {
            if (device.equals(RESERVED_DEVICE)) e.error("'host' is reserved (tensd/v1/<site>/host/state): not a device id");
            String other = deviceSite.putIfAbsent(device, site);
            if (other != null) e.error("device " + device + " is already listed" + (other.equals(site) ? "" : " under site " + other));
        });
        for (String device : deviceSite.keySet()) userLines.put(device, null);
        Map<String, List<String>> roles[] = new Map[3];
        String[] keys = {"clinicians", "monitors", "hosts"};
        for (int i = 0; i < 3; i++) {
            roles[i] = names(top.get(keys[i]), (user, e) -> {
                if (userLines.containsKey(user)) e.error("user " + user + " already has a role (a device id or another user): one role per user");
                userLines.put(user, e);
            }, (user, site, e) -> {
                if (!sites.containsKey(site)) e.error("unknown site " + site + " (not under sites:)");
            });
        }
        root.throwIfErrors();
        return new Fleet(sites, roles[0], roles[1], roles[2]);
    }

    private interface KeyCheck { void check(String key, YamlReader.Entry e); }

    private interface ItemCheck { void check(String key, String item, YamlReader.Entry e); }

    private static Map<String, List<String>> names(YamlReader.Entry section, KeyCheck keyCheck, ItemCheck itemCheck) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (section == null || section.isNull()) return out;
        for (Map.Entry<String, YamlReader.Entry> kv : section.map().entrySet()) {
            YamlReader.Entry e = kv.getValue();
            String key = kv.getKey();
            if (!NAME.matcher(key).matches()) e.error("'" + key + "' must be 1-64 of A-Z a-z 0-9 _ . - (a topic level / username)");
            keyCheck.check(key, e);
            List<String> items = new ArrayList<>();
            for (YamlReader.Entry item : e.list()) {
                item.text().ifPresent(v -> {
                    if (!NAME.matcher(v).matches()) {
                        item.error("'" + v + "' must be 1-64 of A-Z a-z 0-9 _ . -");
                    } else {
                        itemCheck.check(key, v, item);
                        items.add(v);
                    }
                });
            }
            out.put(key, items);
        }
        return out;
    }
}

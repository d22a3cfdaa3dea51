package io.tensd.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config/tensd.service: the settings the deployment relies on (read as systemd reads them), and, where
 * systemd-analyze is installed, systemd's own verdict on the file and its exposure score.
 */
class SystemdUnitTest {
    private static final Path UNIT = Path.of("config/tensd.service");

    /** section → key → every value given (keys like DeviceAllow repeat). Comments and blank lines skipped. */
    static Map<String, Map<String, List<String>>> parse(List<String> lines) {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        String section = null;
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                out.putIfAbsent(section, new LinkedHashMap<>());
                continue;
            }
            int eq = line.indexOf('=');
            assertTrue(section != null && eq > 0, "not a key=value line inside a section: " + raw);
            out.get(section).computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
        }
        return out;
    }

    @Test
    void serviceSettingsTheDeploymentReliesOn() throws Exception {
        Map<String, List<String>> s = parse(Files.readAllLines(UNIT)).get("Service");
        assertEquals(List.of("/usr/bin/tensd run --config /etc/tensd/tensd.yaml"), s.get("ExecStart"));
        assertEquals(List.of("notify"), s.get("Type"));
        assertEquals(List.of("all"), s.get("NotifyAccess"), "systemd-notify runs as a child of the daemon");
        assertEquals(List.of("10s"), s.get("WatchdogSec"));
        assertEquals(List.of("on-failure"), s.get("Restart"));
        assertEquals(List.of("SIGTERM"), s.get("KillSignal"));
        assertTrue(s.containsKey("TimeoutStopSec"));
        assertEquals(List.of("journal"), s.get("StandardOutput"));
        assertEquals(List.of("tensd"), s.get("User"));
        assertFalse(s.containsKey("SupplementaryGroups"), "the hardware groups come from tensd's membership (postinst)");
        // real time for the loop and acquisition threads only, set from outside the sandbox; never the whole JVM
        assertEquals(List.of("+/usr/lib/tensd/realtime-threads 80"), s.get("ExecStartPost"));
        assertEquals(List.of("yes"), s.get("RestrictRealtime"));
        assertFalse(s.containsKey("CPUSchedulingPolicy"), "would make every JVM thread real-time");
        // outputs LOW after every stop, even of a crashed JVM
        assertTrue(s.get("ExecStopPost").get(0).matches("\\+-?/usr/bin/pinctrl set 12,13,16,26,6 op dl"), s.get("ExecStopPost").toString());
        for (String yes : List.of("NoNewPrivileges", "ProtectHome", "PrivateTmp")) {
            assertEquals(List.of("yes"), s.get(yes), yes);
        }
        assertEquals(List.of("strict"), s.get("ProtectSystem"));
        assertEquals("/var/lib/tensd", s.get("ReadWritePaths").get(0), "the only writable place ...");
        assertEquals(List.of("-/sys/devices/platform/soc/fe20c000.pwm -/sys/devices/platform/axi/1f00098000.pwm"),
                s.get("ReadWritePaths").subList(1, s.get("ReadWritePaths").size()), "... besides the heater's PWM chip in /sys");
        assertEquals(List.of("yes"), s.get("ProtectKernelTunables"));
        assertEquals(List.of("closed"), s.get("DevicePolicy"));
        assertEquals(List.of("char-gpiochip rw", "char-i2c rw", "char-ttyAMA rw", "char-ttyS rw"), s.get("DeviceAllow"));
        // a private /dev with exactly the device nodes the hardware uses
        assertEquals(List.of("yes"), s.get("PrivateDevices"));
        assertEquals(Set.of("-/dev/gpiochip0", "-/dev/gpiochip4", "-/dev/i2c-1", "-/dev/serial0", "-/dev/ttyAMA0", "-/dev/ttyS0"),
                Set.of(s.get("BindPaths").get(0).split("\\s+")));
        assertEquals(List.of(""), s.get("CapabilityBoundingSet"), "no capabilities at all");
        // settings that would break the daemon: no W+X memory (the JIT), hidden /proc/cpuinfo (Pi4J)
        assertFalse(s.containsKey("MemoryDenyWriteExecute"));
        assertFalse(s.containsKey("ProcSubset"));
        assertFalse(s.containsKey("PrivateUsers"), "would map the hardware groups to nobody");
    }

    @Test
    void systemdAcceptsTheUnitAndRatesItsExposureLow(@TempDir Path tmp) throws Exception {
        Path analyze = Path.of("/usr/bin/systemd-analyze");
        assumeTrue(Files.isExecutable(analyze), "systemd-analyze not installed");
        // verify also checks that ExecStart exists: point it at the launcher from the source tree
        Path launcher = tmp.resolve("tensd");
        Files.copy(Path.of("src/deb/bin/tensd"), launcher);
        launcher.toFile().setExecutable(true);
        Path unit = tmp.resolve("tensd.service");
        Files.writeString(unit, Files.readString(UNIT).replace("ExecStart=/usr/bin/tensd", "ExecStart=" + launcher)
                .replace("+/usr/lib/tensd/realtime-threads", "+" + Path.of("src/deb/lib/realtime-threads").toAbsolutePath())
                .replace("+-/usr/bin/pinctrl", "+-/bin/true"));

        String[] verify = run(analyze.toString(), "verify", unit.toString());
        assertEquals("0", verify[0], verify[1]);
        // unknown keys and bad values are only warnings (exit 0): any line about the unit is a failure
        List<String> aboutUnit = verify[1].lines().filter(l -> l.contains("tensd.service")).toList();
        assertEquals(List.of(), aboutUnit, verify[1]);

        String[] security = run(analyze.toString(), "security", "--offline=true", "--no-pager", unit.toString());
        Matcher m = Pattern.compile("Overall exposure level for tensd\\.service: ([0-9.]+)").matcher(security[1]);
        assertTrue(m.find(), security[1]);
        double exposure = Double.parseDouble(m.group(1));
        System.out.println("systemd-analyze security --offline=true config/tensd.service: " + exposure);
        assertTrue(exposure <= 1.5, "exposure " + exposure + " (0 = locked down, 10 = unprotected):\n" + security[1]);
    }

    private static String[] run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new String[] {String.valueOf(p.exitValue()), out};
    }
}

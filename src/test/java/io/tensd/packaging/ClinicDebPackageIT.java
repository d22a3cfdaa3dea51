package io.tensd.packaging;

import static io.tensd.packaging.DebArchive.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.packaging.DebArchive.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The clinic service's package target/tensd-clinic_<version>_all.deb, read with dpkg-deb: its own
 * user, unit, options file and launcher, the full jar with every jar it names, and the packaged jar
 * running what the device package cannot (simulate with its embedded broker).
 */
class ClinicDebPackageIT {
    private static Path deb;
    private static String version;
    private static final Map<String, String> ENTRIES = new HashMap<>();

    @BeforeAll
    static void readPackage() throws Exception {
        DebArchive a = DebArchive.find("tensd-clinic");
        deb = a.deb();
        version = a.version();
        ENTRIES.putAll(a.entries());
        System.out.printf("clinic package %s: %.1f MB%n", deb.getFileName(), Files.size(deb) / 1e6);
    }

    @Test
    void filesHaveTheirPlacesOwnersAndModes() {
        assertEntry("/usr/share/tensd-clinic/tensd.jar", "-rw-r--r-- root/root");
        assertEntry("/usr/bin/tensd-clinic", "-rwxr-xr-x root/root");
        assertEntry("/etc/default/tensd-clinic", "-rw-r--r-- root/root");
        assertEntry("/lib/systemd/system/tensd-clinic.service", "-rw-r--r-- root/root");
        assertEntry("/var/lib/tensd-clinic", "drwx------ tensd-clinic/tensd-clinic");
        for (String parent : List.of("/etc", "/etc/default", "/var", "/var/lib", "/usr", "/usr/bin", "/lib")) {
            assertEntry(parent, "drwxr-xr-x root/root");
        }
        assertTrue(ENTRIES.keySet().stream().noneMatch(p -> p.startsWith("/etc/tensd") || p.equals("/usr/bin/tensd")
                || p.startsWith("/usr/share/tensd/") || p.equals("/lib/systemd/system/tensd.service")),
                "nothing of the device package: both can be installed side by side");
    }

    @Test
    void theJarNamesOnlyPackagedJarsAndEveryPackagedJar(@TempDir Path tmp) throws Exception {
        run("dpkg-deb", "-x", deb.toString(), tmp.toString());
        Path jarPath = tmp.resolve("usr/share/tensd-clinic/tensd.jar");
        assertTrue(Arrays.equals(Files.readAllBytes(Path.of("target/tensd.jar")), Files.readAllBytes(jarPath)),
                "the packaged jar is the build tree's full jar");
        List<String> listed;
        try (JarFile jar = new JarFile(jarPath.toFile())) {
            listed = List.of(jar.getManifest().getMainAttributes().getValue("Class-Path").trim().split("\\s+"));
        }
        List<String> packaged = ENTRIES.keySet().stream().filter(p -> p.matches("/usr/share/tensd-clinic/lib/.+\\.jar"))
                .map(p -> p.substring("/usr/share/tensd-clinic/".length())).sorted().toList();
        assertEquals(packaged, listed.stream().sorted().toList(), "Class-Path = the packaged lib set");
        assertTrue(packaged.stream().anyMatch(j -> j.startsWith("lib/hivemq-community-edition-embedded-")),
                "the full set includes what the device package leaves out");
    }

    @Test
    void controlFieldsAndConffiles() throws Exception {
        String info = run("dpkg-deb", "-f", deb.toString()).out();
        assertTrue(info.contains("Package: tensd-clinic\n"), info);
        assertTrue(info.contains("Version: " + version + "\n"), info);
        assertTrue(info.contains("Architecture: all\n"), info);
        assertTrue(info.contains("Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser\n"), info);
        String conffiles = run("dpkg-deb", "-I", deb.toString(), "conffiles").out();
        assertEquals(List.of("/etc/default/tensd-clinic"), conffiles.lines().toList());
    }

    @Test
    void maintainerScriptsAreValidShellAndDoTheirJobs(@TempDir Path tmp) throws Exception {
        run("dpkg-deb", "-e", deb.toString(), tmp.resolve("DEBIAN").toString());
        for (String script : List.of("postinst", "prerm", "postrm")) {
            Path p = tmp.resolve("DEBIAN").resolve(script);
            assertTrue(Files.isExecutable(p), script + " is executable");
            assertEquals(0, run("sh", "-n", p.toString()).code(), script + " parses");
        }
        String postinst = Files.readString(tmp.resolve("DEBIAN/postinst"));
        assertTrue(postinst.contains("adduser --quiet --system --group --home /var/lib/tensd-clinic"), "creates the system user");
        assertTrue(postinst.lines().noneMatch(l -> l.strip().startsWith("systemctl enable")), "never enabled on install");
        assertTrue(Files.readString(tmp.resolve("DEBIAN/prerm")).contains("systemctl stop tensd-clinic.service"));
    }

    @Test
    void unitRunsTheClinicCommandAsItsOwnUser() throws Exception {
        Map<String, List<String>> s = SystemdUnitTest.parse(Files.readAllLines(Path.of("config/tensd-clinic.service"))).get("Service");
        assertEquals(List.of("/usr/bin/tensd-clinic clinic $TENSD_CLINIC_ARGS"), s.get("ExecStart"));
        assertEquals(List.of("-/etc/default/tensd-clinic"), s.get("EnvironmentFile"));
        assertEquals(List.of("tensd-clinic"), s.get("User"));
        assertEquals(List.of("/var/lib/tensd-clinic"), s.get("WorkingDirectory"));
        assertEquals(List.of("/var/lib/tensd-clinic"), s.get("ReadWritePaths"));
        assertTrue(Files.readString(Path.of("config/tensd-clinic.default")).lines().anyMatch(l -> l.startsWith("TENSD_CLINIC_ARGS=")));
    }

    /** The packaged launcher runs the packaged jar, and that jar runs simulate with the embedded broker. */
    @Test
    void thePackagedJarRunsSimulateWithItsEmbeddedBroker(@TempDir Path tmp) throws Exception {
        run("dpkg-deb", "-x", deb.toString(), tmp.toString());
        // a one-minute session with a remote command: simulate then needs a broker and starts the embedded one
        Path scenario = tmp.resolve("short.yaml");
        Files.writeString(scenario, """
                name: packaged simulate
                seed: 2
                prescription: { program: conventional, frequencyHz: 100, pulseWidthMicros: 150, targetMilliAmps: 8.0, durationMinutes: 1 }
                timeline:
                  - at: 20s
                    command: { name: set-intensity, milliAmps: 6.0 }
                """);
        ProcessBuilder pb = new ProcessBuilder("sh", tmp.resolve("usr/bin/tensd-clinic").toString(),
                "simulate", "--scenario", scenario.toString(), "--speed", "max", "--out", tmp.resolve("sim").toString());
        pb.environment().put("TENSD_JAR", tmp.resolve("usr/share/tensd-clinic/tensd.jar").toString());
        pb.environment().remove("TENSD_CLINIC_JAVA_OPTS");
        Result r = run(pb);
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().contains("starting the embedded MQTT 5 broker"), r.out());
        assertTrue(r.out().contains("end state"), r.out());
        try (Stream<Path> j = Files.list(tmp.resolve("sim/journal"))) {
            assertTrue(j.findAny().isPresent(), "the session was journaled");
        }
    }

    private static void assertEntry(String path, String modeOwner) {
        assertEquals(modeOwner, ENTRIES.get(path), path + " in " + deb);
    }
}

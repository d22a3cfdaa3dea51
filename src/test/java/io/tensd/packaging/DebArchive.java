package io.tensd.packaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Debian package built into target/, listed with dpkg-deb as apt would see it, and the command runner both package
 * ITs read it with.
 */
record DebArchive(Path deb, String version, Map<String, String> entries) {
    /**
     * The one {@code target/<name>_<version>_all.deb}; {@code entries}: path (without the leading '.') →
     * "mode owner/group". Skips the test when the build left the package out or dpkg-deb is missing.
     */
    static DebArchive find(String name) throws Exception {
        assumeFalse(Boolean.getBoolean("deb.skip"), "built with -Ddeb.skip");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/dpkg-deb")), "dpkg-deb not installed");
        List<Path> debs;
        try (Stream<Path> s = Files.list(Path.of("target"))) {
            debs = s.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(name) + "_.+_all\\.deb")).toList();
        }
        assertEquals(1, debs.size(), "exactly one target/" + name + "_<version>_all.deb: " + debs);
        Path deb = debs.get(0);
        String file = deb.getFileName().toString();
        String version = file.substring(name.length() + 1, file.length() - "_all.deb".length());
        String out = run("dpkg-deb", "-c", deb.toString()).out();
        Map<String, String> entries = new HashMap<>();
        for (String line : out.split("\n")) {
            // drwxr-x--- root/tensd         0 2026-11-28 01:57 ./etc/tensd/
            String[] f = line.trim().split("\\s+", 6);
            String path = f[5].substring(1);
            entries.put(path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path, f[0] + " " + f[1]);
        }
        return new DebArchive(deb, version, Map.copyOf(entries));
    }

    /** A finished command: its exit code and its output and errors together. */
    record Result(int code, String out) { }

    /** Runs cmd to its end; fails the test unless it exits 0. */
    static Result run(String... cmd) throws Exception {
        Result r = run(new ProcessBuilder(cmd));
        assertEquals(0, r.code(), String.join(" ", cmd) + ":\n" + r.out());
        return r;
    }

    /** Runs pb to its end, whatever its exit code. */
    static Result run(ProcessBuilder pb) throws Exception {
        Process p = pb.redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        // the output is read to its end first: this only bounds the wait for the exit after the command closed it
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), Arrays.toString(pb.command().toArray()));
        return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    }
}

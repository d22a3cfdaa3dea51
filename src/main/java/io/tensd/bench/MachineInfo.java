package io.tensd.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine a figure was measured on; printed at the top of every bench run (docs/benchmarks.md asks for it). */
public final class MachineInfo {
    private MachineInfo() { }

    public static String describe() {
        return String.format("machine: %d CPUs (nproc), %s, kernel %s, %s %s, JVM flags [%s], GC [%s]",
                Runtime.getRuntime().availableProcessors(), cpuModel(), kernel(), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"),
                String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()), LoopBench.gcNames());
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "cpu model unknown";
        }
        return "cpu model unknown";
    }

    static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }
}

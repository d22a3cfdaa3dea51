package io.tensd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.ConfigPaths;
import io.tensd.config.LoadedConfig;
import io.tensd.telemetry.EmbeddedBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The unit's ExecStartPost (src/deb/lib/realtime-threads, as config/tensd.service calls it) gives SCHED_FIFO to the
 * loop thread and the acquisition threads of a running daemon and to nothing else; read back from
 * /proc/self/task/TID/stat. Skipped only where the kernel refuses real-time scheduling to this test (no root,
 * no CAP_SYS_NICE): then the script's own error says so.
 */
class RealtimeThreadsTest {
    private static final int SCHED_OTHER = 0;
    private static final int SCHED_FIFO = 1;

    record Task(String tid, String name, int policy, int rtPriority) { }

    static List<Task> tasks() throws Exception {
        List<Task> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : ds) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(") ") + 2).split(" ");
                    // after "comm)": f[0] is field 3; rt_priority is field 40, policy field 41
                    out.add(new Task(t.getFileName().toString(), Files.readString(t.resolve("comm")).trim(),
                            Integer.parseInt(f[38]), Integer.parseInt(f[37])));
                } catch (java.io.IOException gone) {
                    // the thread ended meanwhile
                }
            }
        }
        return out;
    }

    @Test
    void onlyTheLoopAndAcquisitionThreadsRunRealTime(@TempDir Path dir) throws Exception {
        Matcher m = Pattern.compile("(?m)^ExecStartPost=\\+/usr/lib/tensd/realtime-threads (\\d+)$")
                .matcher(Files.readString(Path.of("config/tensd.service")));
        assertTrue(m.find(), "the unit raises the threads with realtime-threads");
        int prio = Integer.parseInt(m.group(1));
        Path cfgFile = DaemonFixture.config(dir, "dev-rt", "tcp://127.0.0.1:" + EmbeddedBroker.freePort(), null, "/dev/serial0");
        LoadedConfig cfg = LoadedConfig.load(ConfigPaths.resolve(cfgFile, null));
        Daemon daemon = Daemon.start(new Daemon.Options(cfg, Daemon.Hardware.SIM, null, new SystemdNotify(Map.of(), a -> true), 5));
        try {
            Process p = new ProcessBuilder("sh", "src/deb/lib/realtime-threads", Integer.toString(prio),
                    Long.toString(ProcessHandle.current().pid())).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            Assumptions.assumeFalse(p.exitValue() != 0 && out.contains("Operation not permitted"),
                    "this machine refuses SCHED_FIFO to the test (needs root or CAP_SYS_NICE): " + out);
            assertEquals(0, p.exitValue(), out);
            List<Task> tasks = tasks();
            List<String> wrong = new ArrayList<>();
            int loops = 0;
            int acquisition = 0;
            for (Task t : tasks) {
                if (t.name().equals(Daemon.LOOP_THREAD)) {
                    loops++;
                    if (t.policy() != SCHED_FIFO || t.rtPriority() != prio) wrong.add(t.toString());
                } else if (t.name().equals(SimHardware.THREAD)) {
                    acquisition++;
                    if (t.policy() != SCHED_FIFO || t.rtPriority() != prio - 1) wrong.add(t.toString());
                } else if (t.policy() != SCHED_OTHER) {
                    wrong.add(t.toString());
                }
            }
            System.out.println(out.trim() + "; " + tasks.size() + " threads, " + (tasks.size() - 2) + " of them SCHED_OTHER");
            assertEquals(1, loops, tasks.toString());
            assertEquals(1, acquisition, tasks.toString());
            assertEquals(List.of(), wrong, "policies: loop FIFO " + prio + ", acquisition FIFO " + (prio - 1) + ", everything else OTHER");
        } finally {
            daemon.stop();
        }
    }
}

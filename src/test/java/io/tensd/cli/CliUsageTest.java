package io.tensd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What a first user meets at the top level: the command list, a bare {@code tensd}, a missing config file. */
class CliUsageTest {
    private record Run(int code, String out, String err) { }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void noSubcommandPrintsTheHelpAndExits2() {
        Run r = run();
        assertEquals(2, r.code());
        assertTrue(r.err().contains("Commands:") && r.err().contains("simulate"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void everyCommandInTheTopLevelListHasACompleteSentence() {
        CommandLine cl = Main.commandLine();
        for (var e : cl.getSubcommands().entrySet()) {
            String[] d = e.getValue().getCommandSpec().usageMessage().description();
            assertTrue(d.length > 0, e.getKey() + " has no description");
            String first = d[0].strip();
            // The top-level list shows the first description line only: it must read as a whole sentence.
            assertTrue(first.endsWith(".") || first.endsWith(")"), e.getKey() + ": '" + first + "'");
        }
    }

    @Test
    void checkConfigOnAMissingDeviceFileNamesThatFileFirst(@TempDir Path dir) {
        Path missing = dir.resolve("tensd.yaml");
        Run r = run("check-config", "--config", missing.toString());
        assertEquals(2, r.code());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.startsWith(missing + ":0: "), r.err());
        assertTrue(first.contains("file not found"), first);
    }

    @Test
    void monitorHelpLabelsEveryValueOption() {
        CommandLine cl = Main.commandLine().getSubcommands().get("monitor");
        for (var o : cl.getCommandSpec().options()) {
            if (o.arity().max() > 0 && !o.typeInfo().isBoolean()) {
                assertFalse(o.paramLabel().startsWith("<"), "monitor " + o.longestName() + " has no label: " + o.paramLabel());
            }
        }
    }

    @Test
    void monitorWithABadBrokerUrlSaysSoInOneLineAndExits2() {
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream old = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        Run r;
        try {
            r = run("monitor", "--broker", "foo://x", "--duration", "1");
        } finally {
            System.setErr(old);
        }
        String text = err.toString(java.nio.charset.StandardCharsets.UTF_8) + r.err();
        assertEquals(2, r.code(), text);
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("foo://x") && text.contains("tcp://host:port"), text);
    }

    @Test
    void monitorAcceptsTheUrlFormsMqttToolsUse() {
        assertEquals("tcp://h:1883", MonitorCommand.paho("mqtt://h:1883"));
        assertEquals("ssl://h:8883", MonitorCommand.paho("mqtts://h:8883"));
        assertEquals("tcp://127.0.0.1:1", MonitorCommand.paho("tcp://127.0.0.1:1"));
        assertEquals(null, MonitorCommand.paho("localhost:1883"));
        assertEquals(null, MonitorCommand.paho("tcp://h"));
    }
}

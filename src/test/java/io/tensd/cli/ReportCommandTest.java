package io.tensd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tensd.report.SyntheticSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class ReportCommandTest {
    @TempDir
    Path tmp;

    private record Run(int exitCode, String out, String err) {
        List<String> errLines() { return err.isEmpty() ? List.of() : List.of(err.split("\n")); }
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new ReportCommand());
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString().replace(System.lineSeparator(), "\n"), err.toString().replace(System.lineSeparator(), "\n"));
    }

    @Test
    void writesReportHtmlIntoTheSessionDirectoryByDefault() throws Exception {
        Path dir = SyntheticSession.write(tmp);
        Run r = run(dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertEquals("", r.err());
        Path html = dir.resolve("report.html");
        assertEquals("report: " + html + "\n", r.out());
        String page = Files.readString(html);
        assertTrue(page.startsWith("<!DOCTYPE html>"));
        assertTrue(page.contains("syn-0001"));
    }

    @Test
    void jsonHasTheSummaryAndTheDerivedFigures() throws Exception {
        Path dir = SyntheticSession.write(tmp);
        Path json = tmp.resolve("figures.json");
        Path html = tmp.resolve("out.html");
        Run r = run(dir.toString(), "--html", html.toString(), "--json", json.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.exists(html));
        assertFalse(Files.exists(dir.resolve("report.html")), "--html replaces the default");
        JsonNode n = new ObjectMapper().readTree(json.toFile());
        assertEquals("syn-0001", n.get("sessionId").asText());
        assertEquals(9.5, n.path("figures").path("deliveredMin").path("value").asDouble(), 1e-9);
        assertEquals("device", n.path("figures").path("deliveredMin").path("source").asText());
        assertEquals(2.0, n.path("figures").path("slouchMin").path("value").asDouble(), 1e-9);
        assertTrue(n.path("figures").path("reps").path("value").isNull(), "not recorded is null, not 0");
        assertEquals(120_000, n.path("posture").path("msByClass").path("flexed").asLong());
        assertEquals(20.0, n.path("prescription").path("targetMa").asDouble());
    }

    @Test
    void aMissingDirectoryIsTwoLinesAndExit2() {
        Run r = run(tmp.resolve("nope").toString());
        assertEquals(2, r.exitCode());
        assertEquals(2, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).startsWith("tensd: session directory ") && r.errLines().get(0).endsWith("does not exist"), r.err());
        assertNoStackTrace(r);
    }

    @Test
    void aDirectoryWithoutASessionIsTwoLinesAndExit2() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Run r = run(empty.toString());
        assertEquals(2, r.exitCode());
        assertEquals(2, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).contains("no session recorded in " + empty), r.err());
        assertNoStackTrace(r);
    }

    @Test
    void aDamagedSummaryNamesTheFileAndLine() throws Exception {
        Path dir = SyntheticSession.write(tmp);
        Files.writeString(dir.resolve("summary.json"), "{\n  \"summary\": {\n  \"program\": \n}");
        Run r = run(dir.toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.errLines().get(0).contains("summary.json: not valid JSON (line 4)"), r.err());
        assertNoStackTrace(r);
    }

    @Test
    void anUnwritableOutputIsExit2WithAHint() throws Exception {
        Path dir = SyntheticSession.write(tmp);
        Run r = run(dir.toString(), "--html", tmp.resolve("no/such/dir/r.html").toString());
        assertEquals(2, r.exitCode());
        assertEquals(2, r.errLines().size(), r.err());
        assertTrue(r.errLines().get(0).contains("its directory does not exist"), r.err());
        assertNoStackTrace(r);
    }

    @Test
    void anInterruptedSessionIsReportedWithANoteOnStderr() throws Exception {
        Path dir = SyntheticSession.write(tmp);
        Files.delete(dir.resolve("summary.json"));
        Run r = run(dir.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.err().startsWith("tensd: note: summary.json is missing"), r.err());
    }

    private static void assertNoStackTrace(Run r) {
        assertFalse(r.err().contains("Exception"), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }
}

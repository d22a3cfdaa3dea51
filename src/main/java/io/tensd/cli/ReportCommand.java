package io.tensd.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.tensd.report.HtmlReport;
import io.tensd.report.ReportFigures;
import io.tensd.report.SessionRecord;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tensd report SESSION_DIR}: the physiotherapist's session report from a recorded session directory. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write a session report: one self-contained HTML page (summary, intensity, temperature and "
                + "posture plots, events) that opens in any browser and prints on A4.",
                "SESSION_DIR is one session's directory as the daemon or `simulate` records it "
                        + "(samples.csv, events.jsonl, summary.json).",
                "Exit 0 when written; 2 when SESSION_DIR holds no session or an output cannot be written."})
public final class ReportCommand implements Callable<Integer> {
    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SESSION_DIR", description = "directory of one recorded session")
    Path sessionDir;

    @Option(names = "--html", paramLabel = "FILE", description = "HTML output (default: SESSION_DIR/report.html)")
    Path htmlFile;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the summary and derived figures as JSON")
    Path jsonFile;

    @Option(names = "--slouch-deg", paramLabel = "DEG", defaultValue = "20",
            description = "flexion beyond neutral that counts as slouching in the plots (default: ${DEFAULT-VALUE})")
    double slouchDeg;

    @Option(names = "--debug", description = "print stack traces")
    boolean debug;

    @Override
    public Integer call() {
        if (!(slouchDeg > 0 && slouchDeg <= 90)) {
            throw new UserError("--slouch-deg must be between 0 and 90, got " + slouchDeg, null, 2, null);
        }
        SessionRecord record;
        try {
            record = SessionRecord.load(sessionDir);
        } catch (SessionRecord.ReadException e) {
            throw new UserError(e.getMessage(), e.hint(), 2, e);
        }
        ReportFigures figures = ReportFigures.of(record, slouchDeg);
        Path html = htmlFile != null ? htmlFile : sessionDir.resolve("report.html");
        String version = Main.class.getPackage().getImplementationVersion();
        String page = HtmlReport.render(record, figures, "Written by tensd report " + (version == null ? "dev" : version));
        write(html, () -> Files.writeString(html, page, StandardCharsets.UTF_8));
        PrintWriter out = spec.commandLine().getOut();
        out.println("report: " + html);
        if (jsonFile != null) {
            write(jsonFile, () -> new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValue(jsonFile.toFile(), figures.toMap()));
            out.println("figures: " + jsonFile);
        }
        for (String note : figures.notes()) {
            spec.commandLine().getErr().println("tensd: note: " + note);
        }
        return 0;
    }

    private interface IoAction {
        void run() throws IOException;
    }

    private static void write(Path file, IoAction action) {
        try {
            action.run();
        } catch (IOException e) {
            throw new UserError("cannot write " + file + ": " + reason(e),
                    "choose another place with --html/--json, or check that the directory exists and is writable", 2, e);
        }
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "its directory does not exist";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}

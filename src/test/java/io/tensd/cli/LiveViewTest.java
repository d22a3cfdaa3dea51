package io.tensd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.loop.StatusSnapshot;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The simulate console: what the status line says, and that log lines never join it on a terminal. */
class LiveViewTest {
    private static StatusSnapshot snapshot(String state, double flexionDeg) {
        return new StatusSnapshot(0, "s-1", state, "conventional", true, 18, 18, 150, 100, 900, true, 0.4, 40, 39.5, 42,
                flexionDeg, "upright", 60_000, 600_000, 90, List.of());
    }

    /** The lines a terminal shows for a character stream: \r goes to column 0, ESC[2K clears the line. */
    static List<String> screen(String stream) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int col = 0;
        for (int i = 0; i < stream.length(); i++) {
            char c = stream.charAt(i);
            if (stream.startsWith("\u001b[2K", i)) {
                line.setLength(0);
                i += 3;
            } else if (c == '\r') {
                col = 0;
            } else if (c == '\n') {
                lines.add(line.toString());
                line.setLength(0);
                col = 0;
            } else {
                if (col < line.length()) {
                    line.setCharAt(col, c);
                } else {
                    line.append(c);
                }
                col++;
            }
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    @Test
    void onATerminalALogLineNeverJoinsTheStatusLine() {
        StringWriter terminal = new StringWriter();
        PrintWriter out = new PrintWriter(terminal, true);
        PrintStream err = new PrintStream(new OutputStream() {
            @Override public void write(int b) { terminal.write(b); }
        }, true, StandardCharsets.UTF_8);
        LiveView view = new LiveView(out, true, 41);
        PrintStream guarded = view.guard(err);
        view.maybeShow(snapshot("ACTIVE", 5), null, null);
        guarded.print("WARN  i.t.t.TelemetryService: MQTT connection lost\n");
        view.maybeShow(snapshot("ACTIVE", 6), null, null);
        view.finish();
        out.println("scenario 'x': end state COMPLETE");
        List<String> lines = screen(terminal.toString());
        assertEquals(3, lines.size(), lines.toString());
        assertEquals("WARN  i.t.t.TelemetryService: MQTT connection lost", lines.get(0));
        assertTrue(lines.get(1).startsWith("ACTIVE ") && lines.get(1).contains("upright +6°"), lines.get(1));
        assertEquals("scenario 'x': end state COMPLETE", lines.get(2));
    }

    @Test
    void offATerminalEveryStatusIsALineOfItsOwn() {
        StringWriter text = new StringWriter();
        LiveView view = new LiveView(new PrintWriter(text, true), false, 41);
        view.maybeShow(snapshot("ACTIVE", 5), null, null);
        assertTrue(text.toString().endsWith(System.lineSeparator()), text.toString());
        assertFalse(text.toString().contains("\r"), text.toString());
    }

    @Test
    void aFlexionThatRoundsToZeroIsShownAsZeroWithoutASign() {
        LiveView view = new LiveView(new PrintWriter(new StringWriter()), false, 41);
        String line = view.render(snapshot("ACTIVE", -0.3), null, null);
        assertTrue(line.endsWith("| upright 0°"), line);
        assertEquals("-12°", LiveView.signedDegrees(-12.4));
        assertEquals("+3°", LiveView.signedDegrees(2.6));
    }

    @Test
    void pausedSaysWhy() {
        LiveView view = new LiveView(new PrintWriter(new StringWriter()), false, 41);
        assertTrue(view.render(snapshot("PAUSED", 0), "electrode-lift", null)
                .startsWith("PAUSED (electrode lifted; resumes when contact is back) "));
        assertTrue(view.render(snapshot("PAUSED", 0), "patient", null).startsWith("PAUSED (pause pressed; press pause to resume) "));
    }

    @Test
    void aBrokerThatDoesNotAnswerIsNotAdvertised() {
        String dead = SimulatedReporting.watchHint(false, "tcp://127.0.0.1:1", "north", "tensd/v1/north/d/", Path.of("j"));
        assertFalse(dead.contains("monitor") || dead.contains("mosquitto_sub"), dead);
        assertTrue(dead.startsWith("MQTT: no broker answers at tcp://127.0.0.1:1; the session runs anyway"), dead);
        String live = SimulatedReporting.watchHint(true, "tcp://127.0.0.1:1883", "north", "tensd/v1/north/d/", Path.of("j"));
        assertTrue(live.contains("monitor --broker tcp://127.0.0.1:1883 --site north"), live);
    }
}

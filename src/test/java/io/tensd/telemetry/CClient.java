package io.tensd.telemetry;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ObjLongConsumer;

/**
 * One mosquitto command-line client (or shell pipeline) for the C baselines: lines written to its stdin,
 * each line of its stdout handed to a consumer with the {@code System.nanoTime()} it was read at.
 */
final class CClient implements AutoCloseable {
    private final Process process;
    private final OutputStream stdin;

    CClient(List<String> cmd, ObjLongConsumer<String> onLine) throws IOException {
        process = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        stdin = process.getOutputStream();
        if (onLine != null) {
            Thread t = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) onLine.accept(line, System.nanoTime());
                } catch (IOException ended) {
                    // process gone
                }
            }, "cclient-out");
            t.setDaemon(true);
            t.start();
        }
    }

    static CClient shell(String script, ObjLongConsumer<String> onLine) throws IOException {
        return new CClient(List.of("sh", "-c", script), onLine);
    }

    void writeLine(String line) throws IOException {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    void closeInput() throws IOException { stdin.close(); }

    Process process() { return process; }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

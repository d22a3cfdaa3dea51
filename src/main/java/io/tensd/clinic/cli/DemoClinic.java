package io.tensd.clinic.cli;

import io.tensd.telemetry.EmbeddedBroker;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import picocli.CommandLine;

/**
 * The clinic side of {@code tensd simulate}'s demo: {@code tensd clinic} on its embedded PostgreSQL (kept in
 * {@code dir/db}, so a demo's history grows run after run), collecting from the simulation's broker, with the
 * dashboard on a free loopback port and one clinician, {@code demo}, whose password is new on every run. Called
 * by reflection: the device package leaves the clinic side out.
 */
public final class DemoClinic {
    private static final String ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    private DemoClinic() { }

    /** What the demo prints: where the dashboard is and how to log in. */
    public record Started(String url, String user, String password, Path log) { }

    /** Starts the service and waits (at most {@code timeout}) until its HTTP side answers. */
    public static Started start(String brokerUrl, Path dir, Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String password = password(12);
        Path users = dir.resolve("users");
        Files.writeString(users, "# the demo clinician of `tensd simulate`; a new password every run\n"
                + "demo clinician " + new BCryptPasswordEncoder(10).encode(password) + "\n", StandardCharsets.UTF_8);
        int port = EmbeddedBroker.freePort();
        Path log = dir.resolve("clinic.log");
        PrintWriter logOut = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true);
        CommandLine cl = new CommandLine(new ClinicCommand());
        cl.setOut(logOut);
        cl.setErr(logOut);
        String[] args = {"--broker", brokerUrl, "--data", dir.resolve("db").toString(), "--http", String.valueOf(port),
            "--users", users.toString(), "--client-id", "tensd-demo-clinic", "--gap-repair", "5"};
        int[] exit = {-1};
        Thread service = new Thread(() -> exit[0] = cl.execute(args), "tensd-demo-clinic");
        service.setDaemon(true); // the demo ends with the simulation; the service's own hook stops the database
        service.start();
        String base = "http://127.0.0.1:" + port + "/";
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (!service.isAlive()) {
                throw new IOException("the clinic service stopped (exit " + exit[0] + "): " + tail(log));
            }
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(base + "api/health"))
                        .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() == 200) {
                    return new Started(base, "demo", password, log);
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IOException("the clinic service did not answer within " + timeout.toSeconds() + " s; see " + log);
    }

    private static String tail(Path log) {
        try {
            var lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())) + " (" + log + ")";
        } catch (IOException e) {
            return "see " + log;
        }
    }

    private static String password(int n) {
        SecureRandom r = new SecureRandom();
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }
}

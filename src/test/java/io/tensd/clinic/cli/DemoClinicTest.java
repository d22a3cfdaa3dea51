package io.tensd.clinic.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.telemetry.EmbeddedBroker;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/** The demo's clinic side: the service answers, its dashboard serves the login page, the printed password is the user's. */
class DemoClinicTest {
    @Test
    void startsTheServiceWithADashboardAndADemoClinician() throws Exception {
        // 0755 like a folder made by `simulate --out`: run as root, the embedded PostgreSQL runs as nobody and must reach it
        Path dir = Files.createTempDirectory("tensd-demo-clinic-",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            DemoClinic.Started s = DemoClinic.start(broker.url(), dir.resolve("clinic"), Duration.ofSeconds(90));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> login = http.send(HttpRequest.newBuilder(URI.create(s.url() + "login")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, login.statusCode(), login.body());
            assertTrue(login.body().toLowerCase().contains("password"), login.body());
            String line = Files.readAllLines(dir.resolve("clinic/users")).stream().filter(l -> l.startsWith("demo ")).findFirst().orElseThrow();
            String[] f = line.split(" ");
            assertEquals("clinician", f[1]);
            assertTrue(new BCryptPasswordEncoder().matches(s.password(), f[2]), "the printed password is the demo user's");
            assertTrue(s.password().length() >= 12, s.password());
        } finally {
            io.tensd.telemetry.MosquittoProcess.deleteTree(dir);
        }
    }
}

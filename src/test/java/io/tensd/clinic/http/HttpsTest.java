package io.tensd.clinic.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.config.JavalinConfig;
import io.tensd.clinic.store.ClinicStore;
import io.tensd.clinic.web.Dashboard;
import io.tensd.clinic.web.LiveFeed;
import io.tensd.clinic.web.Users;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS from PEM files: the dashboard answers over TLS only, its cookies are Secure; a non-PKCS#8 key is refused at start. */
class HttpsTest {
    @TempDir
    Path tmp;

    private void openssl(String... args) throws Exception {
        Process p = new ProcessBuilder(args).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
    }

    private static HttpResponse<String> get(HttpClient c, String url) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheDashboardOverHttpsOnlyWithSecureCookies() throws Exception {
        openssl("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", "key.pem",
                "-out", "cert.pem", "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost");
        Path users = tmp.resolve("users");
        Files.writeString(users, "anna clinician " + Users.hash("anna-secret") + "\n");
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();
        try (LiveFeed feed = new LiveFeed("tcp://127.0.0.1:1", "https-test", Clock.systemUTC())) { // never connected: no device needed
            Dashboard dashboard = new Dashboard(Users.load(users), new ClinicStore(null), feed, Clock.systemUTC(), ZoneOffset.UTC);
            // without a certificate: plain HTTP, and the cookie is not marked Secure (the flag follows the connection)
            try (ClinicApi api = new ClinicApi(new ClinicStore(null), null, Clock.systemUTC(), ZoneOffset.UTC, dashboard::routes).start("127.0.0.1", 0)) {
                String cookie = get(plain, "http://127.0.0.1:" + api.port() + "/login").headers().firstValue("Set-Cookie").orElseThrow();
                assertFalse(cookie.contains("Secure"), cookie);
            }
            Consumer<JavalinConfig> pages = dashboard::routes;
            Consumer<JavalinConfig> tls = Https.connector("127.0.0.1", 0, tmp.resolve("cert.pem"), tmp.resolve("key.pem"));
            try (ClinicApi api = new ClinicApi(new ClinicStore(null), null, Clock.systemUTC(), ZoneOffset.UTC, pages.andThen(tls)).start("127.0.0.1", 0)) {
                HttpClient client = HttpClient.newBuilder().sslContext(trusting(tmp.resolve("cert.pem"))).connectTimeout(Duration.ofSeconds(30)).build();
                HttpResponse<String> r = get(client, "https://127.0.0.1:" + api.port() + "/login");
                assertEquals(200, r.statusCode());
                assertTrue(r.body().contains("Log in"), r.body());
                String cookie = r.headers().firstValue("Set-Cookie").orElseThrow();
                assertTrue(cookie.startsWith(Dashboard.LOGIN_COOKIE + "=") && cookie.contains("Secure") && cookie.contains("HttpOnly"), cookie);
                // no plain HTTP beside it on the same port: the TLS connector does not serve the page in clear
                try {
                    HttpResponse<String> clear = get(plain, "http://127.0.0.1:" + api.port() + "/login");
                    assertFalse(clear.statusCode() == 200 && clear.body().contains("Log in"), "the login page was served over plain HTTP");
                } catch (IOException expected) {
                    // the TLS connector closed the clear-text connection
                }
            }
        }
    }

    @Test
    void aKeyThatIsNotPkcs8IsRefusedWithTheConversionCommand() throws Exception {
        openssl("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "1", "-subj", "/CN=x");
        openssl("openssl", "rsa", "-in", "key.pem", "-out", "rsa.pem", "-traditional");
        IOException e = assertThrows(IOException.class, () -> Https.connector("127.0.0.1", 0, tmp.resolve("cert.pem"), tmp.resolve("rsa.pem")));
        assertTrue(e.getMessage().contains("not a PKCS#8 PEM key") && e.getMessage().contains("openssl pkcs8 -topk8"), e.getMessage());
        Https.connector("127.0.0.1", 0, tmp.resolve("cert.pem"), tmp.resolve("key.pem")); // the PKCS#8 original is accepted
    }

    private static SSLContext trusting(Path cert) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            ks.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext c = SSLContext.getInstance("TLS");
        c.init(null, tmf.getTrustManagers(), null);
        return c;
    }
}

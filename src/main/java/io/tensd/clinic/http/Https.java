package io.tensd.clinic.http;

import io.javalin.config.JavalinConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * HTTPS for the clinic server (JSON API and dashboard) from PEM files: the certificate chain (server first) and its
 * PKCS#8 private key (RSA or EC; {@code openssl genpkey} writes PKCS#8). With it the server listens on HTTPS only —
 * no plain HTTP beside it — and the dashboard's cookies are {@code Secure}.
 */
public final class Https {
    private static final char[] NO_PASSWORD = new char[0];

    private Https() { }

    /** Reads and checks both files now, so a bad file stops the service at start with a clear message. */
    public static Consumer<JavalinConfig> connector(String host, int port, Path certFile, Path keyFile) throws IOException {
        KeyStore ks;
        try {
            ks = keyStore(certFile, keyFile);
        } catch (GeneralSecurityException e) {
            throw new IOException("HTTPS certificate " + certFile + " / key " + keyFile + ": " + e.getMessage(), e);
        }
        return config -> config.jetty.addConnector((server, httpConfig) -> {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setKeyStore(ks);
            ssl.setKeyStorePassword("");
            ssl.setIncludeProtocols("TLSv1.3", "TLSv1.2");
            HttpConfiguration https = new HttpConfiguration(httpConfig);
            SecureRequestCustomizer src = new SecureRequestCustomizer();
            src.setSniHostCheck(false); // clients reach the clinic server by IP address as often as by name
            https.addCustomizer(src);
            ServerConnector c = new ServerConnector(server, new SslConnectionFactory(ssl, "http/1.1"), new HttpConnectionFactory(https));
            c.setHost(host);
            c.setPort(port);
            return c;
        });
    }

    static KeyStore keyStore(Path certFile, Path keyFile) throws IOException, GeneralSecurityException {
        List<Certificate> chain;
        try (InputStream in = Files.newInputStream(certFile)) {
            chain = List.copyOf(CertificateFactory.getInstance("X.509").generateCertificates(in));
        }
        if (chain.isEmpty()) throw new IOException("no certificate in " + certFile);
        PrivateKey key = privateKey(keyFile);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("tensd-clinic", key, NO_PASSWORD, chain.toArray(new Certificate[0]));
        return ks;
    }

    private static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        if (!pem.contains("-----BEGIN PRIVATE KEY-----")) {
            throw new IOException(file + " is not a PKCS#8 PEM key (-----BEGIN PRIVATE KEY-----); convert it with "
                    + "'openssl pkcs8 -topk8 -nocrypt -in KEY -out KEY.pk8'");
        }
        String b64 = pem.substring(pem.indexOf("-----BEGIN PRIVATE KEY-----") + 27, pem.indexOf("-----END PRIVATE KEY-----")).replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64));
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (java.security.spec.InvalidKeySpecException e) {
                // try the next algorithm
            }
        }
        throw new IOException(file + ": not an RSA, EC or Ed25519 private key");
    }
}

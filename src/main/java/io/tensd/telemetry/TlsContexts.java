package io.tensd.telemetry;

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
import java.util.Collection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** TLS from PEM files: the broker is verified against {@code caFile}; a client certificate is optional (PKCS#8 key). */
final class TlsContexts {
    private TlsContexts() { }

    static SSLContext fromPem(Path caFile, Path clientCertFile, Path clientKeyFile) throws IOException, GeneralSecurityException {
        if (caFile == null) throw new IOException("an ssl:// broker needs caFile to verify the server");
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(caFile)) {
            int i = 0;
            for (Certificate c : cf.generateCertificates(in)) trust.setCertificateEntry("ca-" + i++, c);
            if (i == 0) throw new IOException("no certificate in caFile " + caFile);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (clientCertFile != null || clientKeyFile != null) {
            if (clientCertFile == null || clientKeyFile == null) {
                throw new IOException("a client certificate needs both clientCertFile and clientKeyFile");
            }
            Collection<? extends Certificate> chain;
            try (InputStream in = Files.newInputStream(clientCertFile)) {
                chain = cf.generateCertificates(in);
            }
            PrivateKey key = readPkcs8(clientKeyFile);
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            char[] none = new char[0];
            ks.setKeyEntry("client", key, none, chain.toArray(new Certificate[0]));
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, none);
        }
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return ctx;
    }

    private static PrivateKey readPkcs8(Path file) throws IOException, GeneralSecurityException {
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        int b = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int e = pem.indexOf("-----END PRIVATE KEY-----");
        if (b < 0 || e < 0) {
            throw new IOException("clientKeyFile " + file + " must be an unencrypted PKCS#8 PEM key (BEGIN PRIVATE KEY); "
                    + "convert with: openssl pkcs8 -topk8 -nocrypt -in old.key -out client.key");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(b + 27, e));
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
        for (String alg : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException tryNext) {
                // not this algorithm
            }
        }
        throw new IOException("clientKeyFile " + file + ": unsupported key algorithm (RSA, EC or Ed25519 expected)");
    }
}

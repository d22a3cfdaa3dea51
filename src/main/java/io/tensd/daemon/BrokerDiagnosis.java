package io.tensd.daemon;

import io.tensd.config.DeviceConfig;
import io.tensd.telemetry.ClientTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * Why the device cannot reach its broker, in words a clinic's IT person can act on. Run only after the first
 * connect has not succeeded within a few seconds (one TCP connect, and for ssl:// one TLS handshake with the
 * same CA file, hostname check included). The server's certificate is checked before the client sends its own,
 * so a wrong CA file is told apart from everything else even when client certificates are configured.
 */
record BrokerDiagnosis(Kind kind, String detail) {
    enum Kind {
        /** TCP connect and (for TLS) the server certificate are fine: the MQTT layer refuses (credentials, ACL). */
        REACHABLE,
        /** No TCP connection: broker down, wrong host/port, network, firewall. */
        UNREACHABLE,
        /** The broker's certificate does not verify against broker.caFile (or the host name does not match it). */
        UNTRUSTED_CERTIFICATE,
        /** The broker's certificate is trusted but names other hosts than the one in broker.url. */
        HOSTNAME_MISMATCH,
        /** The TLS files cannot be used (missing, unreadable, not a certificate). */
        TLS_FILES,
        /** The handshake failed for another reason (protocol versions, the broker refused us). */
        TLS_OTHER
    }

    static BrokerDiagnosis of(DeviceConfig.Broker broker, int timeoutMillis) {
        URI uri;
        try {
            uri = new URI(broker.url());
        } catch (Exception e) {
            return new BrokerDiagnosis(Kind.UNREACHABLE, "bad URL: " + e.getMessage());
        }
        String host = uri.getHost();
        int port = uri.getPort();
        boolean tls = "ssl".equalsIgnoreCase(uri.getScheme());
        if (port < 0) {
            port = tls ? 8883 : 1883;
        }
        SSLSocketFactory factory = null;
        if (tls) {
            try {
                factory = ClientTls.socketFactory(broker.caFile());
            } catch (IOException e) {
                return new BrokerDiagnosis(Kind.TLS_FILES, e.getMessage());
            }
        }
        Socket plain = new Socket();
        try {
            plain.connect(new InetSocketAddress(host, port), timeoutMillis);
        } catch (UnknownHostException e) {
            close(plain);
            return new BrokerDiagnosis(Kind.UNREACHABLE, "unknown host " + host);
        } catch (IOException e) {
            close(plain);
            return new BrokerDiagnosis(Kind.UNREACHABLE, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        if (!tls) {
            close(plain);
            return new BrokerDiagnosis(Kind.REACHABLE, "");
        }
        try (SSLSocket s = (SSLSocket) factory.createSocket(plain, host, port, true)) {
            s.setSoTimeout(timeoutMillis);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS"); // as the service: host name verification on
            s.setSSLParameters(p);
            s.startHandshake();
            return new BrokerDiagnosis(Kind.REACHABLE, "");
        } catch (SSLHandshakeException | SSLPeerUnverifiedException e) {
            if (hostnameProblem(e)) return new BrokerDiagnosis(Kind.HOSTNAME_MISMATCH, host);
            return certificateProblem(e) ? new BrokerDiagnosis(Kind.UNTRUSTED_CERTIFICATE, rootMessage(e))
                    : new BrokerDiagnosis(Kind.TLS_OTHER, rootMessage(e));
        } catch (IOException e) {
            return new BrokerDiagnosis(Kind.TLS_OTHER, rootMessage(e));
        } finally {
            close(plain);
        }
    }

    /** The JDK's host name check (HostnameChecker) failed: the chain itself was trusted. */
    static boolean hostnameProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No subject alternative") || m.contains("No name matching"))) {
                return true;
            }
        }
        return false;
    }

    /** The one log line for a first connect that did not succeed; {@code journaled} says what happens meanwhile. */
    String message(DeviceConfig.Broker b, String journaled) {
        return switch (kind) {
            case UNREACHABLE -> "MQTT broker " + b.url() + " not reachable (" + detail + "): " + journaled;
            case UNTRUSTED_CERTIFICATE -> "MQTT broker " + b.url() + ": its TLS certificate is not trusted by broker.caFile " + b.caFile()
                    + " (" + detail + "); put the CA that signed the broker's certificate in that file; " + journaled;
            case HOSTNAME_MISMATCH -> "MQTT broker " + b.url() + ": certificate does not match host " + detail
                    + "; dial the broker by a name its certificate lists (subjectAltName) or have the certificate reissued "
                    + "for " + detail + "; " + journaled;
            case TLS_FILES -> "MQTT TLS files unusable: " + detail + "; " + journaled;
            case TLS_OTHER -> "MQTT broker " + b.url() + ": TLS handshake failed (" + detail + "); check the broker's TLS settings "
                    + "and clientCertFile/clientKeyFile; " + journaled;
            case REACHABLE -> "MQTT broker " + b.url() + " answers but the MQTT connection fails (see the warning above: "
                    + "user, password file, ACL?); " + journaled;
        };
    }

    static boolean certificateProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CertPathValidatorException || t instanceof CertificateException
                    || t instanceof SSLPeerUnverifiedException) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("PKIX path") || m.contains("No subject alternative") || m.contains("No name matching"))) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    private static void close(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // probe socket
        }
    }
}

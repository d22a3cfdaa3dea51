package io.tensd.telemetry;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import javax.net.SocketFactory;
import javax.net.ssl.SSLSocketFactory;

/**
 * Paho does not set TCP_NODELAY; without it a request/response round trip on loopback waits for Nagle and
 * delayed ACK (~40–90 ms instead of ~2 ms). These factories set it on every socket they make.
 */
final class NoDelaySocketFactories {
    private NoDelaySocketFactories() { }

    static Socket noDelay(Socket s) throws SocketException {
        s.setTcpNoDelay(true);
        return s;
    }

    static final class Plain extends SocketFactory {
        private final SocketFactory d = SocketFactory.getDefault();

        @Override public Socket createSocket() throws IOException { return noDelay(d.createSocket()); }
        @Override public Socket createSocket(String h, int p) throws IOException { return noDelay(d.createSocket(h, p)); }
        @Override public Socket createSocket(String h, int p, InetAddress la, int lp) throws IOException { return noDelay(d.createSocket(h, p, la, lp)); }
        @Override public Socket createSocket(InetAddress h, int p) throws IOException { return noDelay(d.createSocket(h, p)); }
        @Override public Socket createSocket(InetAddress h, int p, InetAddress la, int lp) throws IOException { return noDelay(d.createSocket(h, p, la, lp)); }
    }

    /** Paho's ssl:// module needs an SSLSocketFactory; this one delegates to the configured TLS context's. */
    static final class Tls extends SSLSocketFactory {
        private final SSLSocketFactory d;

        Tls(SSLSocketFactory delegate) { this.d = delegate; }

        @Override public String[] getDefaultCipherSuites() { return d.getDefaultCipherSuites(); }
        @Override public String[] getSupportedCipherSuites() { return d.getSupportedCipherSuites(); }
        @Override public Socket createSocket() throws IOException { return noDelay(d.createSocket()); }
        @Override public Socket createSocket(Socket s, String h, int p, boolean autoClose) throws IOException { return noDelay(d.createSocket(s, h, p, autoClose)); }
        @Override public Socket createSocket(String h, int p) throws IOException { return noDelay(d.createSocket(h, p)); }
        @Override public Socket createSocket(String h, int p, InetAddress la, int lp) throws IOException { return noDelay(d.createSocket(h, p, la, lp)); }
        @Override public Socket createSocket(InetAddress h, int p) throws IOException { return noDelay(d.createSocket(h, p)); }
        @Override public Socket createSocket(InetAddress h, int p, InetAddress la, int lp) throws IOException { return noDelay(d.createSocket(h, p, la, lp)); }
    }
}

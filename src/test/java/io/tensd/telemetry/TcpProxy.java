package io.tensd.telemetry;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP forwarder for outage tests: {@link #cut()} closes every connection and refuses new ones
 * until {@link #restore()}; {@link #freeze()} keeps the sockets open but stops forwarding (a silent network:
 * only keep-alive can notice).
 */
public final class TcpProxy implements AutoCloseable {
    private final int targetPort;
    private final int port;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile ServerSocket server;
    private volatile boolean frozen;
    private volatile boolean closed;
    private volatile long lastUpstreamNanos;  // when the last bytes from a client were handed to the broker

    public TcpProxy(int targetPort) throws IOException {
        this.targetPort = targetPort;
        this.port = EmbeddedBroker.freePort();
        listen();
    }

    public int port() { return port; }

    String url() { return "tcp://127.0.0.1:" + port; }

    private synchronized void listen() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        server = s;
        Thread t = new Thread(() -> {
            while (!s.isClosed()) {
                try {
                    Socket in = s.accept();
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                    in.setTcpNoDelay(true);
                    out.setTcpNoDelay(true);
                    sockets.add(in);
                    sockets.add(out);
                    pump(in, out, true);
                    pump(out, in, false);
                } catch (IOException e) {
                    return;
                }
            }
        }, "proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    private void pump(Socket from, Socket to, boolean upstream) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    while (frozen && !from.isClosed()) Thread.sleep(5);
                    out.write(buf, 0, n);
                    out.flush();
                    if (upstream) lastUpstreamNanos = System.nanoTime();
                }
            } catch (IOException | InterruptedException e) {
                // connection ended
            } finally {
                close(from);
                close(to);
            }
        }, "proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Closes all connections and stops listening. */
    public synchronized void cut() {
        close(server);
        for (Socket s : sockets) close(s);
        sockets.clear();
    }

    public synchronized void restore() throws IOException {
        if (!closed && (server == null || server.isClosed())) listen();
    }

    /** {@code System.nanoTime()} when bytes from a client last reached the broker's socket. */
    long lastUpstreamNanos() { return lastUpstreamNanos; }

    /** Stops forwarding without closing anything. */
    void freeze() { frozen = true; }

    void thaw() { frozen = false; }

    @Override
    public synchronized void close() {
        closed = true;
        frozen = false;
        cut();
    }

    private static void close(AutoCloseable c) {
        try {
            if (c != null) c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }
}

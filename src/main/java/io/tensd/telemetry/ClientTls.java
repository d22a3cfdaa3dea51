package io.tensd.telemetry;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLSocketFactory;

/** TLS for clinic-side tools (monitor): verify the broker against a CA file, TCP_NODELAY sockets. */
public final class ClientTls {
    private ClientTls() { }

    public static SSLSocketFactory socketFactory(Path caFile) throws IOException {
        try {
            return new NoDelaySocketFactories.Tls(TlsContexts.fromPem(caFile, null, null).getSocketFactory());
        } catch (GeneralSecurityException e) {
            throw new IOException("TLS setup with " + caFile + ": " + e.getMessage(), e);
        }
    }
}

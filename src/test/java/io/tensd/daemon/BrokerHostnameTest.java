package io.tensd.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.DeviceConfig;
import io.tensd.telemetry.EmbeddedBroker;
import io.tensd.telemetry.MosquittoProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A broker certificate signed by the right CA but made for another host name: said as such, not as "not trusted". */
class BrokerHostnameTest {
    @Test
    void aCertificateForAnotherHostIsReportedAsAHostnameMismatch(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("broker"));
        int port = EmbeddedBroker.freePort();
        MosquittoProcess.run(dir, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-days", "2", "-keyout", "ca.key", "-out", "ca.crt", "-subj", "/CN=clinic CA");
        MosquittoProcess.run(dir, "openssl", "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=broker.other-clinic.example");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=DNS:broker.other-clinic.example\n");
        MosquittoProcess.run(dir, "openssl", "x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
                "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.crt");
        Files.writeString(dir.resolve("mosquitto.conf"), """
                log_dest file %1$s/mosquitto.log
                listener %2$d 127.0.0.1
                cafile %1$s/ca.crt
                certfile %1$s/server.crt
                keyfile %1$s/server.key
                allow_anonymous true
                """.formatted(dir, port));
        MosquittoProcess.chownIfRoot(dir);
        if ("root".equals(System.getProperty("user.name"))) {
            MosquittoProcess.run(dir, "chmod", "o+rx", tmp.toString());
        }
        Process broker = MosquittoProcess.start(dir, port);
        try {
            DeviceConfig.Broker b = new DeviceConfig.Broker("ssl://localhost:" + port, null, null, dir.resolve("ca.crt"),
                    null, null, 10, 1000);
            BrokerDiagnosis d = BrokerDiagnosis.of(b, 3_000);
            assertEquals(BrokerDiagnosis.Kind.HOSTNAME_MISMATCH, d.kind(), d.detail());
            String line = d.message(b, "therapy runs locally");
            System.out.println(line);
            assertTrue(line.contains("certificate does not match host localhost"), line);
            assertTrue(!line.contains("not trusted"), line);
        } finally {
            MosquittoProcess.stop(broker, 5);
        }
    }
}

package io.tensd.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tensd.posture.PostureCalibration;
import io.tensd.posture.PostureEvent;
import io.tensd.posture.PostureListener;
import io.tensd.posture.PosturePipeline;
import io.tensd.posture.SensorCalibration;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the patient's posture calibration across restarts. At start the stored calibration is restored;
 * without one, the device runs a neutral standing capture (the first seconds after start, as at fitting).
 * Each successful capture is saved, off the IMU thread, atomically and readable by the daemon's user alone.
 * Only six numbers per sensor: no patient-identifying data.
 */
final class PostureCalibrationStore implements PostureListener {
    private static final Logger log = LoggerFactory.getLogger(PostureCalibrationStore.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Executor io;
    private volatile PosturePipeline pipeline;

    PostureCalibrationStore(Path file, Executor io) {
        this.file = file;
        this.io = io;
    }

    /** Restores the stored calibration into {@code p}, or starts a neutral capture; returns what it did, for the log. */
    String restoreOrCapture(PosturePipeline p, long nowNanos) {
        this.pipeline = p;
        Optional<PostureCalibration> stored = load(file);
        if (stored.isPresent()) {
            p.setCalibration(stored.get());
            return "posture calibration restored from " + file;
        }
        p.startNeutralCapture(nowNanos);
        return "posture: no stored calibration; neutral standing capture now (patient upright and still for 10 s)";
    }

    /** Chained after the event bridge: saves each successful capture. Runs on the IMU thread, so only hands off. */
    @Override
    public void onEvent(PostureEvent event) {
        PosturePipeline p = pipeline;
        if (event instanceof PostureEvent.Calibration c && c.ok() && p != null) {
            p.calibration().ifPresent(cal -> io.execute(() -> save(file, cal)));
        }
    }

    static Optional<PostureCalibration> load(Path file) {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(file.toFile());
            SensorCalibration lower = sensor(n.get("lower"));
            JsonNode up = n.get("upper");
            return Optional.of(new PostureCalibration(lower, up == null || up.isNull() ? Optional.empty() : Optional.of(sensor(up))));
        } catch (IOException | RuntimeException e) {
            log.warn("posture calibration in {} unreadable ({}); a new neutral capture will be taken", file, e.getMessage());
            return Optional.empty();
        }
    }

    static void save(Path file, PostureCalibration cal) {
        try {
            ObjectNode n = JSON.createObjectNode();
            n.put("schema", "tensd.posture-calibration.v1");
            n.set("lower", node(cal.lower()));
            n.set("upper", cal.upper().map(PostureCalibrationStore::node).orElse(null));
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n));
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system (development machine): keep the default mode
            }
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            log.info("posture calibration saved to {}", file);
        } catch (IOException e) {
            log.warn("posture calibration not saved to {}: {}", file, e.getMessage());
        }
    }

    private static ObjectNode node(SensorCalibration s) {
        ObjectNode n = JSON.createObjectNode();
        n.put("neutralUpX", s.neutralUpX());
        n.put("neutralUpY", s.neutralUpY());
        n.put("neutralUpZ", s.neutralUpZ());
        n.put("gyroBiasXDps", s.gyroBiasXDps());
        n.put("gyroBiasYDps", s.gyroBiasYDps());
        n.put("gyroBiasZDps", s.gyroBiasZDps());
        return n;
    }

    private static SensorCalibration sensor(JsonNode n) {
        return new SensorCalibration(n.get("neutralUpX").asDouble(), n.get("neutralUpY").asDouble(), n.get("neutralUpZ").asDouble(),
                n.get("gyroBiasXDps").asDouble(), n.get("gyroBiasYDps").asDouble(), n.get("gyroBiasZDps").asDouble());
    }
}

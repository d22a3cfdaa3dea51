package io.tensd.config;

import io.tensd.posture.PostureConfig;
import java.nio.file.Path;

/**
 * The device file ({@code config/tensd.yaml}): identity, loop rate, buses and pins, broker, journal, posture.
 * Pin and bus details live in {@link Hardware}; the broker in {@link Broker}; the posture pipeline's settings
 * ({@code posture:}, docs/posture.md) in {@link PostureConfig}.
 */
public record DeviceConfig(String deviceId, String site, int loopRateHz, Path journalDir, Hardware hardware, Broker broker,
                           PostureConfig posture) {

    /** Without a {@code posture:} section: the posture defaults. */
    public DeviceConfig(String deviceId, String site, int loopRateHz, Path journalDir, Hardware hardware, Broker broker) {
        this(deviceId, site, loopRateHz, journalDir, hardware, broker, PostureConfig.defaults());
    }

    public static DeviceConfig defaults() {
        return new DeviceConfig("tensd-dev-001", "clinic-demo", 100, Path.of("/var/lib/tensd/journal"),
                Hardware.defaults(), Broker.defaults());
    }

    public long loopPeriodNanos() { return 1_000_000_000L / loopRateHz; }

    /**
     * BCM pin numbers, I2C bus and addresses, UART device. {@code imuUpperAddress} is {@link #ABSENT} on a one-IMU
     * belt ({@code imuUpper: ~} or {@code 0} in the file).
     */
    public record Hardware(int heaterPwmPin, int heaterEnablePin, int stimEnablePin, int hapticPin, int ledPin,
                           int buttonUpPin, int buttonDownPin, int buttonPausePin, int buttonStopPin, int estopPin,
                           int i2cBus, int skinSensorAddress, int padAdcAddress, int imuLowerAddress, int imuUpperAddress,
                           int fuelGaugeAddress, String stimulatorPort) {
        /** The address of a part the belt does not have. */
        public static final int ABSENT = 0;

        public boolean hasUpperImu() { return imuUpperAddress != ABSENT; }

        public static Hardware defaults() {
            return new Hardware(12, 16, 26, 13, 6, 5, 22, 23, 24, 27,
                    1, 0x48, 0x49, 0x6A, 0x6B, 0x36, "/dev/serial0");
        }
    }

    /**
     * MQTT broker(s). {@code urls}: one or more tcp://host:port or ssl://host:port (the file may say
     * mqtt:// or mqtts://, which {@link #pahoUrl} maps), tried in this order on every
     * (re)connect, so the device fails over to the next when one is down; credentials and TLS settings are the
     * same for all and are read from files, not kept here.
     */
    public record Broker(java.util.List<String> urls, String username, Path passwordFile, Path caFile, Path clientCertFile,
                         Path clientKeyFile, int keepAliveSeconds, int telemetryPeriodMillis) {
        public Broker {
            urls = java.util.List.copyOf(urls);
            if (urls.isEmpty()) {
                throw new IllegalArgumentException("at least one broker url");
            }
        }

        /** A single broker. */
        public Broker(String url, String username, Path passwordFile, Path caFile, Path clientCertFile,
                      Path clientKeyFile, int keepAliveSeconds, int telemetryPeriodMillis) {
            this(java.util.List.of(url), username, passwordFile, caFile, clientCertFile, clientKeyFile, keepAliveSeconds,
                    telemetryPeriodMillis);
        }

        /** The first (preferred) broker. */
        public String url() { return urls.get(0); }

        /** The same settings with {@code other} brokers (a command-line override). */
        public Broker withUrls(java.util.List<String> other) {
            return new Broker(other, username, passwordFile, caFile, clientCertFile, clientKeyFile, keepAliveSeconds,
                    telemetryPeriodMillis);
        }

        public static Broker defaults() {
            return new Broker("tcp://localhost:1883", null, null, null, null, null, 10, 1000);
        }

        /** The scheme Paho understands: {@code mqtt://} is {@code tcp://}, {@code mqtts://} is {@code ssl://}; others unchanged. */
        public static String pahoUrl(String url) {
            if (url.regionMatches(true, 0, "mqtt://", 0, 7)) {
                return "tcp://" + url.substring(7);
            }
            if (url.regionMatches(true, 0, "mqtts://", 0, 8)) {
                return "ssl://" + url.substring(8);
            }
            return url;
        }
    }
}

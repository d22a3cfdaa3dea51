package io.tensd.config;

import static io.tensd.config.ConfigFiles.errors;
import static io.tensd.config.ConfigFiles.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceConfigLoaderTest {
    private static final String DEVICE = "device: {id: belt-7, site: north-clinic}\n";

    @TempDir
    Path dir;

    private List<String> errorsOf(String yaml) {
        return errors(DeviceConfigLoader::load, write(dir, "tensd.yaml", yaml));
    }

    private DeviceConfig load(String yaml) throws ConfigException {
        return DeviceConfigLoader.load(write(dir, "tensd.yaml", yaml));
    }

    private String f() {
        return dir.resolve("tensd.yaml").toString();
    }

    @Test
    void shippedFileHoldsExactlyTheDocumentedDefaults() throws Exception {
        assertEquals(DeviceConfig.defaults(), DeviceConfigLoader.load(Path.of("config/tensd.yaml")));
    }

    @Test
    void onlyIdAndSiteAreRequired() throws Exception {
        DeviceConfig d = load(DEVICE);
        DeviceConfig def = DeviceConfig.defaults();
        assertEquals(new DeviceConfig("belt-7", "north-clinic", def.loopRateHz(), def.journalDir(), def.hardware(), def.broker()), d);
    }

    @Test
    void missingIdOrSiteIsAnErrorBecauseTopicsWouldCollide() {
        assertEquals(List.of(f() + ":1: (document): missing section 'device'"), errorsOf("loop: {rateHz: 100}\n"));
        assertEquals(List.of(f() + ":1: device: missing key 'site': every device needs its own site id "
                + "(part of its MQTT topics tensd/v1/<site>/<device>/…)"), errorsOf("device:\n  id: belt-7\n"));
    }

    @Test
    void idsThatWouldBreakTopicsAreRejected() {
        for (String bad : List.of("'a/b'", "'a+b'", "'#'", "Belt7", "''", "a".repeat(65), "'a b'")) {
            List<String> errors = errorsOf("device: {id: " + bad + ", site: s}\n");
            assertEquals(1, errors.size(), bad + " " + errors);
            assertTrue(errors.get(0).startsWith(f() + ":1: device.id: must be 1 to 64 characters from a-z, 0-9 and '-'"), errors.get(0));
        }
    }

    @Test
    void everyFieldIsReadIntoItsRecordComponent() throws Exception {
        Files.writeString(dir.resolve("pw.txt"), "secret\n");
        Files.setPosixFilePermissions(dir.resolve("pw.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
        Files.createDirectories(dir.resolve("tls"));
        for (String n : List.of("ca.pem", "dev.pem", "dev.key")) {
            Files.writeString(dir.resolve("tls").resolve(n), "x");
        }
        Files.setPosixFilePermissions(dir.resolve("tls/dev.key"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        DeviceConfig d = load("""
                device: {id: belt-7, site: north-clinic}
                loop: {rateHz: 250}
                journal: {dir: journal}
                hardware:
                  i2cBus: 3
                  stimulatorPort: /dev/ttyUSB0
                  pins: {heaterPwm: 18, heaterEnable: 17, stimEnable: 4, haptic: 19, led: 20, buttonUp: 21,
                         buttonDown: 7, buttonPause: 8, buttonStop: 9, estop: 10}
                  addresses: {skinSensor: 0x4A, padAdc: 75, imuLower: 0x68, imuUpper: 0x69, fuelGauge: 0x0B}
                broker:
                  url: ssl://broker.clinic.example:8883
                  username: belt-7
                  passwordFile: pw.txt
                  caFile: tls/ca.pem
                  clientCertFile: tls/dev.pem
                  clientKeyFile: tls/dev.key
                  keepAliveSeconds: 30
                  telemetryPeriodMillis: 500
                """);
        Path base = dir.toAbsolutePath().normalize();
        assertEquals(new DeviceConfig("belt-7", "north-clinic", 250, base.resolve("journal"),
                new DeviceConfig.Hardware(18, 17, 4, 19, 20, 21, 7, 8, 9, 10, 3, 0x4A, 75, 0x68, 0x69, 0x0B, "/dev/ttyUSB0"),
                new DeviceConfig.Broker("ssl://broker.clinic.example:8883", "belt-7", base.resolve("pw.txt"),
                        base.resolve("tls/ca.pem"), base.resolve("tls/dev.pem"), base.resolve("tls/dev.key"), 30, 500)), d);
    }

    @Test
    void nullMeansNoCredential() throws Exception {
        DeviceConfig.Broker b = load(DEVICE + "broker: {username: ~, passwordFile: ~, caFile:}\n").broker();
        assertNull(b.username());
        assertNull(b.passwordFile());
        assertNull(b.caFile());
    }

    @Test
    void unknownKeysAndWrongTypes() {
        assertEquals(List.of(
                f() + ":2: loop.rate: unknown key; did you mean 'rateHz'? allowed: rateHz",
                f() + ":3: therapy: unknown key; allowed: broker, device, hardware, heat, journal, loop, posture",
                f() + ":5: hardware.i2cBus: expected a whole number, got 'one'",
                f() + ":6: hardware.pins: expected a mapping (key: value)"),
                errorsOf(DEVICE + "loop: {rate: 100}\ntherapy: {}\nhardware:\n  i2cBus: one\n  pins: [12, 16]\n"));
    }

    @Test
    void loopRateOutOfRange() {
        assertEquals(List.of(f() + ":2: loop.rateHz: must be between 10 and 1000 Hz, got 5 Hz"), errorsOf(DEVICE + "loop: {rateHz: 5}\n"));
    }

    @Test
    void pinsMustBeBcmNumbersAndDistinct() {
        assertEquals(List.of(
                f() + ":4: hardware.pins.led: must be between 0 and 27 (BCM GPIO number), got 40",
                f() + ":5: hardware.pins.buttonUp: BCM 26 is already used by hardware.pins.stimEnable (its default, not set in this file); "
                        + "each must be different",
                f() + ":7: hardware.pins.buttonPause: BCM 9 is already used by hardware.pins.buttonDown (line 6); each must be different"),
                errorsOf(DEVICE + "hardware:\n  pins:\n    led: 40\n    buttonUp: 26\n    buttonDown: 9\n    buttonPause: 9\n"));
    }

    @Test
    void pinsOfTheBusesInUseAndNonPwmHeaterPinsAreRejected() {
        assertEquals(List.of(
                f() + ":4: hardware.pins.heaterPwm: the heater needs a hardware PWM pin (BCM 12, 13, 18 or 19), got 25",
                f() + ":5: hardware.pins.led: BCM 3 is the SCL of I2C bus 1, which this device uses; choose another pin",
                f() + ":6: hardware.pins.buttonUp: BCM 14 is the TXD of the UART /dev/serial0, which this device uses; choose another pin"),
                errorsOf(DEVICE + "hardware:\n  pins:\n    heaterPwm: 25\n    led: 3\n    buttonUp: 14\n"));
    }

    @Test
    void busPinsAreFreeWhenThoseBusesAreNotUsed() throws Exception {
        DeviceConfig.Hardware h = load(DEVICE + "hardware:\n  i2cBus: 3\n  stimulatorPort: /dev/ttyUSB0\n"
                + "  pins: {led: 3, buttonUp: 14}\n").hardware();
        assertEquals(3, h.ledPin());
        assertEquals(14, h.buttonUpPin());
    }

    @Test
    void addressesAreSevenBitHexOrDecimalAndDistinct() {
        assertEquals(List.of(
                f() + ":4: hardware.addresses.skinSensor: must be a 7-bit I2C address from 0x08 to 0x77, got 0x80",
                f() + ":5: hardware.addresses.padAdc: address 0x36 is already used by hardware.addresses.fuelGauge "
                        + "(its default, not set in this file) on I2C bus 1; each must be different",
                f() + ":6: hardware.addresses.imuLower: expected a whole number, got '0x6G'",
                f() + ":7: hardware.addresses.imuUpper: must be a 7-bit I2C address from 0x08 to 0x77, got 0x03"),
                errorsOf(DEVICE + "hardware:\n  addresses:\n    skinSensor: 0x80\n    padAdc: 54\n    imuLower: 0x6G\n    imuUpper: 3\n"));
    }

    @Test
    void stimulatorPortMustBeAnAbsoluteDevicePath() {
        assertEquals(List.of(f() + ":2: hardware.stimulatorPort: must be an absolute device path such as /dev/serial0, got 'ttyUSB0'"),
                errorsOf(DEVICE + "hardware: {stimulatorPort: ttyUSB0}\n"));
    }

    @Test
    void brokerUrlMustBeTcpOrSslHostPortWithoutCredentials() {
        assertEquals(List.of(f() + ":2: broker.url: must start with tcp:// or mqtt:// (plain), ssl:// or mqtts:// (TLS), got 'http://host:1883'"),
                errorsOf(DEVICE + "broker: {url: 'http://host:1883'}\n"));
        assertEquals(List.of(f() + ":2: broker.url: must not contain credentials: put the user name in broker.username and the password "
                        + "in the file named by broker.passwordFile"),
                errorsOf(DEVICE + "broker: {url: 'tcp://u:p@host:1883'}\n"));
        assertEquals(List.of(f() + ":2: broker.url: must be only tcp://host:port, without a path, query or fragment"),
                errorsOf(DEVICE + "broker: {url: 'tcp://host:1883/mqtt'}\n"));
        assertEquals(List.of(f() + ":2: broker.url: has an invalid port, expected 1 to 65535"),
                errorsOf(DEVICE + "broker: {url: 'tcp://host:70000'}\n"));
        assertEquals(List.of(f() + ":2: broker.url: has no host name, expected ssl://host:port"),
                errorsOf(DEVICE + "broker: {url: 'ssl://:8883'}\n"));
    }

    @Test
    void brokerUrlsListsBrokersToFailOverBetweenInOrder() throws Exception {
        DeviceConfig.Broker b = load(DEVICE + "broker:\n  urls:\n    - tcp://broker-a:1883\n    - tcp://broker-b:1884\n").broker();
        assertEquals(List.of("tcp://broker-a:1883", "tcp://broker-b:1884"), b.urls());
        assertEquals("tcp://broker-a:1883", b.url(), "the first is the preferred one");
        assertEquals(List.of("tcp://one:1883"), load(DEVICE + "broker: {url: 'tcp://one:1883'}\n").broker().urls(),
                "a single url is a list of one");
        assertEquals(List.of("ssl://a:8883", "ssl://b:8883"),
                load(DEVICE + "broker: {urls: ['ssl://a:8883', 'ssl://b:8883']}\n").broker().urls());
        assertEquals(List.of("ssl://a:8883", "ssl://b:8883"),
                load(DEVICE + "broker: {urls: ['mqtts://a:8883', 'ssl://b:8883']}\n").broker().urls(),
                "mqtts:// in a list is ssl:// for Paho");
    }

    @Test
    void brokerUrlsErrorsNameTheEntry() {
        assertEquals(List.of(f() + ":5: broker.urls[1]: must start with tcp:// or mqtt:// (plain), ssl:// or mqtts:// (TLS), "
                        + "got 'http://b:1883'"),
                errorsOf(DEVICE + "broker:\n  urls:\n    - tcp://a:1883\n    - http://b:1883\n"));
        assertEquals(List.of(f() + ":5: broker.urls[1]: lists mqtt://a:1883 a second time"),
                errorsOf(DEVICE + "broker:\n  urls:\n    - tcp://a:1883\n    - mqtt://a:1883\n"),
                "mqtt:// is tcp://: the same broker");
        assertEquals(List.of(f() + ":5: broker.urls[1]: lists tcp://a:1883 a second time"),
                errorsOf(DEVICE + "broker:\n  urls:\n    - tcp://a:1883\n    - tcp://a:1883\n"));
        assertEquals(List.of(f() + ":2: broker.urls: give either url (one broker) or urls (a list of brokers to fail over "
                        + "between), not both"),
                errorsOf(DEVICE + "broker: {url: 'tcp://a:1883', urls: ['tcp://b:1883']}\n"));
        assertEquals(List.of(f() + ":2: broker.urls: must list at least one broker URL"), errorsOf(DEVICE + "broker: {urls: []}\n"));
        assertEquals(List.of(f() + ":2: broker.urls: expected a list of broker URLs, one per line as '- tcp://host:port'"),
                errorsOf(DEVICE + "broker: {urls: 'tcp://a:1883'}\n"));
        assertEquals(List.of(f() + ":2: broker.urls: mixes tcp:// and ssl://: one TLS setting (caFile, client certificate) "
                        + "serves every broker of the list, so use one scheme for all"),
                errorsOf(DEVICE + "broker: {urls: ['tcp://a:1883', 'ssl://b:8883']}\n"));
        assertEquals(List.of(f() + ":2: broker.urls: lists 9 brokers, at most 8"),
                errorsOf(DEVICE + "broker: {urls: [" + java.util.stream.IntStream.rangeClosed(1, 9)
                        .mapToObj(i -> "'tcp://b" + i + ":1883'").collect(java.util.stream.Collectors.joining(", ")) + "]}\n"));
    }

    @Test
    void tlsFilesNeedSslAndExistAndCertAndKeyGoTogether() throws Exception {
        Files.writeString(dir.resolve("dev.pem"), "x");
        assertEquals(List.of(
                f() + ":3: broker.caFile: is only used with an ssl:// or mqtts:// broker url; use one of those or remove this key"),
                errorsOf(DEVICE + "broker:\n  caFile: dev.pem\n"));
        assertEquals(List.of(
                f() + ":4: broker.passwordFile: file not found: " + dir.toAbsolutePath().normalize().resolve("missing.txt"),
                f() + ":5: broker.clientCertFile: clientCertFile and clientKeyFile go together: give both or neither"),
                errorsOf(DEVICE + "broker:\n  url: ssl://h:8883\n  passwordFile: missing.txt\n  clientCertFile: dev.pem\n"));
    }

    @Test
    void brokerNumbersHaveRanges() {
        assertEquals(List.of(
                f() + ":2: broker.keepAliveSeconds: must be between 1 and 3600 s (the broker announces this device offline about "
                        + "1.5 × this long after it goes silent), got 0 s",
                f() + ":2: broker.telemetryPeriodMillis: must be between 100 and 60000 ms, got 10 ms"),
                errorsOf(DEVICE + "broker: {keepAliveSeconds: 0, telemetryPeriodMillis: 10}\n"));
    }

    @Test
    void relativePathsAreRelativeToTheConfigFileNotTheWorkingDirectory() throws Exception {
        Path sub = Files.createDirectories(dir.resolve("etc"));
        DeviceConfig d = DeviceConfigLoader.load(write(sub, "tensd.yaml", DEVICE + "journal: {dir: ../var/journal}\n"));
        assertEquals(dir.toAbsolutePath().normalize().resolve("var/journal"), d.journalDir());
    }
}

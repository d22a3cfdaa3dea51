package io.tensd.hw.pi4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PwmTest {
    @Test
    void channelsOfTheHeaderPwmPins() {
        assertEquals(0, PwmChannels.channelFor(12, false));
        assertEquals(0, PwmChannels.channelFor(12, true));
        assertEquals(1, PwmChannels.channelFor(13, true));
        assertEquals(0, PwmChannels.channelFor(18, false));
        assertEquals(2, PwmChannels.channelFor(18, true));
        assertEquals(3, PwmChannels.channelFor(19, true));
        assertThrows(IllegalArgumentException.class, () -> PwmChannels.channelFor(16, true));
    }

    /** /sys/class/pwm as on a Pi 5 with a later kernel: the fan's block and the header's block, in either order. */
    @Test
    void findsTheHeaderPwmBlockNotTheFan(@TempDir Path root) throws Exception {
        Path devices = root.resolve("devices/platform/axi/1000120000.pcie");
        Path header = Files.createDirectories(devices.resolve("1f00098000.pwm/pwm/pwmchip0"));
        Path fan = Files.createDirectories(devices.resolve("1f0009c000.pwm/pwm/pwmchip2"));
        Path cls = Files.createDirectories(root.resolve("class/pwm"));
        Files.createSymbolicLink(cls.resolve("pwmchip2"), fan);
        Files.createSymbolicLink(cls.resolve("pwmchip0"), header);
        assertEquals(OptionalInt.of(0), PwmChipLocator.find(cls));

        Path pi4 = Files.createDirectories(root.resolve("pi4/devices/platform/soc/fe20c000.pwm/pwm/pwmchip0"));
        Path cls4 = Files.createDirectories(root.resolve("pi4/class/pwm"));
        Files.createSymbolicLink(cls4.resolve("pwmchip0"), pi4);
        assertEquals(OptionalInt.of(0), PwmChipLocator.find(cls4));

        assertEquals(OptionalInt.empty(), PwmChipLocator.find(root.resolve("nothing")), "no overlay loaded");
    }
}

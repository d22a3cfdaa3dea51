package io.tensd.stim;

import io.tensd.hw.pi4j.HardwareProbe;
import io.tensd.loop.Clock;
import java.nio.file.Files;
import java.nio.file.Path;

/** hw-check's stimulator line: open the link, wait for HELLO_ACK, report firmware and boot count. */
public final class StimHelloProbe {
    private StimHelloProbe() { }

    public static HardwareProbe.Result probe(String port, int leaseMillis, long timeoutMillis) {
        if (!Files.exists(Path.of(port))) {
            return new HardwareProbe.Result("stimulator", port, HardwareProbe.Status.PROBLEM, "serial port does not exist",
                    "enable the UART (hardware/boot-config.md: enable_uart=1, console off) and check the device path");
        }
        SerialStimulator link = new SerialStimulator(StimLinkConfig.defaults(port, leaseMillis), Clock.SYSTEM);
        try {
            link.start();
            long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
            while (System.nanoTime() < deadline && link.board().isEmpty()) {
                link.command(System.nanoTime(), false, 0, 0, 0);
                Thread.sleep(20);
            }
            return link.board().map(h -> new HardwareProbe.Result("stimulator", port, HardwareProbe.Status.OK,
                            "protocol v" + h.version() + ", firmware " + h.firmwareMajor() + "." + h.firmwareMinor() + "."
                                    + h.firmwarePatch() + ", serial " + h.boardSerial() + ", boot " + h.bootCount(), ""))
                    .orElse(new HardwareProbe.Result("stimulator", port, HardwareProbe.Status.PROBLEM,
                            "no HELLO_ACK within " + timeoutMillis + " ms",
                            "check TX/RX crossed (Pi TX → board RX), 115200 8N1, board powered; `tensd board-emulator` on a pty tests the Pi side"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HardwareProbe.Result("stimulator", port, HardwareProbe.Status.PROBLEM, "interrupted", "");
        } finally {
            link.close();
        }
    }
}

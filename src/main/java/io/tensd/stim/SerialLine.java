package io.tensd.stim;

import com.fazecast.jSerialComm.SerialPort;
import com.fazecast.jSerialComm.SerialPortDataListener;
import com.fazecast.jSerialComm.SerialPortEvent;
import com.fazecast.jSerialComm.SerialPortInvalidPortException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One opened UART (115200 8N1, no flow control) and what it takes to survive its loss. jSerialComm
 * fires PORT_DISCONNECTED in a tight loop once the device is gone, so the listener closes the port
 * at once; the owner then sees {@link #read} return -1, drops this line and polls for the path to
 * come back with a new {@link SerialPort}. Used by the host link and the board emulator alike.
 */
final class SerialLine {
    static final int BAUD = 115_200;

    private final SerialPort port;
    private volatile boolean lost;

    private SerialLine(SerialPort port) { this.port = port; }

    /**
     * Opens {@code path} if it exists; {@code null} when it does not (yet) or cannot be opened.
     * {@code readTimeoutMillis} 0 makes reads non-blocking. Linux serial timeouts have a granularity of
     * 100 ms (termios VTIME), so a short positive timeout behaves like 100 ms when nothing arrives;
     * a read still returns as soon as one byte is there.
     */
    static SerialLine open(String path, int readTimeoutMillis) {
        if (!Files.exists(Path.of(path))) {
            return null;
        }
        SerialPort p;
        try {
            p = SerialPort.getCommPort(path);
        } catch (SerialPortInvalidPortException e) {
            return null;
        }
        p.setComPortParameters(BAUD, 8, SerialPort.ONE_STOP_BIT, SerialPort.NO_PARITY);
        p.setFlowControl(SerialPort.FLOW_CONTROL_DISABLED);
        int readMode = readTimeoutMillis == 0 ? SerialPort.TIMEOUT_NONBLOCKING : SerialPort.TIMEOUT_READ_SEMI_BLOCKING;
        p.setComPortTimeouts(readMode | SerialPort.TIMEOUT_WRITE_BLOCKING, readTimeoutMillis, 50);
        if (!p.openPort()) {
            return null;
        }
        SerialLine line = new SerialLine(p);
        p.addDataListener(new SerialPortDataListener() {
            @Override
            public int getListeningEvents() { return SerialPort.LISTENING_EVENT_PORT_DISCONNECTED; }

            @Override
            public void serialEvent(SerialPortEvent event) {
                line.lost = true;
                // Close here to end jSerialComm's disconnect-event storm, unless close() already owns the
                // port: it holds the port's monitor while it waits for this event thread, so closing here
                // too would deadlock (seen in SerialStimulatorTest under load).
                if (line.closing.compareAndSet(false, true)) {
                    p.closePort();
                }
            }
        });
        return line;
    }

    /** Bytes read (0 on timeout) or -1 once the port is gone. */
    int read(byte[] buf) {
        if (lost || !port.isOpen()) {
            return -1;
        }
        int n = port.readBytes(buf, buf.length, 0);
        return n < 0 || lost ? -1 : n;
    }

    /** True when every byte was handed to the driver. */
    boolean write(byte[] buf, int len) {
        if (lost || !port.isOpen()) {
            return false;
        }
        return port.writeBytes(buf, len, 0) == len;
    }

    /**
     * Nothing more is read or written from now on; the owner's thread closes the port when it next looks
     * ({@link #isLost}). Unlike {@link #close} this never waits: jSerialComm's closePort joins its event thread
     * (~0.4 s on a pty), which must not happen on a caller with a deadline.
     */
    void drop() { lost = true; }

    /** Exactly one of close() and the disconnect callback closes the port. */
    private final java.util.concurrent.atomic.AtomicBoolean closing = new java.util.concurrent.atomic.AtomicBoolean();

    boolean isLost() { return lost || !port.isOpen(); }

    void close() {
        lost = true;
        if (closing.compareAndSet(false, true)) {
            port.closePort(); // also stops the listener thread
        }
    }
}

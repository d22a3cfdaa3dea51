package io.tensd.stim;

import io.tensd.hw.StimStatus;

/** The payload of one frame; one record per {@link MessageType}. Field units are in the names. */
public sealed interface Message {
    MessageType type();

    /** Host → board: opens a session. The board answers HELLO_ACK with the highest version both support. */
    /** @param slewMicroAmpsPerSecond slew limit the host asks for (§5.7); 0 = the board's own maximum */
    record Hello(int minVersion, int maxVersion, int slewMicroAmpsPerSecond) implements Message {
        public Hello(int minVersion, int maxVersion) { this(minVersion, maxVersion, 0); }

        public MessageType type() { return MessageType.HELLO; }
    }

    /** Board → host: negotiated version, firmware, boot count and the caps the board enforces by itself. */
    record HelloAck(int version, int firmwareMajor, int firmwareMinor, int firmwarePatch, int boardSerial,
                    int bootCount, BoardLogic.Caps caps, int statusPeriodMillis, int slewMicroAmpsPerSecond) implements Message {
        /** A HELLO_ACK without the appended slew field (0: none in force, as a board without it). */
        public HelloAck(int version, int firmwareMajor, int firmwareMinor, int firmwarePatch, int boardSerial,
                        int bootCount, BoardLogic.Caps caps, int statusPeriodMillis) {
            this(version, firmwareMajor, firmwareMinor, firmwarePatch, boardSerial, bootCount, caps, statusPeriodMillis, 0);
        }

        public MessageType type() { return MessageType.HELLO_ACK; }

        public String firmwareVersion() { return firmwareMajor + "." + firmwareMinor + "." + firmwarePatch; }
    }

    /** Host → board: the output wanted now, and the lease that keeps it alive. */
    /**
     * @param reservedFlags flag bits 1–7 as on the wire (always 0 from a conforming host)
     * @param pattern       board-timed burst/modulation (v2 frames only; {@link Pattern#CONTINUOUS} in v1)
     */
    record Setpoint(boolean enable, int waveformCode, int amplitudeMicroAmps, int pulseWidthMicros, int frequencyHz,
                    int leaseMillis, int reservedFlags, Pattern pattern) implements Message {
        public Setpoint(boolean enable, int waveformCode, int amplitudeMicroAmps, int pulseWidthMicros, int frequencyHz,
                        int leaseMillis) {
            this(enable, waveformCode, amplitudeMicroAmps, pulseWidthMicros, frequencyHz, leaseMillis, 0, Pattern.CONTINUOUS);
        }

        public MessageType type() { return MessageType.SETPOINT; }
    }

    /**
     * Host → board: renews the lease of the setpoint with sequence number {@code setpointSeq}, and only
     * that one: a heartbeat never keeps alive a setpoint the host did not send.
     */
    record Heartbeat(int leaseMillis, int setpointSeq) implements Message {
        public MessageType type() { return MessageType.HEARTBEAT; }
    }

    /** Host → board: drop latched OVERCURRENT/OVERVOLTAGE and the cut-reason bits; output stays off. */
    record ClearFault() implements Message {
        public MessageType type() { return MessageType.CLEAR_FAULT; }
    }

    /**
     * Board → host, every status period and after each accepted SETPOINT.
     *
     * @param impedanceOhms   {@link StimStatus#IMPEDANCE_UNKNOWN} when not measured
     * @param lastSetpointSeq sequence number of the SETPOINT in force, 0 for none
     */
    record Status(boolean outputEnabled, boolean sessionOpen, int boardFaultBits, int measuredMicroAmps,
                  int impedanceOhms, int appliedMicroAmps, int leaseRemainingMs, int lastSetpointSeq,
                  int bootCount, int uptimeMillis) implements Message {
        public MessageType type() { return MessageType.STATUS; }

        public StimStatus toStimStatus(long receivedAtNanos) {
            return new StimStatus(receivedAtNanos, measuredMicroAmps, impedanceOhms, boardFaultBits, outputEnabled,
                    leaseRemainingMs, bootCount);
        }
    }

    /** Board → host: the frame {@code ackedSeq} of type {@code ackedType} was accepted. */
    record Ack(int ackedSeq, int ackedType) implements Message {
        public MessageType type() { return MessageType.ACK; }
    }

    /** Board → host: the frame was refused for {@code reasonCode} ({@link ReplyCode}). */
    record Nack(int nackedSeq, int nackedType, int reasonCode) implements Message {
        public MessageType type() { return MessageType.NACK; }

        /** The reason, or {@code null} for a code this host does not know. */
        public ReplyCode reason() { return ReplyCode.of(reasonCode); }
    }
}

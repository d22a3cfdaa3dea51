package io.tensd.hw;

/** Faults the stimulator board reports in its status frame. Bits are part of the wire protocol. */
public enum BoardFault {
    LEASE_EXPIRED(0x01), OVERCURRENT(0x02), OVERVOLTAGE(0x04), SELF_TEST(0x08), SETPOINT_REJECTED(0x10);

    private final int bit;

    BoardFault(int bit) { this.bit = bit; }

    public int bit() { return bit; }
}

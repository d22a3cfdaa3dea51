package io.tensd.hw;

/** Local inputs a person makes at the device. {@code CLEAR} is a technician's action (long press of stop, or the CLI). */
public enum Button {
    UP, DOWN, PAUSE, RESUME, START, STOP, ESTOP, ESTOP_RELEASE, CLEAR
}

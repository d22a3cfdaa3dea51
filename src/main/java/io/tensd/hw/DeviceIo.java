package io.tensd.hw;

import java.util.Objects;

/**
 * Everything the control loop touches, behind our own small interfaces. Pi4J, the serial link and
 * the simulator each provide one of these; the loop cannot tell them apart.
 * Button presses arrive through the {@code io.tensd.loop.InputQueue} handed to the hardware at start.
 */
public record DeviceIo(TemperatureSensor skin, TemperatureSensor pad, Stimulator stimulator, HeaterOutput heater,
                       Annunciator annunciator, FuelGauge battery, PostureSource posture, EstopLine estop) {
    public DeviceIo {
        Objects.requireNonNull(skin, "skin");
        Objects.requireNonNull(pad, "pad");
        Objects.requireNonNull(stimulator, "stimulator");
        Objects.requireNonNull(heater, "heater");
        Objects.requireNonNull(annunciator, "annunciator");
        Objects.requireNonNull(battery, "battery");
        Objects.requireNonNull(posture, "posture");
        Objects.requireNonNull(estop, "estop");
    }
}

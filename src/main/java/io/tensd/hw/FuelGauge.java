package io.tensd.hw;

public interface FuelGauge {
    BatteryReading latest();

    FuelGauge NONE = () -> BatteryReading.UNKNOWN;
}

package io.tensd.safety;

import io.tensd.hw.BatteryReading;
import io.tensd.hw.PostureReading;
import io.tensd.hw.StimStatus;
import io.tensd.hw.TempReading;

/**
 * What the loop read from the hardware at the start of a tick. One instance is reused for every tick
 * (the loop does not allocate); the readings themselves are immutable records published by the
 * acquisition threads.
 */
public final class Inputs {
    private TempReading skin = TempReading.NONE;
    private TempReading pad = TempReading.NONE;
    private StimStatus stim = StimStatus.NONE;
    private boolean estopActive;
    private BatteryReading battery = BatteryReading.UNKNOWN;
    private PostureReading posture = PostureReading.NONE;

    public Inputs set(TempReading skin, TempReading pad, StimStatus stim, boolean estopActive,
                      BatteryReading battery, PostureReading posture) {
        this.skin = skin;
        this.pad = pad;
        this.stim = stim;
        this.estopActive = estopActive;
        this.battery = battery;
        this.posture = posture;
        return this;
    }

    public TempReading skin() { return skin; }

    public TempReading pad() { return pad; }

    public StimStatus stim() { return stim; }

    public boolean estopActive() { return estopActive; }

    public BatteryReading battery() { return battery; }

    public PostureReading posture() { return posture; }
}

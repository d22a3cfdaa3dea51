package io.tensd.hw;

/** Haptic motor and status LED. Non-blocking: implementations play patterns on their own thread. */
public interface Annunciator {
    enum Haptic { NONE, SLOUCH, ALERT, FAULT, CONFIRM }

    enum Led { OFF, IDLE, RUNNING, PAUSED, FAULT }

    void haptic(Haptic pattern);

    void led(Led state);

    Annunciator NONE = new Annunciator() {
        @Override public void haptic(Haptic pattern) { }
        @Override public void led(Led state) { }
    };
}

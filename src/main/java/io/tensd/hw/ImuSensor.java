package io.tensd.hw;

/** A posture IMU. Drivers push samples at the IMU rate to a listener on their acquisition thread. */
public interface ImuSensor {
    interface Listener {
        void onSample(ImuSample sample);
    }

    void setListener(Listener listener);
}

package io.tensd.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CalibrationMathTest {

    /** For thousands of random mounting tilts up to 89°, the mounting rotation takes neutral-up onto +x and is a rotation. */
    @Test
    void mountingRotationTakesNeutralUpOntoBodyX() {
        long seed = System.nanoTime();
        Random rnd = new Random(seed);
        for (int i = 0; i < 5000; i++) {
            double tilt = Math.toRadians(rnd.nextDouble() * 89);
            double az = rnd.nextDouble() * 2 * Math.PI;
            double x = Math.cos(tilt), y = Math.sin(tilt) * Math.cos(az), z = Math.sin(tilt) * Math.sin(az);
            SensorCalibration c = new SensorCalibration(x * 1.02, y * 1.02, z * 1.02, 0, 0, 0);
            double[] m = c.sensorToBody();
            String ctx = "seed " + seed + " i " + i;
            assertEquals(1, m[0] * x + m[1] * y + m[2] * z, 1e-9, ctx);
            assertEquals(0, m[3] * x + m[4] * y + m[5] * z, 1e-9, ctx);
            assertEquals(0, m[6] * x + m[7] * y + m[8] * z, 1e-9, ctx);
            double det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
            assertEquals(1, det, 1e-9, ctx);
            assertEquals(Math.toDegrees(tilt), c.mountTiltDeg(), 1e-6, ctx);
        }
    }
}

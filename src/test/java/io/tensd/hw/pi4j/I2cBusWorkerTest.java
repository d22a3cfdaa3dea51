package io.tensd.hw.pi4j;

import com.pi4j.io.i2c.I2C;
import io.tensd.hw.SensorStatus;
import io.tensd.loop.Clock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class I2cBusWorkerTest {
    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 3_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void busErrorsBecomeReadingsAndTheThreadKeepsPolling() throws Exception {
        try (MockPi mock = new MockPi(); I2cBusWorker worker = new I2cBusWorker(1)) {
            I2C i2c = Pi4jIo.i2c(mock.pi4j, "t", 1, 0x48);
            Tmp117 sensor = new Tmp117(new I2cDevice(i2c, 1, 0x48), Clock.SYSTEM);
            worker.every(Duration.ofMillis(5), Duration.ZERO, sensor);
            awaitTrue(() -> sensor.latest().status() == SensorStatus.BUS_ERROR, "BUS_ERROR with nothing on the bus");
            long first = sensor.latest().sampledAtNanos();
            awaitTrue(() -> sensor.latest().sampledAtNanos() > first, "a later BUS_ERROR: still polling");

            // the device "comes back": the same thread picks it up
            worker.call(() -> {
                MockPi.answer16(i2c, Tmp117.REG_DEVICE_ID, Tmp117.DEVICE_ID);
                for (int i = 0; i < 50; i++) {
                    MockPi.answer16(i2c, Tmp117.REG_CONFIGURATION, Tmp117.CONFIG | Tmp117.DATA_READY);
                    MockPi.answer16(i2c, Tmp117.REG_TEMP_RESULT, 0x1280);
                }
                return null;
            });
            awaitTrue(() -> sensor.latest().status() == SensorStatus.OK, "recovery to OK");
            assertEquals(37.0, sensor.latest().celsius(), 1e-9);
            assertEquals(0, worker.unexpectedErrors(), "drivers handle their own bus errors");
        }
    }

    @Test
    void aPollThatThrowsIsReportedAndRescheduled() throws Exception {
        AtomicInteger polls = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        try (I2cBusWorker worker = new I2cBusWorker(9)) {
            worker.every(Duration.ofMillis(2), Duration.ZERO, new I2cBusWorker.Polled() {
                @Override
                public void poll() {
                    polls.incrementAndGet();
                    throw new IllegalStateException("driver bug");
                }

                @Override
                public void failed(Throwable error) { failures.incrementAndGet(); }
            });
            awaitTrue(() -> polls.get() >= 5, "five polls despite exceptions");
            assertTrue(failures.get() >= 4);
            assertTrue(worker.unexpectedErrors() >= 4);
        }
    }
}

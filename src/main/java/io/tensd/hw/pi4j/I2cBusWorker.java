package io.tensd.hw.pi4j;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one thread that talks to one I2C bus. Every device on the bus is polled from here, so
 * transfers never interleave (the kernel would serialise them anyway, but a driver's multi-step
 * sequence — ADS1115 "start conversion, wait, read" — must not be split by another device's
 * transfer to the same address space). One worker per bus: i2c-1 carries all our sensors.
 *
 * <p>A poll that throws is counted and reported to the task's {@link Polled#failed}; the schedule
 * keeps running (a {@link ScheduledExecutorService} would otherwise silently cancel it).
 * A transfer cannot hang forever: the Linux I2C controller drivers time out (about 1 s on the
 * BCM2835/RP1 controllers); the loop judges a late sample by its timestamp, not by waiting.
 */
public final class I2cBusWorker implements AutoCloseable {
    /** Something the worker polls. {@link #poll} should publish its own failures; {@link #failed} is the backstop. */
    public interface Polled {
        void poll();

        void failed(Throwable error);
    }

    private final ScheduledExecutorService executor;
    private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
    private final AtomicLong unexpectedErrors = new AtomicLong();

    public I2cBusWorker(int bus) {
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tensd-i2c-" + bus);
            t.setDaemon(true);
            t.setPriority(Thread.NORM_PRIORITY + 1);
            return t;
        });
    }

    /** Poll {@code task} at a fixed rate, starting after {@code initialDelay}. */
    public synchronized void every(Duration period, Duration initialDelay, Polled task) {
        Runnable guarded = () -> {
            try {
                task.poll();
            } catch (Throwable t) {
                unexpectedErrors.incrementAndGet();
                try {
                    task.failed(t);
                } catch (Throwable ignored) {
                    unexpectedErrors.incrementAndGet();
                }
            }
        };
        tasks.add(executor.scheduleAtFixedRate(guarded, initialDelay.toNanos(), period.toNanos(), TimeUnit.NANOSECONDS));
    }

    /** Runs {@code action} once on the bus thread and waits for it (start-up, hw-check); never used by the loop. */
    public <T> T call(java.util.concurrent.Callable<T> action) throws Exception {
        try {
            return executor.submit(action).get(5, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    /** Exceptions that escaped a driver's own handling (should stay 0; a test checks the drivers). */
    public long unexpectedErrors() { return unexpectedErrors.get(); }

    @Override
    public synchronized void close() {
        tasks.forEach(f -> f.cancel(false));
        executor.shutdown();
        try {
            if (!executor.awaitTermination(2, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}

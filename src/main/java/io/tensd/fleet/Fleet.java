package io.tensd.fleet;

import com.sun.management.OperatingSystemMXBean;
import io.tensd.config.DeviceConfig;
import io.tensd.sim.scenario.Scenario;
import io.tensd.sim.scenario.ScenarioRunner;
import io.tensd.telemetry.TelemetryService;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * N simulated devices in this JVM, started together, each running the scenario at the same pace; measures
 * what each costs (CPU of its threads, share of the heap) and what it sent.
 */
public final class Fleet {
    /** What one device cost and produced. CPU in % of one core over the run's wall time. */
    public record DeviceResult(String deviceId, String clientId, boolean connectedAtStart, String endState, long cpuMillis,
                               double cpuPercent, int threads, long eventsPublished, long telemetryPublished,
                               long connects, long journaled, long acknowledged, String failure) {
        public boolean delivered() { return failure == null && journaled > 0 && acknowledged == journaled; }
    }

    /**
     * The fleet's figures. {@code heapPerDeviceBytes}: live heap (after a full GC with every session running)
     * above the baseline before any device, divided by the number of devices.
     */
    public record Result(String site, String scenario, double pace, List<String> brokers, int devices, long wallMillis,
                         long processCpuMillis, long devicesCpuMillis, long baselineHeapBytes, long runningHeapBytes,
                         long heapPerDeviceBytes, List<DeviceResult> perDevice) {
        public double eventsPerSecond() { return perDevice.stream().mapToLong(DeviceResult::eventsPublished).sum() * 1000.0 / wallMillis; }

        public double telemetryPerSecond() { return perDevice.stream().mapToLong(DeviceResult::telemetryPublished).sum() * 1000.0 / wallMillis; }

        public double cpuPercentPerDevice() { return perDevice.stream().mapToDouble(DeviceResult::cpuPercent).average().orElse(0); }

        public double processCpuPercent() { return processCpuMillis * 100.0 / wallMillis; }

        public boolean allDelivered() { return perDevice.stream().allMatch(DeviceResult::delivered); }

        public long journaledTotal() { return perDevice.stream().mapToLong(DeviceResult::journaled).sum(); }
    }

    private Fleet() { }

    /**
     * Runs the fleet to the end of every device's session, waits (at most {@code deliveryTimeout}) until each
     * journal is acknowledged by the broker, then stops every device.
     */
    public static Result run(int devices, String site, Scenario scenario, ScenarioRunner.Options options,
                             DeviceConfig.Broker broker, double pace, Path outDir, Duration deliveryTimeout) throws InterruptedException {
        if (!ThreadCpu.supported()) {
            throw new IllegalStateException("this JVM cannot measure thread CPU time");
        }
        MemoryMXBean mem = ManagementFactory.getMemoryMXBean();
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        System.gc();
        long baselineHeap = mem.getHeapMemoryUsage().getUsed();

        List<FleetDevice> fleet = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(devices);
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(devices);
        for (int i = 1; i <= devices; i++) {
            FleetDevice d = new FleetDevice(i, site, scenario, options, broker, outDir);
            fleet.add(d);
            d.start(pace, ready, go, done);
        }
        ready.await();
        ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fleet-cpu-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> fleet.forEach(d -> d.cpu.sample()), 250, 250, TimeUnit.MILLISECONDS);
        long[] cpuAtGo = fleet.stream().mapToLong(d -> d.cpu.sample()).toArray();
        long processCpuAtGo = os.getProcessCpuTime();
        long wallAtGo = System.nanoTime();
        go.countDown();

        // the live heap with every session running: a full GC a few seconds in (or half-way through a short run)
        long runningHeap = -1;
        if (!done.await(2, TimeUnit.SECONDS)) {
            System.gc();
            runningHeap = mem.getHeapMemoryUsage().getUsed();
        }
        done.await();
        long wallNanos = System.nanoTime() - wallAtGo;
        long[] cpuAtEnd = fleet.stream().mapToLong(d -> d.cpu.sample()).toArray();
        long processCpu = os.getProcessCpuTime() - processCpuAtGo;
        sampler.shutdownNow();

        long end = System.nanoTime() + deliveryTimeout.toNanos();
        for (FleetDevice d : fleet) {
            d.awaitDelivered(Duration.ofNanos(Math.max(1, end - System.nanoTime())));
        }
        List<DeviceResult> results = new ArrayList<>();
        long devicesCpu = 0;
        for (int i = 0; i < fleet.size(); i++) {
            FleetDevice d = fleet.get(i);
            long cpu = cpuAtEnd[i] - cpuAtGo[i];
            devicesCpu += cpu;
            TelemetryService.Counters c = d.counters();
            Throwable f = d.failure();
            results.add(new DeviceResult(d.deviceId, d.clientId, d.connectedAtStart(),
                    d.report() == null ? "none" : d.report().endState(), cpu / 1_000_000, cpu * 100.0 / wallNanos,
                    d.cpu.threadsSeen(), c == null ? 0 : c.eventsPublished(), c == null ? 0 : c.telemetryPublished(),
                    c == null ? 0 : c.connects(), d.journaled(), d.acknowledged(), f == null ? null : f.toString()));
        }
        fleet.parallelStream().forEach(FleetDevice::stop);   // each stop waits for its broker's goodbye
        long heap = runningHeap < 0 ? baselineHeap : runningHeap;
        return new Result(site, scenario.name(), pace, broker.urls(), devices, wallNanos / 1_000_000, processCpu / 1_000_000,
                devicesCpu / 1_000_000, baselineHeap, heap, Math.max(0, heap - baselineHeap) / devices, results);
    }
}

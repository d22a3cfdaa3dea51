package io.tensd.telemetry;

import io.tensd.bench.MachineInfo;
import io.tensd.bench.Prewarm;
import io.tensd.bench.RealTimeRig;
import io.tensd.bench.ThreadTuning;
import io.tensd.config.DeviceConfig;
import io.tensd.loop.Clock;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionEvent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/**
 * Does MQTT or the journal ever hold up the safety loop? The real {@link io.tensd.loop.ControlLoop} +
 * {@link io.tensd.loop.DeviceController} at 100 Hz on the real clock against the simulated hardware
 * ({@link RealTimeRig}), a heated session running, {@link TelemetryService} attached (status = the controller,
 * commands = the controller, telemetry every 100 ms), a clinician sending a command every 500 ms, and the loop
 * thread emitting one extra event per tick into the {@link JournalingEventSink} (100 events/s, far above a real
 * session's rate). Three phases against a mosquitto process:
 * <ol>
 *   <li><b>broker up</b>;</li>
 *   <li><b>broker down</b> (SIGKILL): Paho reconnects in the background, every event is journaled (forced to
 *       disk) and waits; another thread adds a burst of events so the backlog is large;</li>
 *   <li><b>broker back, backlog replaying</b>: from the restart until the whole backlog is acknowledged.</li>
 * </ol>
 * Per phase: wake-up latency (the loop's own histogram, swapped by the loop thread at each boundary), tick-body
 * duration, {@code emit} duration, the loop thread's CPU share and voluntary/involuntary context switches per
 * iteration (/proc; a thread that parks once per tick has ~1 voluntary switch per iteration, one that blocked on
 * I/O or a lock would have more), and stack samples of the loop thread every ~20 ms classified as parked,
 * spinning, ticking, emitting, or FORBIDDEN (any frame of Journal, TelemetryService, Paho, java.net, sun.nio,
 * java.io, or the thread BLOCKED/WAITING on a monitor or lock).
 *
 * <p>Run: {@code java -cp … io.tensd.telemetry.LoopUnderMqttBench [phaseSeconds] [burstEvents] [fifoPriority]}
 */
public final class LoopUnderMqttBench {
    static final String[] PHASES = {"broker up", "broker down (journaling)", "broker back (replaying)"};

    /** @param fifoPriority 0 leaves the loop thread SCHED_OTHER; else SCHED_FIFO at this priority (and the sim thread one below) */
    public record Options(double phaseSeconds, int burstEvents, double warmupSeconds, boolean emitPerTick, int prewarmSessions,
                          int fifoPriority) { }

    public record Phase(String name, double seconds, long iterations, long overruns, Histogram wakeNanos, Histogram tickNanos,
                        Histogram emitNanos, double cpuPercent, double voluntaryPerIteration, double involuntaryPerIteration,
                        int samples, int parked, int spinning, int ticking, int emitting, int other, int forbidden,
                        List<String> forbiddenStacks) {
        String row() {
            return String.format("%-26s %5.1f s %5d it %2d ovr | wake µs p50 %6.1f p99 %7.1f p99.9 %7.1f max %8.1f | tick µs p50 %5.1f p99 %6.1f max %7.1f"
                            + " | emit µs p99 %5.1f max %6.1f | CPU %4.1f %% | vcs/it %.2f ivcs/it %.3f | samples %d: parked %d spin %d tick %d emit %d other %d FORBIDDEN %d",
                    name, seconds, iterations, overruns, us(wakeNanos.getValueAtPercentile(50)), us(wakeNanos.getValueAtPercentile(99)),
                    us(wakeNanos.getValueAtPercentile(99.9)), us(wakeNanos.getMaxValue()), us(tickNanos.getValueAtPercentile(50)),
                    us(tickNanos.getValueAtPercentile(99)), us(tickNanos.getMaxValue()), us(emitNanos.getValueAtPercentile(99)),
                    us(emitNanos.getMaxValue()), cpuPercent, voluntaryPerIteration, involuntaryPerIteration,
                    samples, parked, spinning, ticking, emitting, other, forbidden);
        }
    }

    public record Result(List<Phase> phases, long backlogAtRestart, double reconnectSeconds, double replaySeconds,
                         long eventsJournaled, long eventsPublished, long eventsDropped, boolean delivered, String machine) { }

    /** The loop-thread side: records tick and emit durations into the current phase and swaps at boundaries. */
    static final class Recorder implements LongConsumer {
        final Histogram[] tick = {hist(), hist(), hist()};
        final Histogram[] emit = {hist(), hist(), hist()};
        final Histogram[] wake = new Histogram[3];
        final long[] overrunsAt = new long[4];
        final AtomicReference<RealTimeRig> rig = new AtomicReference<>();
        final JournalingEventSink sink;
        final boolean emitPerTick;
        volatile int requested = -1;
        volatile int current = -1;
        private long n;

        Recorder(JournalingEventSink sink, boolean emitPerTick) {
            this.sink = sink;
            this.emitPerTick = emitPerTick;
        }

        static Histogram hist() { return new Histogram(10_000_000_000L, 3); }

        @Override
        public void accept(long now) {
            long tickDone = System.nanoTime();
            int cur = current;
            if (requested != cur) {
                RealTimeRig r = rig.get();
                if (cur >= 0) wake[cur] = r.loop().latencyNanos().copy(); // once per phase: the only allocation here
                r.loop().latencyNanos().reset();
                overrunsAt[requested] = r.loop().overruns();
                current = requested;
                return;
            }
            if (cur < 0 || cur > 2) return;
            tick[cur].recordValue(tickDone - now);
            if (emitPerTick) {
                SessionEvent e = new SessionEvent("slouch-alert", null, now, Map.of("tick", ++n));
                long t0 = System.nanoTime();
                sink.emit(e);
                emit[cur].recordValue(System.nanoTime() - t0);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 20;
        int burst = args.length > 1 ? Integer.parseInt(args[1]) : 20_000;
        System.out.println(MachineInfo.describe());
        System.out.println("load average at start: " + MqttBench.loadavg());
        int fifo = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        Result r;
        try {
            r = run(new Options(seconds, burst, 5, true, 5, fifo));
        } catch (io.tensd.bench.LiveSession.NotLive e) {
            System.out.println("tensd: refused: " + e.getMessage());
            System.exit(1); // the broker's and Paho's threads would keep the JVM alive
            return;
        }
        System.out.println("load average at end: " + MqttBench.loadavg());
        System.out.println();
        for (Phase p : r.phases()) System.out.println(p.row());
        System.out.printf("backlog when the broker came back: %d events; reconnect after %.1f s; backlog acknowledged %.1f s after the restart;"
                        + " journaled %d, published %d, dropped %d, delivered %s%n",
                r.backlogAtRestart(), r.reconnectSeconds(), r.replaySeconds(), r.eventsJournaled(), r.eventsPublished(),
                r.eventsDropped(), r.delivered());
        for (Phase p : r.phases()) p.forbiddenStacks().stream().limit(3).forEach(s -> System.out.println("FORBIDDEN in " + p.name() + ": " + s));
        System.exit(0);
    }

    public static Result run(Options o) throws Exception {
        var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        mx.setThreadCpuTimeEnabled(true);
        if (o.prewarmSessions() > 0) Prewarm.run(o.prewarmSessions());
        Path dir = Files.createTempDirectory("loop-mqtt-j");
        try (PlainMosquitto mosq = new PlainMosquitto();
             JournalingEventSink sink = JournalingEventSink.open(dir, "loop-dev", Clock.SYSTEM)) {
            Recorder rec = new Recorder(sink, o.emitPerTick());
            RealTimeRig rig = new RealTimeRig(100, -1, 11, sink, rec);
            rec.rig.set(rig);
            DeviceConfig.Broker b = new DeviceConfig.Broker(mosq.url(), null, null, null, null, null, 10, 100);
            TelemetryService svc = TelemetryService.builder("loop", "loop-dev", b).events(sink).status(rig.controller())
                    .commands(rig.controller()).firstConnectRetryMax(Duration.ofSeconds(1)).build();
            Sampler sampler = null;
            Clinician clinician = null;
            try {
                rig.start();
                svc.start();
                if (!svc.awaitConnected(Duration.ofSeconds(20))) throw new IllegalStateException("no connect");
                clinician = new Clinician(mosq.url());
                long javaTid = rig.loopThread().getId();
                long tid = ThreadTuning.findTid(RealTimeRig.LOOP_THREAD);
                if (o.fifoPriority() > 0) {
                    ThreadTuning.apply(tid, o.fifoPriority(), null, -1).forEach(System.out::println);
                    ThreadTuning.apply(ThreadTuning.findTid(RealTimeRig.SIM_THREAD), o.fifoPriority() - 1, null, -1)
                            .forEach(t -> System.out.println("sim thread: " + t));
                }
                System.out.println("loop thread: " + ThreadTuning.describe(tid));
                rig.startSession(); // after the priorities; a rejected start or a session that does not come live is an error
                sampler = new Sampler(mx, javaTid, rec);
                sleep(o.warmupSeconds());

                List<Phase> phases = new ArrayList<>();
                rig.live().open();
                Boundary start = switchTo(rec, 0, mx, javaTid, tid, rig);
                sleep(o.phaseSeconds());

                mosq.kill();
                Boundary down = switchTo(rec, 1, mx, javaTid, tid, rig);
                phases.add(phase(0, start, down, rec, sampler));
                long base = sink.recordedEvents();
                Thread burst = new Thread(() -> {
                    for (int i = 0; i < o.burstEvents(); i++) {
                        while (i - (sink.recordedEvents() - base) > 2000) sleep(0.001); // stay inside the sink's queue
                        sink.emit(new SessionEvent("slouch-alert", null, System.nanoTime(), Map.of("burst", i)));
                    }
                }, "burst");
                burst.start();
                sleep(o.phaseSeconds());
                burst.join();
                sink.awaitIdle(Duration.ofSeconds(30));
                long backlog = sink.journal().durableSeq() - sink.journal().ackedSeq();

                long connectsBefore = svc.counters().connects();
                mosq.start();
                long t0 = System.nanoTime();
                Boundary back = switchTo(rec, 2, mx, javaTid, tid, rig);
                phases.add(phase(1, down, back, rec, sampler));
                while (svc.counters().connects() == connectsBefore && System.nanoTime() - t0 < 60_000_000_000L) sleep(0.005);
                double reconnect = (System.nanoTime() - t0) / 1e9;
                // the loop keeps emitting, so "delivered" means the cursor reached what was journaled at the restart
                long target = sink.journal().durableSeq();
                while (sink.journal().ackedSeq() < target && System.nanoTime() - t0 < 600_000_000_000L) sleep(0.005);
                double replay = (System.nanoTime() - t0) / 1e9;
                boolean delivered = sink.journal().ackedSeq() >= target;
                long minEnd = t0 + (long) (o.phaseSeconds() * 1e9);
                while (System.nanoTime() < minEnd) sleep(0.01);
                Boundary end = switchTo(rec, 3, mx, javaTid, tid, rig);
                rig.live().close();
                phases.add(phase(2, back, end, rec, sampler));
                rig.live().require("LoopUnderMqttBench", (end.iterations() - start.iterations()) / 2);
                TelemetryService.Counters c = svc.counters();
                return new Result(phases, backlog, reconnect, replay, sink.recordedEvents(), c.eventsPublished(), c.eventsDropped(),
                        delivered, MachineInfo.describe());
            } finally {
                if (sampler != null) sampler.stop();
                if (clinician != null) clinician.stop();
                svc.stop();
                rig.close();
            }
        }
    }

    record Boundary(long nanos, long cpuNanos, long iterations, long voluntary, long involuntary, long overruns) { }

    static Boundary switchTo(Recorder rec, int phase, com.sun.management.ThreadMXBean mx, long javaTid, long tid, RealTimeRig rig) {
        rec.requested = phase;
        while (rec.current != phase) sleep(0.001);
        long[] cs = contextSwitches(tid);
        return new Boundary(System.nanoTime(), mx.getThreadCpuTime(javaTid), rig.loop().iterations(), cs[0], cs[1], rig.loop().overruns());
    }

    static Phase phase(int i, Boundary a, Boundary b, Recorder rec, Sampler s) {
        long it = Math.max(1, b.iterations() - a.iterations());
        double secs = (b.nanos() - a.nanos()) / 1e9;
        int[] k = s.counts[i];
        return new Phase(PHASES[i], secs, it, b.overruns() - a.overruns(), rec.wake[i], rec.tick[i], rec.emit[i],
                100.0 * (b.cpuNanos() - a.cpuNanos()) / (b.nanos() - a.nanos()),
                (double) (b.voluntary() - a.voluntary()) / it, (double) (b.involuntary() - a.involuntary()) / it,
                k[0], k[1], k[2], k[3], k[4], k[5], k[6], List.copyOf(s.forbidden.get(i)));
    }

    static long[] contextSwitches(long tid) {
        long v = -1;
        long n = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status"))) {
                if (line.startsWith("voluntary_ctxt_switches:")) v = Long.parseLong(line.substring(24).trim());
                if (line.startsWith("nonvoluntary_ctxt_switches:")) n = Long.parseLong(line.substring(27).trim());
            }
        } catch (Exception e) {
            // not Linux: the figures show -1
        }
        return new long[] {v, n};
    }

    /** Samples the loop thread's stack every ~20 ms and classifies where it was. */
    static final class Sampler {
        final int[][] counts = new int[3][7]; // samples, parked, spin, tick, emit, other, forbidden
        final List<List<String>> forbidden = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        private final Thread thread;
        private volatile boolean running = true;

        Sampler(java.lang.management.ThreadMXBean mx, long javaTid, Recorder rec) {
            thread = new Thread(() -> {
                java.util.Random rnd = new java.util.Random(3);
                while (running) {
                    sleep((15 + rnd.nextInt(10)) / 1000.0); // not in step with the 10 ms loop
                    int phase = rec.current;
                    ThreadInfo ti = mx.getThreadInfo(javaTid, 32);
                    if (ti == null || phase < 0 || phase > 2) continue;
                    synchronized (this) {
                        counts[phase][0]++;
                        String bad = forbiddenFrame(ti);
                        if (bad != null) {
                            counts[phase][6]++;
                            if (forbidden.get(phase).size() < 20) forbidden.get(phase).add(bad);
                        } else {
                            counts[phase][classify(ti.getStackTrace())]++;
                        }
                    }
                }
            }, "loop-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        /** TelemetryService's collaborators: MQTT-side code like TelemetryService itself. */
        static final List<String> MQTT_SIDE = List.of("io.tensd.telemetry.AnswerOutbox", "io.tensd.telemetry.ResendRequests",
                "io.tensd.telemetry.FailoverResend", "io.tensd.telemetry.HostRebirth");

        static String forbiddenFrame(ThreadInfo ti) {
            if (ti.getThreadState() == Thread.State.BLOCKED) return "BLOCKED on " + ti.getLockName();
            for (StackTraceElement f : ti.getStackTrace()) {
                String c = f.getClassName();
                if (c.startsWith("io.tensd.telemetry.Journal$") || c.equals("io.tensd.telemetry.Journal") || c.startsWith("io.tensd.telemetry.TelemetryService")
                        || MQTT_SIDE.stream().anyMatch(c::startsWith)
                        || c.startsWith("org.eclipse.paho") || c.startsWith("java.net.") || c.startsWith("sun.nio.") || c.startsWith("java.io.File")
                        || c.startsWith("java.nio.channels")) {
                    return c + "." + f.getMethodName() + " in " + List.of(ti.getStackTrace()).subList(0, Math.min(8, ti.getStackTrace().length));
                }
            }
            if (ti.getThreadState() == Thread.State.WAITING && ti.getLockName() != null) return "WAITING on " + ti.getLockName();
            if (ti.getThreadState() == Thread.State.TIMED_WAITING && ti.getLockName() != null) return "TIMED_WAITING on " + ti.getLockName();
            return null;
        }

        static int classify(StackTraceElement[] st) {
            if (st.length == 0) return 5;
            for (StackTraceElement f : st) {
                if (f.getClassName().equals("io.tensd.telemetry.JournalingEventSink")) return 4;
            }
            for (StackTraceElement f : st) {
                if (f.getClassName().startsWith("io.tensd.loop.DeviceController") || f.getClassName().startsWith("io.tensd.safety")
                        || f.getClassName().startsWith("io.tensd.session") || f.getClassName().startsWith("io.tensd.therapy")
                        || f.getClassName().startsWith("io.tensd.heat")) return 3;
            }
            String top = st[0].getClassName() + "." + st[0].getMethodName();
            if (top.contains("Unsafe.park") || top.contains("LockSupport.park")) return 1;
            for (StackTraceElement f : st) if (f.getMethodName().equals("onSpinWait") || f.getMethodName().equals("nanoTime")) return 2;
            if (st[0].getClassName().equals("io.tensd.loop.ControlLoop")) return 2;
            return 5;
        }

        void stop() {
            running = false;
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A clinician sending set-intensity every 500 ms (reconnecting on its own while the broker is away). */
    static final class Clinician {
        private final MqttAsyncClient client;
        private final Thread thread;
        private volatile boolean running = true;
        final AtomicLong sent = new AtomicLong();

        Clinician(String url) throws Exception {
            client = new MqttAsyncClient(url, "loop-clinic", new MemoryPersistence());
            MqttConnectionOptions o = new MqttConnectionOptions();
            o.setAutomaticReconnect(true);
            o.setAutomaticReconnectDelay(1, 2);
            o.setSocketFactory(new NoDelaySocketFactories.Plain());
            client.connect(o).waitForCompletion(5000);
            thread = new Thread(() -> {
                int i = 0;
                while (running) {
                    sleep(0.5);
                    MqttProperties p = new MqttProperties();
                    p.setResponseTopic("tensd/v1/loop/loop-dev/reply/clinic");
                    p.setCorrelationData(("c" + i).getBytes(StandardCharsets.UTF_8));
                    p.setMessageExpiryInterval(30L);
                    String json = "{\"id\":\"c" + i++ + "\",\"deadline\":\"" + Instant.now().plusSeconds(30) + "\",\"milliAmps\":" + (8 + i % 4) + "}";
                    try {
                        if (client.isConnected()) {
                            client.publish("tensd/v1/loop/loop-dev/cmd/set-intensity", new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1, false, p));
                            sent.incrementAndGet();
                        }
                    } catch (Exception e) {
                        // broker away: try again next time
                    }
                }
            }, "clinician");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() {
            running = false;
            try {
                thread.join(1000);
                client.disconnectForcibly(0, 100, false);
                client.close(true);
            } catch (Exception ignored) {
                // gone
            }
        }
    }

    static void sleep(double seconds) {
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long left;
        while ((left = end - System.nanoTime()) > 0) java.util.concurrent.locks.LockSupport.parkNanos(left);
    }

    static double us(long nanos) { return nanos / 1000.0; }
}

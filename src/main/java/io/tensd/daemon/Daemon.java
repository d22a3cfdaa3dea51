package io.tensd.daemon;

import com.pi4j.context.Context;
import io.tensd.config.DeviceConfig;
import io.tensd.config.LoadedConfig;
import io.tensd.hw.Button;
import io.tensd.hw.DeviceIo;
import io.tensd.hw.SensorStatus;
import io.tensd.hw.StimStatus;
import io.tensd.hw.pi4j.Pi4jContexts;
import io.tensd.loop.Clock;
import io.tensd.loop.ControlLoop;
import io.tensd.loop.DeviceController;
import io.tensd.report.SessionRecorder;
import io.tensd.safety.SafetySettings;
import io.tensd.session.CommandOutcome;
import io.tensd.session.EventSink;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionSettings;
import io.tensd.session.SessionState;
import io.tensd.telemetry.JournalingEventSink;
import io.tensd.telemetry.TelemetryService;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device daemon's lifecycle. {@link #start} brings the parts up in this order, each logged on one line:
 * <ol>
 *   <li>the journal ({@link JournalingEventSink} in {@code journal.dir}): nothing the loop says is lost;</li>
 *   <li>the hardware, outputs safe (GPIO outputs created LOW, stimulator link silent until the loop ticks);</li>
 *   <li>the {@link DeviceController} and its {@link ControlLoop} on thread {@code tensd-loop};</li>
 *   <li>the {@link SessionRecorder} (sessions/ beside the journal);</li>
 *   <li>MQTT ({@link TelemetryService}): never waited for; a broker outage only delays publishing;</li>
 *   <li>systemd READY=1 and the loop-proving watchdog (only under systemd).</li>
 * </ol>
 * {@link #stop} (SIGTERM, Ctrl-C) ends a running session with STOP, waits until the loop has ticked past it,
 * forces the outputs safe, stops the loop, flushes the journal and publishes it (≤ 3 s) before going offline,
 * closes the recorder and releases the hardware LOW: within {@link #STOP_BUDGET}.
 */
public final class Daemon {
    private static final Logger log = LoggerFactory.getLogger(Daemon.class);
    public static final String LOOP_THREAD = "tensd-loop";
    public static final Duration STOP_BUDGET = Duration.ofSeconds(15);

    public enum Hardware { PI, SIM }

    /**
     * @param pi4j    how the Pi4J context is made for {@code Hardware.PI} (tests pass a mock platform)
     * @param simSeed seed of the simulator's random draws ({@code Hardware.SIM})
     */
    public record Options(LoadedConfig config, Hardware hardware, Supplier<Context> pi4j, SystemdNotify systemd, long simSeed) {
        public Options {
            Objects.requireNonNull(config, "config");
            Objects.requireNonNull(hardware, "hardware");
            Objects.requireNonNull(systemd, "systemd");
        }

        public static Options of(LoadedConfig config, Hardware hardware) {
            return new Options(config, hardware, Pi4jContexts::forThisPi, SystemdNotify.fromEnvironment(), System.nanoTime());
        }
    }

    /** Milliseconds since the JVM started (what the person who typed the command waits), -1 if not (yet) reached. */
    public record Timings(long safeOutputsMillis, long firstTickMillis, long readyMillis, long onlineMillis) { }

    private final Options options;
    private final LoadedConfig cfg;
    private final Clock clock = Clock.SYSTEM;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile SessionRecorder recorder;
    private volatile DeviceController controller;
    private JournalingEventSink sink;
    /** Held from the start until the process ends: one daemon per journal. */
    private io.tensd.telemetry.JournalLock journalLock;
    /** Posture totals when the running session started (loop thread only). */
    private io.tensd.posture.PostureStats postureAtStart;
    private DaemonHardware hardware;
    private ControlLoop loop;
    private Thread loopThread;
    private ScheduledExecutorService sampler;
    private TelemetryService telemetry;
    private Thread brokerWatch;
    private volatile boolean stopping;
    private boolean stopDone;
    private volatile long firstTickNanos;
    private volatile long safeOutputsMillis = -1;
    private volatile long firstTickMillis = -1;
    private volatile long readyMillis = -1;
    private volatile long onlineMillis = -1;

    private Daemon(Options options) {
        this.options = options;
        this.cfg = options.config();
    }

    /** Starts everything; on failure, what was started is stopped again (outputs safe) and the cause thrown. */
    public static Daemon start(Options options) throws DaemonException {
        Daemon d = new Daemon(options);
        try {
            d.startAll();
            return d;
        } catch (DaemonException | RuntimeException e) {
            d.abortStart();
            throw e;
        }
    }

    private void startAll() throws DaemonException {
        DeviceConfig dev = cfg.device();
        log.info("tensd {} starting: {}", version(), cfg.summary());
        log.info("files: {} and {}", cfg.paths().config(), cfg.paths().limits());

        Path journalDir = dev.journalDir();
        try {
            journalLock = io.tensd.telemetry.JournalLock.acquire(journalDir);
            sink = JournalingEventSink.open(journalDir, dev.deviceId(), clock);
        } catch (io.tensd.telemetry.JournalLock.HeldException e) {
            throw new DaemonException(e.getMessage() + ": not starting a second daemon on it",
                    "two daemons on one journal would number their events twice; stop the other one first "
                            + "(systemctl stop tensd, or kill " + e.holderPid() + ")", ExitCodes.STORAGE, e);
        } catch (IOException | RuntimeException e) {
            String owners = io.tensd.telemetry.JournalOwnership.problem(journalDir, System.getProperty("user.name"));
            throw new DaemonException("cannot open the journal in " + journalDir + ": "
                    + (owners != null ? owners : e.getMessage()),
                    "journal.dir in " + cfg.paths().config() + " must be a directory the daemon may write "
                            + "(the service may write only under /var/lib/tensd)", ExitCodes.STORAGE, e);
        }
        log.info("journal: {} (last seq {}, {} interrupted session(s) recorded as aborted)", journalDir,
                sink.journal().nextSeq() - 1, sink.cutSessions().size());

        EventSink events = e -> {
            sink.emit(e);
            SessionRecorder r = recorder;
            if (r != null) {
                r.event(e);
                postureSummary(e, r);
            }
        };
        Supplier<String> sessionId = () -> {
            DeviceController c = controller;
            return c == null ? null : c.session().sessionId();
        };
        GatewayRelay gateway = new GatewayRelay();
        if (options.hardware() == Hardware.SIM) {
            log.warn("--hardware sim: SIMULATED device for tests and demonstrations; it drives nothing. Never use it with a patient.");
            hardware = new SimHardware(clock, cfg.limits(), options.simSeed(), events, sessionId, cfg.device());
        } else {
            hardware = PiHardware.open(cfg, options.pi4j(), clock, gateway, events, sessionId);
        }
        safeOutputsMillis = uptimeMillis();
        log.info("hardware: {}; outputs safe ({} ms after JVM start)", hardware.describe(), safeOutputsMillis);

        awaitFirstReadings(hardware.io());
        io.tensd.heat.HeatSetup heat;
        try {
            heat = io.tensd.config.HeatConfig.read(cfg.paths().config()).setup();
        } catch (io.tensd.config.ConfigException e) {
            throw new DaemonException("heat model: " + e.errors().get(0), "run tensd check-config; repeat tensd heat-tune",
                    ExitCodes.CONFIG, e);
        }
        log.info("heat model: {}{}", heat.source(), heat.refusal() == null ? "" : "; sessions will not heat: " + heat.refusal());
        LoopWarmup.Result warm = LoopWarmup.run(cfg.limits(), heat.applyTo(SafetySettings.defaults()), heat);
        log.info("loop warm-up: {} simulated sessions ({} stimulating), {} ticks in {} ms", warm.sessions(),
                warm.stimulated(), warm.ticks(), warm.wallMillis());
        DeviceController c = new DeviceController(hardware.io(), cfg.limits(), heat.applyTo(SafetySettings.defaults()),
                SessionSettings.defaults(), heat, events, Daemon::newSessionId);
        controller = c;
        gateway.connect(c);
        long period = dev.loopPeriodNanos();
        loop = new ControlLoop(clock, period, ControlLoop.defaultSpinNanos(period), now -> {
            c.tick(now);
            if (firstTickNanos == 0) {
                firstTickNanos = now;
            }
        });
        loopThread = new Thread(loop, LOOP_THREAD);
        loopThread.setPriority(Thread.MAX_PRIORITY);
        loopThread.setDaemon(true);
        loopThread.start();
        long waitEnd = System.nanoTime() + 2_000_000_000L;
        while (firstTickNanos == 0 && System.nanoTime() < waitEnd) {
            LockSupport.parkNanos(200_000L);
        }
        if (firstTickNanos == 0) {
            throw new DaemonException("the control loop did not tick within 2 s of starting",
                    "the machine is overloaded or the JVM is stuck; run again with --debug and report the log", ExitCodes.INTERNAL, null);
        }
        firstTickMillis = uptimeMillis() - Math.max(0, (System.nanoTime() - firstTickNanos) / 1_000_000L);
        log.info("control loop: {} Hz on thread {}, first tick {} ms after JVM start", dev.loopRateHz(), LOOP_THREAD, firstTickMillis);

        Path journalParent = journalDir.toAbsolutePath().getParent();
        Path sessions = journalParent == null ? Path.of("/var/lib/tensd/sessions") : journalParent.resolve("sessions");
        recorder = new SessionRecorder(sessions, dev.deviceId(), cfg.limits().skinCeilingCelsius());
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tensd-recorder-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(() -> recorder.sample(clock.nanos(), c.snapshot()), 0, 250, TimeUnit.MILLISECONDS);
        log.info("session records: {}", sessions);

        telemetry = TelemetryService.builder(dev.site(), dev.deviceId(), dev.broker())
                .events(sink).status(c).commands(c).birth(this::birth).build();
        try {
            telemetry.start();
        } catch (IOException e) {
            throw new DaemonException("MQTT cannot be set up for " + dev.broker().url() + ": " + e.getMessage(),
                    "check the broker section (url, caFile, clientCertFile, clientKeyFile) of " + cfg.paths().config(),
                    ExitCodes.CONFIG, e);
        }
        log.info("MQTT: connecting to {} as {}/{} in the background (therapy does not wait for it)",
                String.join(", ", dev.broker().urls()),
                dev.site(), dev.deviceId());
        brokerWatch = new Thread(this::watchBroker, "tensd-broker-watch");
        brokerWatch.setDaemon(true);
        brokerWatch.start();

        readyMillis = uptimeMillis();
        options.systemd().ready("running (" + hardware.mode() + "), loop " + dev.loopRateHz() + " Hz");
        options.systemd().startWatchdog(loop::iterations);
        log.info("running: ready {} ms after JVM start{}", readyMillis,
                options.systemd().enabled() ? "; systemd notified, watchdog every " + options.systemd().watchdogPeriodMillis() + " ms" : "");
    }

    /**
     * Lets the first temperature readings and the board's first status frame arrive before the loop starts, as
     * on a booted device, so the supervisor's start-up grace is not spent waiting for them. Bounded: after 2 s
     * the loop starts anyway and the supervisor judges whatever is still silent.
     */
    private void awaitFirstReadings(DeviceIo io) {
        long end = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < end && !firstReadingsIn(io)) {
            LockSupport.parkNanos(5_000_000L);
        }
        if (!firstReadingsIn(io)) {
            log.warn("no first reading within 2 s from:{}{}{}; starting the control loop anyway (it faults on what stays silent)",
                    io.skin().latest().status() == SensorStatus.NOT_PRESENT ? " skin thermometer" : "",
                    io.pad().latest().status() == SensorStatus.NOT_PRESENT ? " pad thermometer" : "",
                    io.stimulator().latest() == StimStatus.NONE ? " stimulator board (no status frame)" : "");
        }
    }

    private static boolean firstReadingsIn(DeviceIo io) {
        return io.skin().latest().status() != SensorStatus.NOT_PRESENT
                && io.pad().latest().status() != SensorStatus.NOT_PRESENT
                && io.stimulator().latest() != StimStatus.NONE;
    }

    /** Logs the first connect, or after 3 s one line saying why not and that nothing is lost. */
    private void watchBroker() {
        DeviceConfig.Broker b = cfg.device().broker();
        try {
            if (!telemetry.awaitConnected(Duration.ofSeconds(3))) {
                if (stopping) {
                    return;
                }
                BrokerDiagnosis d = BrokerDiagnosis.of(b, 3_000);
                String journaled = "therapy runs locally; events are journaled in " + cfg.device().journalDir()
                        + " and will be sent when the broker is reachable";
                if (d.kind() == BrokerDiagnosis.Kind.UNREACHABLE || d.kind() == BrokerDiagnosis.Kind.REACHABLE) {
                    log.warn("{}", d.message(b, journaled));
                } else {
                    log.error("{}", d.message(b, journaled));
                }
                options.systemd().status("running (" + hardware.mode() + "), MQTT offline: " + d.kind().name().toLowerCase().replace('_', ' ')
                        + ", journaling");
                while (!stopping && !telemetry.awaitConnected(Duration.ofSeconds(5))) {
                    // keep waiting; Paho retries in the background
                }
                if (stopping) {
                    return;
                }
            }
            onlineMillis = uptimeMillis();
            log.info("MQTT: online at {} ({} ms after JVM start)", telemetry.connectedTo(), onlineMillis);
            options.systemd().status("running (" + hardware.mode() + "), loop " + cfg.device().loopRateHz() + " Hz, MQTT online");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Map<String, Object> birth() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", version());
        m.put("java", Runtime.version().toString());
        m.put("hardware", hardware.mode());
        m.put("limitsHash", cfg.limitsSha256());
        DeviceConfig dev = cfg.device();
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("loopRateHz", dev.loopRateHz());
        config.put("stimulatorPort", dev.hardware().stimulatorPort());
        config.put("i2cBus", dev.hardware().i2cBus());
        config.put("postureSensors", dev.hardware().hasUpperImu() ? 2 : 1);
        config.put("telemetryPeriodMillis", dev.broker().telemetryPeriodMillis());
        config.put("maxMilliAmps", cfg.limits().maxMilliAmps());
        config.put("skinCeilingCelsius", cfg.limits().skinCeilingCelsius());
        config.put("maxSessionMinutes", cfg.limits().maxSessionMinutes());
        m.put("config", config);
        DeviceController c = controller;
        String sid = c == null ? null : c.snapshot().sessionId();
        m.put("session", sid == null ? "none" : sid);
        return m;
    }

    /** Orderly stop, idempotent and safe to call from a signal handler's thread; returns when done. */
    public void stop() {
        synchronized (this) {
            if (stopDone) {
                awaitQuietly(); // a second caller (shutdown hook) waits for the stop already running
                return;
            }
            stopDone = true;
        }
        stopping = true;
        long t0 = System.nanoTime();
        long deadline = t0 + STOP_BUDGET.toNanos() - 1_000_000_000L;
        log.info("stopping");
        options.systemd().stopping("stopping: ending the session, flushing the journal");
        try {
            endSession();
            hardware.forceSafe();
            log.info("outputs forced safe");
            stopLoop();
            flushAndPublish(deadline);
            closeRecorder();
            hardware.close();
            log.info("hardware released: outputs LOW");
        } catch (RuntimeException e) {
            log.error("error while stopping: {}; making the outputs safe", e.toString());
            safeAnyway();
        } finally {
            options.systemd().close();
            log.info("stopped in {} ms", (System.nanoTime() - t0) / 1_000_000L);
            stopped.countDown();
        }
    }

    private void endSession() {
        DeviceController c = controller;
        var before = c.snapshot();
        if (!SessionState.valueOf(before.state()).inSession()) {
            log.info("no session running ({})", before.state());
            return;
        }
        CompletableFuture<CommandOutcome> reply = new CompletableFuture<>();
        c.submit(new SessionCommand.Press(Button.STOP, SessionCommand.Source.LOCAL), reply::complete);
        CommandOutcome outcome;
        try {
            outcome = reply.get(1, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("session {}: the loop did not take STOP within 1 s; forcing the outputs safe", before.sessionId());
            return;
        }
        long after = loop.iterations();
        long end = System.nanoTime() + 1_000_000_000L;
        // STOP is applied at a tick and the session ends (outputs 0, summary emitted) at the next one.
        while (System.nanoTime() < end && (loop.iterations() < after + 2
                || SessionState.valueOf(c.snapshot().state()).inSession())) {
            LockSupport.parkNanos(1_000_000L);
        }
        var now = c.snapshot();
        log.info("session {} stopped ({}): state {}, stimulation {} mA, heater {}", before.sessionId(), outcome.status(),
                now.state(), now.stimMilliAmpsSet(), now.heaterEnabled() ? "on" : "off");
    }

    private void stopLoop() {
        loop.stop();
        LockSupport.unpark(loopThread);
        try {
            loopThread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        hardware.forceSafe(); // the last tick ran before the loop saw stop: make sure nothing it said stays on
        log.info("control loop stopped after {} ticks ({} overruns){}", loop.iterations(), loop.overruns(),
                loopThread.isAlive() ? "; WARNING: the loop thread is still alive" : "");
    }

    private void flushAndPublish(long deadline) {
        try {
            boolean idle = sink.awaitIdle(Duration.ofMillis(1_500));
            long last = sink.journal().durableSeq();
            long remaining = Math.max(0, Math.min(3_000, (deadline - System.nanoTime()) / 1_000_000L - 3_000));
            boolean delivered = telemetry.isConnected() && telemetry.awaitDelivered(Duration.ofMillis(remaining));
            long acked = sink.journal().ackedSeq();
            log.info("journal flushed{} up to seq {}; {}", idle ? "" : " (NOT all: the disk is slow or failing)", last,
                    delivered ? "all delivered to the broker"
                            : (last - acked) + " event(s) wait in the journal and are sent after the next start");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        brokerWatch.interrupt();
        telemetry.stop();
        log.info("MQTT: offline");
        try {
            sink.close();
        } catch (IOException e) {
            log.warn("closing the journal: {}", e.getMessage());
        }
        releaseJournalLock();
    }

    /**
     * The session's posture statistics (as {@code simulate} gives them) in its record's summary.json: the
     * pipeline's running totals at the session's start are subtracted from those at its summary. On the loop
     * thread, once at each session start and end (a snapshot under the pipeline's monitor, no I/O).
     */
    private void postureSummary(io.tensd.session.SessionEvent e, SessionRecorder r) {
        io.tensd.posture.PosturePipeline p = hardware == null ? null : hardware.posture();
        if (p == null) {
            return;
        }
        if (e.type().equals("session-started")) {
            postureAtStart = p.stats();
        } else if (e.type().equals("session-summary") && controller != null && controller.session().lastSummary() != null) {
            io.tensd.posture.PostureStats now = p.stats();
            io.tensd.posture.PostureStats session = postureAtStart == null ? now : now.since(postureAtStart);
            r.finish(controller.session().lastSummary(), Map.of("posture", session.toMap()));
            postureAtStart = null;
        }
    }

    private void releaseJournalLock() {
        try {
            if (journalLock != null) {
                journalLock.close();
            }
        } catch (IOException e) {
            log.warn("releasing the journal lock: {}", e.getMessage());
        }
    }

    private void closeRecorder() {
        sampler.shutdownNow();
        boolean flushed = recorder.flush(1_500);
        recorder.close();
        log.info("session records closed{}", flushed ? "" : " (writer did not finish in 1.5 s: " + recorder.lastError() + ")");
    }

    private void safeAnyway() {
        try {
            if (loop != null) {
                loop.stop();
            }
            if (hardware != null) {
                hardware.close();
            }
        } catch (RuntimeException ignored) {
            // last resort: the board's lease cuts the output when the loop is gone
        }
    }

    /** A start that failed half-way: stop what runs, in reverse order, outputs LOW. */
    private void abortStart() {
        stopping = true;
        if (loop != null) {
            loop.stop();
            LockSupport.unpark(loopThread);
        }
        if (telemetry != null) {
            telemetry.stop();
        }
        if (sampler != null) {
            sampler.shutdownNow();
        }
        if (recorder != null) {
            recorder.close();
        }
        if (hardware != null) {
            hardware.close();
        }
        if (sink != null) {
            try {
                sink.close();
            } catch (IOException ignored) {
                // nothing was recorded by a start that failed
            }
        }
        releaseJournalLock();
        options.systemd().close();
    }

    private void awaitQuietly() {
        try {
            stopped.await(STOP_BUDGET.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    public boolean isStopping() { return stopping; }

    public Timings timings() {
        return new Timings(safeOutputsMillis, firstTickMillis, readyMillis, onlineMillis);
    }

    public DeviceController controller() { return controller; }

    public ControlLoop loop() { return loop; }

    public TelemetryService telemetry() { return telemetry; }

    DaemonHardware hardware() { return hardware; }

    /** Session ids: UTC start time plus a random suffix (no patient data; unique per device). */
    static String newSessionId() {
        return "s-" + ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"))
                + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
    }

    static long uptimeMillis() {
        return ManagementFactory.getRuntimeMXBean().getUptime();
    }

    static String version() {
        String v = Daemon.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}

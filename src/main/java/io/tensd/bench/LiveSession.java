package io.tensd.bench;

import io.tensd.loop.DeviceController;
import io.tensd.safety.FaultCode;
import io.tensd.session.CommandOutcome;
import io.tensd.session.SessionCommand;
import io.tensd.session.SessionState;
import io.tensd.therapy.Prescription;
import io.tensd.therapy.Screening;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The precondition of every figure a bench prints about a running session: on every tick of the timed window
 * the session was stimulating (RAMP_UP or ACTIVE, output stage enabled), heating (the heat controller in charge)
 * and free of faults. A figure of an idle or faulted device measures something else, so a bench asks
 * {@link #require} before it prints and refuses (throws {@link NotLive}) otherwise.
 *
 * <p>{@link #observe} runs on the loop thread after each tick and does not allocate; {@link #open}, {@link #close}
 * and {@link #require} run on the bench's thread.
 */
public final class LiveSession {
    /** The screening every bench prescription carries (all questions "no"): a start without one is refused. */
    public static final Screening SCREENING = Screening.clear("bench");

    /** A bench's precondition did not hold: no figure may be printed. */
    public static final class NotLive extends IllegalStateException {
        public NotLive(String message) { super(message); }
    }

    private volatile boolean open;
    private boolean deliverySeen;
    private volatile long ticks;
    private volatile long badTicks;
    private volatile long firstBadNanos = -1;
    private volatile SessionState firstBadState;
    private volatile boolean firstBadStim;
    private volatile boolean firstBadHeat;
    private volatile long firstBadFaults;

    /** Starts counting at the next tick. */
    public void open() {
        ticks = 0;
        badTicks = 0;
        firstBadNanos = -1;
        open = true;
    }

    /** Stops counting; call before {@link #require}. */
    public void close() { open = false; }

    public boolean isOpen() { return open; }

    /** Loop thread, after {@code controller.tick(now)}. */
    public void observe(long nowNanos, DeviceController controller) {
        if (!open) {
            return;
        }
        SessionState s = controller.session().state();
        boolean stim = controller.verdict().stimEnabled();
        boolean heat = controller.heatRequested();
        long faults = controller.verdict().faultBits();
        ticks++;
        if (!live(s, stim, heat, faults)) {
            badTicks++;
            if (firstBadNanos < 0) {
                firstBadState = s;
                firstBadStim = stim;
                firstBadHeat = heat;
                firstBadFaults = faults;
                firstBadNanos = nowNanos;
            }
        }
    }

    /**
     * For a whole session in virtual time: the window opens after the tick that enters RAMP_UP (that tick's outputs
     * were planned in PRECHECK) and closes when the ramp-down begins; a pause, a fault or heat ending early in between
     * counts against it.
     */
    public void observeDelivery(long nowNanos, DeviceController controller) {
        SessionState s = controller.session().state();
        if (!open && !deliverySeen && s == SessionState.RAMP_UP) {
            deliverySeen = true;
            open();
            return;
        }
        if (open && s == SessionState.RAMP_DOWN) {
            close();
        }
        observe(nowNanos, controller);
    }

    /** Stimulating and heating, no fault. */
    public static boolean live(SessionState state, boolean stimEnabled, boolean heatRequested, long faultBits) {
        return (state == SessionState.RAMP_UP || state == SessionState.ACTIVE) && stimEnabled && heatRequested && faultBits == 0;
    }

    public long ticks() { return ticks; }

    public long badTicks() { return badTicks; }

    /** Throws {@link NotLive} unless at least {@code minTicks} ticks were seen and every one was live. */
    public void require(String bench, long minTicks) {
        if (open) {
            throw new IllegalStateException("close the window before checking it");
        }
        if (ticks < Math.max(1, minTicks)) {
            throw new NotLive(bench + ": only " + ticks + " ticks in the timed window, at least " + Math.max(1, minTicks)
                    + " expected; no figure printed");
        }
        if (badTicks > 0) {
            throw new NotLive(String.format(java.util.Locale.ROOT,
                    "%s: the session was not stimulating and heating during the whole timed window (%d of %d ticks not;"
                            + " first: state %s, stimulation %s, heat %s, faults [%s]); no figure printed",
                    bench, badTicks, ticks, firstBadState, firstBadStim ? "on" : "off", firstBadHeat ? "on" : "off",
                    FaultCode.join(firstBadFaults, ",")));
        }
    }

    /**
     * Submits the start and waits for the loop's answer; a rejected start is an error ({@link NotLive} with the
     * loop's reasons), never a silent idle run.
     */
    public static void start(DeviceController controller, Prescription rx) {
        CompletableFuture<CommandOutcome> answer = new CompletableFuture<>();
        controller.submit(new SessionCommand.StartSession(rx, SessionCommand.Source.LOCAL), answer::complete);
        CommandOutcome o;
        try {
            o = answer.get(5, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new NotLive("the loop did not answer the session start within 5 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotLive("interrupted while starting the session");
        } catch (java.util.concurrent.ExecutionException e) {
            throw new NotLive("session start failed: " + e.getCause());
        }
        if (o.status() == CommandOutcome.Status.REJECTED) {
            throw new NotLive("session start rejected: " + String.join("; ", o.reasons()));
        }
    }

    /** Waits (real time) until the session stimulates and heats; {@link NotLive} after {@code timeoutNanos}. */
    public static void awaitLive(DeviceController controller, long timeoutNanos) {
        long end = System.nanoTime() + timeoutNanos;
        while (System.nanoTime() < end) {
            if (live(controller.session().state(), controller.verdict().stimEnabled(), controller.heatRequested(),
                    controller.verdict().faultBits())) {
                return;
            }
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
        throw new NotLive("the session did not reach stimulation with heat within " + timeoutNanos / 1_000_000 + " ms: state "
                + controller.session().state() + ", faults [" + FaultCode.join(controller.verdict().faultBits(), ",") + "]");
    }
}

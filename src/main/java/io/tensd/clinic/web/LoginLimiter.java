package io.tensd.clinic.web;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Password guessing brake: {@value #MAX_FAILURES} wrong passwords from one client address within
 * {@link #WINDOW} block further logins from it until the oldest failure leaves the window. Pure: time is an argument.
 */
public final class LoginLimiter {
    public static final int MAX_FAILURES = 10;
    public static final Duration WINDOW = Duration.ofMinutes(15);

    private final Map<String, Deque<Instant>> failures = new HashMap<>();

    /** Seconds until {@code client} may try again, 0 when it may now. */
    public synchronized long retryAfterSeconds(String client, Instant now) {
        Deque<Instant> d = prune(client, now);
        if (d == null || d.size() < MAX_FAILURES) return 0;
        return Math.max(1, Duration.between(now, d.peekFirst().plus(WINDOW)).toSeconds());
    }

    public synchronized void failed(String client, Instant now) {
        failures.computeIfAbsent(client, k -> new ArrayDeque<>()).addLast(now);
        prune(client, now);
    }

    public synchronized void succeeded(String client) {
        failures.remove(client);
    }

    private Deque<Instant> prune(String client, Instant now) {
        Deque<Instant> d = failures.get(client);
        if (d == null) return null;
        while (!d.isEmpty() && !d.peekFirst().plus(WINDOW).isAfter(now)) d.removeFirst();
        if (d.isEmpty()) failures.remove(client);
        return d;
    }
}

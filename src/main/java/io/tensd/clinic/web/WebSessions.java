package io.tensd.clinic.web;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Logged-in browsers: a random session id (the cookie) maps to the user, role and its CSRF token; idle ones expire. */
public final class WebSessions {
    public static final Duration IDLE = Duration.ofMinutes(30);
    private static final SecureRandom RANDOM = new SecureRandom();

    public record Session(String id, String user, Role role, String csrf, Instant lastUse) { }

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final Clock clock;

    public WebSessions(Clock clock) {
        this.clock = clock;
    }

    public static String token() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public Session open(String user, Role role) {
        Session s = new Session(token(), user, role, token(), clock.instant());
        sessions.put(s.id(), s);
        return s;
    }

    /** The live session of this id, its idle time restarted; empty when unknown or expired. */
    public Optional<Session> find(String id) {
        if (id == null) return Optional.empty();
        Instant now = clock.instant();
        Session s = sessions.get(id);
        if (s == null) return Optional.empty();
        if (!s.lastUse().plus(IDLE).isAfter(now)) {
            sessions.remove(id);
            return Optional.empty();
        }
        Session touched = new Session(s.id(), s.user(), s.role(), s.csrf(), now);
        sessions.put(id, touched);
        return Optional.of(touched);
    }

    public void close(String id) {
        if (id != null) sessions.remove(id);
    }
}

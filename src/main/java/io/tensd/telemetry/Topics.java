package io.tensd.telemetry;

import java.util.regex.Pattern;

/** The topic tree {@code tensd/v1/<site>/<device>/…}. Site and device ids are plain names: no wildcards, no slashes. */
public record Topics(String site, String deviceId) {
    public static final String PREFIX = "tensd/v1/";
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public Topics {
        requireName("site", site);
        requireName("device id", deviceId);
    }

    static void requireName(String what, String value) {
        if (value == null || !NAME.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value + "' must be 1-64 of A-Z a-z 0-9 _ . - (it is a topic level)");
        }
    }

    public String root() { return PREFIX + site + "/" + deviceId + "/"; }

    public String status() { return root() + "status"; }

    public String birth() { return root() + "birth"; }

    public String telemetry() { return root() + "telemetry"; }

    public String event() { return root() + "event"; }

    public String summary() { return root() + "session/summary"; }

    /** Every topic under {@code cmd} at any depth (and {@code cmd} itself): each message there gets an answer. */
    public String commandFilter() { return root() + "cmd/#"; }

    public String command(String name) { return root() + "cmd/" + name; }

    /** The default response topic when a command gives none (inside the device's own subtree, so the ACL allows it). */
    public String reply(String name) { return root() + "reply/" + name; }

    /**
     * What follows {@code cmd/} in a topic the command filter matched — possibly empty or with more levels
     * (answered {@code unknown-command}); null only for a topic outside {@code cmd}.
     */
    public String commandName(String topic) {
        String cmd = root() + "cmd";
        if (topic.equals(cmd)) return "";
        if (!topic.startsWith(cmd + "/")) return null;
        return topic.substring(cmd.length() + 1);
    }
}

package io.tensd.sim.scenario;

import java.util.List;

/** Targets of {@code inject:} and the values each accepts (names are the scenario contract). */
public enum InjectTarget {
    SKIN_SENSOR("skin-sensor", List.of("open", "short", "stuck", "drift:<celsius>", "noise:<celsius>", "ok")),
    PAD_SENSOR("pad-sensor", List.of("open", "short", "stuck", "drift:<celsius>", "noise:<celsius>", "ok")),
    STIMULATOR("stimulator", List.of("disconnect", "mute", "corrupt:<fraction>", "overcurrent", "reset", "ok")),
    ELECTRODE("electrode", List.of("lift", "restore")),
    HEATER("heater", List.of("stuck-on", "detached", "ok")),
    LOOP("loop", List.of("stall:<duration>")),
    BATTERY("battery", List.of("low", "critical", "ok"));

    private final String wireName;
    private final List<String> accepted;

    InjectTarget(String wireName, List<String> values) {
        this.wireName = wireName;
        this.accepted = values;
    }

    public String wireName() { return wireName; }

    public List<String> accepted() { return accepted; }

    public static InjectTarget fromWire(String s) {
        for (InjectTarget t : values()) {
            if (t.wireName.equals(s)) {
                return t;
            }
        }
        return null;
    }
}

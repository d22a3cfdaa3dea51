package io.tensd.safety;

/** Why a requested value was reduced. Layered like AndroidAPS: the reasons reach the clinician in acks and the journal. */
public enum ClampReason {
    HARDWARE_MAX_AMPLITUDE("hardware-max-amplitude", "amplitude above the stimulator's hardware maximum"),
    LIMIT_MAX_AMPLITUDE("limit-max-amplitude", "amplitude above the limits file maximum"),
    PRESCRIPTION_MAX_AMPLITUDE("prescription-max-amplitude", "amplitude above the prescribed maximum"),
    CHARGE_PER_PHASE("charge-per-phase", "charge per phase (mA x us) above the limit"),
    RAMP_RATE("ramp-rate", "increase faster than the ramp-rate limit"),
    PULSE_WIDTH_RANGE("pulse-width-range", "pulse width outside the allowed range"),
    FREQUENCY_RANGE("frequency-range", "pulse rate outside the allowed range"),
    HEAT_SETPOINT_CEILING("heat-setpoint-ceiling", "heat setpoint above the skin ceiling margin"),
    HEATER_DUTY_CAP("heater-duty-cap", "heater duty above the cap"),
    HEATER_DUTY_MODEL("heater-duty-model", "heater duty above what the pad model needs to hold the setpoint"),
    PAD_LIMIT("pad-limit", "pad at its temperature limit (derived from the skin ceiling): heat scaled down");

    private final String wireName;
    private final String description;

    ClampReason(String wireName, String description) {
        this.wireName = wireName;
        this.description = description;
    }

    public String wireName() { return wireName; }

    public String description() { return description; }

    public int bit() { return 1 << ordinal(); }

    public static java.util.List<ClampReason> fromBits(int bits) {
        java.util.List<ClampReason> out = new java.util.ArrayList<>();
        for (ClampReason r : values()) {
            if ((bits & r.bit()) != 0) {
                out.add(r);
            }
        }
        return out;
    }
}

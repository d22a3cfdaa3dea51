package io.tensd.therapy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The clinic's contraindication screening for this patient, carried with the prescription. Every question
 * must be answered: an unanswered question makes the screening incomplete and refuses the start exactly like
 * a red flag does. No patient-identifying data: only the answers and who/what confirmed them.
 *
 * @param answers  true = the red flag is present
 * @param source   who confirmed the screening ("clinic", or "scenario-default" for simulator runs that do
 *                 not give one); recorded in the session-started event
 */
public record Screening(Map<RedFlag, Boolean> answers, String source) {

    /** Red flags and contraindications. Wire names are the keys of the {@code screening:} block. */
    public enum RedFlag {
        BLADDER_BOWEL_CONTROL_LOSS("bladderBowelControlLoss", "loss of bladder or bowel control (possible cauda equina syndrome)"),
        SADDLE_NUMBNESS("saddleNumbness", "numbness in the saddle area (possible cauda equina syndrome)"),
        PROGRESSIVE_LEG_WEAKNESS("progressiveLegWeakness", "progressive leg weakness"),
        FEVER("fever", "fever (possible spinal infection)"),
        UNEXPLAINED_WEIGHT_LOSS("unexplainedWeightLoss", "unexplained weight loss (possible malignancy)"),
        CANCER_HISTORY("cancerHistory", "history of cancer"),
        RECENT_TRAUMA("recentTrauma", "recent significant trauma (possible fracture)"),
        PACEMAKER("pacemaker", "pacemaker or other implanted electronic device"),
        PREGNANCY_TRUNK("pregnancyOverTrunk", "pregnancy (electrodes over the trunk)"),
        EPILEPSY("epilepsy", "epilepsy"),
        IMPAIRED_SENSATION("impairedSensation", "impaired skin sensation at the electrode or pad site"),
        BROKEN_SKIN("brokenSkin", "broken or irritated skin at the electrode or pad site");

        private final String wireName;
        private final String description;

        RedFlag(String wireName, String description) {
            this.wireName = wireName;
            this.description = description;
        }

        public String wireName() { return wireName; }

        public String description() { return description; }

        public static RedFlag fromWire(String s) {
            for (RedFlag f : values()) {
                if (f.wireName.equals(s)) {
                    return f;
                }
            }
            return null;
        }

        public static List<String> wireNames() {
            List<String> out = new ArrayList<>();
            for (RedFlag f : values()) {
                out.add(f.wireName);
            }
            return out;
        }
    }

    public Screening {
        answers = Collections.unmodifiableMap(new EnumMap<>(answers.isEmpty() ? new EnumMap<>(RedFlag.class) : answers));
    }

    /** All questions answered "no"; {@code source} says who confirmed it. */
    public static Screening clear(String source) {
        Map<RedFlag, Boolean> m = new EnumMap<>(RedFlag.class);
        for (RedFlag f : RedFlag.values()) {
            m.put(f, false);
        }
        return new Screening(m, source);
    }

    /** Null when the screening allows a session, otherwise the reason the start is refused. */
    public String refusal() {
        List<String> flags = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (RedFlag f : RedFlag.values()) {
            Boolean a = answers.get(f);
            if (a == null) {
                missing.add(f.wireName);
            } else if (a) {
                flags.add(f.description);
            }
        }
        if (!flags.isEmpty()) {
            return "screening reports a red flag: " + String.join("; ", flags) + " — refer to the clinician, no session";
        }
        if (!missing.isEmpty()) {
            return "screening incomplete: unanswered " + String.join(", ", missing);
        }
        return null;
    }
}

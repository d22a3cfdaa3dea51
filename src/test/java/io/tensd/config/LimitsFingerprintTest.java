package io.tensd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LimitsFingerprintTest {

    @Test
    void canonicalTextOfTheDefaultsIsAsDocumented() {
        assertEquals("""
                tensd-limits/1
                maxMilliAmps=80
                minPulseWidthMicros=50
                maxPulseWidthMicros=400
                minFrequencyHz=1
                maxFrequencyHz=150
                maxChargePerPhaseMicroCoulombs=25
                maxRampMilliAmpsPerSecond=2
                maxSessionMinutes=60
                skinCeilingCelsius=41
                maxHeatMinutes=60
                sensorStaleMillis=500
                stimulatorLeaseMillis=100
                """, LimitsFingerprint.canonical(Limits.defaults()));
    }

    @Test
    void fingerprintIsTheSha256OfTheCanonicalText() throws Exception {
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(LimitsFingerprint.canonical(Limits.defaults()).getBytes(StandardCharsets.UTF_8)));
        assertEquals(expected, LimitsFingerprint.of(Limits.defaults()));
        assertTrue(expected.matches("[0-9a-f]{64}"));
    }

    @Test
    void layoutCommentsAndNumberSpellingDoNotChangeIt(@TempDir Path dir) throws Exception {
        Limits shipped = LimitsLoader.load(Path.of("config/limits.yaml"));
        Limits terse = LimitsLoader.load(ConfigFiles.write(dir, "a.yaml",
                "heat: {skinCeilingCelsius: 41.0}\nstimulation: {maxMilliAmps: 80.00, pulseWidthMicros: {max: 400}}\n"));
        assertEquals(LimitsFingerprint.of(shipped), LimitsFingerprint.of(terse));
    }

    /** Each component, changed alone, changes the fingerprint: none is left out of the canonical text. */
    @Test
    void everyComponentTakesPart() throws Exception {
        Limits d = Limits.defaults();
        String base = LimitsFingerprint.of(d);
        RecordComponent[] cs = Limits.class.getRecordComponents();
        for (int i = 0; i < cs.length; i++) {
            Object[] args = new Object[cs.length];
            Class<?>[] types = new Class<?>[cs.length];
            for (int j = 0; j < cs.length; j++) {
                types[j] = cs[j].getType();
                Object v = cs[j].getAccessor().invoke(d);
                if (i == j) {
                    v = v instanceof Double x ? x + 0.5 : (Object) ((Integer) v + 1);
                }
                args[j] = v;
            }
            Limits changed = Limits.class.getDeclaredConstructor(types).newInstance(args);
            assertNotEquals(base, LimitsFingerprint.of(changed), cs[i].getName());
        }
    }

    /** docs/configuration.md quotes the fingerprint of the defaults so that a clinic can compare; keep it true. */
    @Test
    void documentedFingerprintOfTheDefaultsIsCurrent() throws Exception {
        String doc = java.nio.file.Files.readString(Path.of("docs/configuration.md"));
        assertTrue(doc.contains(LimitsFingerprint.of(Limits.defaults())), "docs/configuration.md must quote "
                + LimitsFingerprint.of(Limits.defaults()));
        assertTrue(doc.contains(LimitsFingerprint.canonical(Limits.defaults())), "docs/configuration.md must show the canonical text");
    }
}

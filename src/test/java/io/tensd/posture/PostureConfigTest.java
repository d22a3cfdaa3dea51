package io.tensd.posture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.ConfigException;
import io.tensd.config.ConfigDocument;
import io.tensd.config.ConfigSchemas;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

class PostureConfigTest {

    private static ConfigDocument posture(String yaml) throws ConfigException {
        return ConfigDocument.read("tensd.yaml", new StringReader(yaml));
    }

    /** The posture section as the device file's schema and then PostureConfig read it. */
    private static PostureConfig read(ConfigDocument doc) {
        ConfigSchemas.validate(doc, ConfigSchemas.DEVICE, "/posture");
        return PostureConfig.read(doc, "/posture");
    }

    @Test
    void readsEveryKindOfValue() throws Exception {
        ConfigDocument e = posture("""
                posture:
                  mode: tracking
                  slouchThresholdDeg: 25
                  slouchDelay: 90s
                  flexedDeg: 22
                  classDwell: 500ms
                  stepsToConfirm: 3
                """);
        PostureConfig c = read(e);
        e.throwIfErrors();
        assertEquals(FeedbackMode.TRACKING, c.mode());
        assertEquals(25, c.slouchThresholdDeg());
        assertEquals(90_000, c.slouchDelayMillis());
        assertEquals(22, c.flexedDeg());
        assertEquals(500, c.classDwellMillis());
        assertEquals(3, c.stepsToConfirm());
        assertEquals(PostureConfig.defaults().lyingInclinationDeg(), c.lyingInclinationDeg());
    }

    @Test
    void emptySectionGivesDefaults() throws Exception {
        ConfigDocument e = posture("posture: {}\n");
        assertEquals(PostureConfig.defaults(), read(e));
        e.throwIfErrors();
    }

    @Test
    void everyProblemIsReportedWithItsLine() throws Exception {
        ConfigDocument e = posture("""
                posture:
                  mode: nagging
                  slouchDelay: 2s
                  slouchThresholdDeg: 90
                  sloutchDelay: 2m
                  repEnterDeg: 2
                  repExitDeg: 3
                """);
        PostureConfig c = read(e);
        ConfigException ex = assertThrows(ConfigException.class, e::throwIfErrors);
        String all = ex.getMessage();
        assertTrue(all.contains("unknown feedback mode 'nagging'"), all);
        assertTrue(ex.errors().stream().anyMatch(err -> err.line() == 3 && err.message().contains("between 3000ms")), all);
        assertTrue(ex.errors().stream().anyMatch(err -> err.line() == 4), all);
        assertTrue(ex.errors().stream().anyMatch(err -> err.line() == 5 && err.message().contains("unknown key")), all);
        assertTrue(all.contains("repExitDeg must be below repEnterDeg"), all);
        // and the values that were refused fall back to the safe defaults
        assertEquals(PostureConfig.defaults().slouchDelayMillis(), c.slouchDelayMillis());
        assertEquals(FeedbackMode.TRAINING, c.mode());
    }
}

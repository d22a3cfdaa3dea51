package io.tensd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tensd.config.YamlReader.Entry;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlReaderTest {

    private static Entry parse(String text) throws ConfigException {
        return YamlReader.read("t.yaml", new StringReader(text));
    }

    private static List<String> lines(Entry root) {
        return root.errors().stream().map(ConfigError::toString).toList();
    }

    @Test
    void duplicateKeyIsReportedAtTheSecondOccurrenceAndTheFirstValueKept() throws Exception {
        Entry root = parse("a: 1\nb: 2\na: 3\n");
        Map<String, Entry> m = root.map(Set.of("a", "b"));
        assertEquals(1, m.get("a").integer(0, 0, 10));
        assertEquals(List.of("t.yaml:3: a: duplicate key (first given at line 1); the later value is ignored"), lines(root));
    }

    @Test
    void unknownKeyOfANestedMappingPointsAtTheKeyLineNotItsFirstChild() throws Exception {
        Entry root = parse("top:\n  bogus:\n    x: 1\n");
        root.map(Set.of("top")).get("top").map(Set.of("fine"));
        assertEquals(List.of("t.yaml:2: top.bogus: unknown key; allowed: fine"), lines(root));
    }

    @Test
    void unknownKeySuggestsTheNearestAllowedKey() throws Exception {
        Entry root = parse("maxMiliAmps: 3\n");
        root.map(Set.of("maxMilliAmps", "pulseWidthMicros"));
        assertEquals(List.of("t.yaml:1: maxMiliAmps: unknown key; did you mean 'maxMilliAmps'? allowed: maxMilliAmps, pulseWidthMicros"),
                lines(root));
    }

    @Test
    void mapAskedTwiceReportsEachProblemOnce() throws Exception {
        Entry root = parse("x: 1\nx: 2\n");
        root.map(Set.of("y"));
        root.map(Set.of("y"));
        assertEquals(2, root.errors().size(), lines(root).toString());
    }

    @Test
    void wholeNumbersAcceptHexAndRejectFractionsAndWords() throws Exception {
        Entry root = parse("a: 0x48\nb: 72\nc: 7.5\nd: seven\ne: 0x\n");
        Map<String, Entry> m = root.map();
        assertEquals(0x48, m.get("a").integer(0, 0, 255));
        assertEquals(72, m.get("b").integer(0, 0, 255));
        assertEquals(-1, m.get("c").integer(-1, 0, 255));
        assertEquals(-1, m.get("d").integer(-1, 0, 255));
        assertEquals(-1, m.get("e").integer(-1, 0, 255));
        assertEquals(List.of(
                "t.yaml:3: c: expected a whole number, got '7.5'",
                "t.yaml:4: d: expected a whole number, got 'seven'",
                "t.yaml:5: e: expected a whole number, got '0x'"), lines(root));
    }

    @Test
    void numbersAreStrictDecimals() throws Exception {
        Entry root = parse("a: 80f\nb: Infinity\nc: .nan\nd: 1e2\ne: -0.5\nf: 0x10\n");
        Map<String, Entry> m = root.map();
        for (String k : List.of("a", "b", "c", "f")) {
            assertEquals(-1.0, m.get(k).number(-1, -1000, 1000), k);
        }
        assertEquals(100.0, m.get("d").number(-1, -1000, 1000));
        assertEquals(-0.5, m.get("e").number(-1, -1000, 1000));
        assertEquals(4, root.errors().size(), lines(root).toString());
        assertTrue(lines(root).contains("t.yaml:1: a: expected a number, got '80f'"));
    }

    @Test
    void emptyValueIsNullAndReadingItAsAValueIsAnError() throws Exception {
        Entry root = parse("a:\nb: ~\nc: text\n");
        Map<String, Entry> m = root.map();
        assertTrue(m.get("a").isNull());
        assertTrue(m.get("b").isNull());
        assertFalse(m.get("c").isNull());
        assertEquals(5, m.get("a").integer(5, 0, 10));
        assertEquals(List.of("t.yaml:1: a: no value given (write one after the colon, or delete the key to use the default)"),
                lines(root));
    }

    @Test
    void syntaxErrorCarriesTheLineOfTheProblem() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("a: 1\nb: [1, 2\nc: 3\n"));
        assertEquals(1, e.errors().size());
        ConfigError err = e.errors().get(0);
        assertEquals(3, err.line(), err.toString());
        assertTrue(err.toString().startsWith("t.yaml:3: (document): YAML syntax: "), err.toString());
        assertTrue(err.message().contains("started at line 2"), err.toString());
    }

    @Test
    void badIndentationIsASyntaxErrorAtItsLine() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("a: 1\n  b: 2\n"));
        assertEquals("t.yaml:2: (document): YAML syntax: mapping values are not allowed here", e.getMessage());
    }

    @Test
    void missingFileIsAWholeFileError(@TempDir Path dir) {
        Path p = dir.resolve("absent.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> YamlReader.read(p));
        assertEquals(p + ":0: (document): file not found", e.getMessage());
    }

    @Test
    void directoryIsNotAFile(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> YamlReader.read(dir));
        assertEquals(dir + ":0: (document): is a directory, not a file", e.getMessage());
    }

    @Test
    void emptyDocumentIsAnError() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("# only a comment\n"));
        assertEquals("t.yaml:1: (document): file is empty", e.getMessage());
    }

    @Test
    void findLocatesWrittenValuesWithoutRecordingErrors() throws Exception {
        Entry root = parse("a:\n  b:\n    c: 4\n");
        assertEquals(3, root.find("a.b.c").orElseThrow().line());
        assertEquals("a.b.c", root.find("a.b.c").orElseThrow().path());
        assertTrue(root.find("a.x").isEmpty());
        assertTrue(root.find("a.b.c.d").isEmpty());
        assertTrue(root.errors().isEmpty());
    }

    @Test
    void closestSuggestsOnlyPlausibleTypos() {
        assertEquals("leaseMillis", YamlReader.closest("leaseMilis", Set.of("leaseMillis", "staleMillis")).orElseThrow());
        assertTrue(YamlReader.closest("colour", Set.of("leaseMillis", "staleMillis")).isEmpty());
    }
}

package io.tensd.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The embedded broker of {@code simulate} starts without a word on the console. */
class EmbeddedBrokerTest {
    @Test
    void startsAndStopsWithoutAWarning() throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> seen = new ListAppender<>();
        seen.start();
        root.addAppender(seen);
        try (EmbeddedBroker b = EmbeddedBroker.start()) {
            assertTrue(b.port() > 0);
        } finally {
            root.detachAppender(seen);
        }
        List<String> warnings = seen.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                .map(e -> e.getLoggerName() + ": " + e.getFormattedMessage()).toList();
        assertEquals(List.of(), warnings);
        // The host's appenders are still attached: HiveMQ did not reconfigure logging.
        assertTrue(root.iteratorForAppenders().hasNext());
    }
}

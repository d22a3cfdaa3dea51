package io.tensd.clinic;

import java.time.Duration;
import java.time.Instant;

/** Missing sequence numbers {@code fromSeq..toSeq} (inclusive) of one device, missing since {@code openedAt}. */
public record Gap(long fromSeq, long toSeq, Instant openedAt) {
    public Gap {
        if (fromSeq < 1 || toSeq < fromSeq) throw new IllegalArgumentException("bad gap " + fromSeq + ".." + toSeq);
    }

    public long size() { return toSeq - fromSeq + 1; }

    /** Open for at least {@code timeout} at {@code now}: it is reported, never silently skipped. */
    public boolean overdue(Instant now, Duration timeout) {
        return !openedAt.plus(timeout).isAfter(now);
    }
}

package io.tensd.stim;

import io.tensd.therapy.Program;

/**
 * A link's memo of the pattern of the program it last saw: the loop asks every tick, and deriving the pattern
 * allocates, so it is derived once per program. Loop thread only.
 */
public final class ProgramPatterns {
    private Program program;
    private Pattern pattern;

    /** {@code p}'s pattern ({@link Pattern#of}); null for no program or one without a board-timed form. */
    public Pattern of(Program p) {
        if (p != program) {
            program = p;
            pattern = p == null ? null : Pattern.of(p);
        }
        return pattern;
    }
}

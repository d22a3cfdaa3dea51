package io.tensd.stim;

/** Board caps for tests that are not about the slew limit and step the amplitude at once. */
final class TestBoards {
    /** The reference caps with a slew limit no test step reaches (slew itself: {@code BoardConformanceTest}). */
    static final BoardLogic.Caps FAST_SLEW = BoardLogic.Caps.defaults().withMaxSlewMicroAmpsPerSecond(Integer.MAX_VALUE);

    private TestBoards() {}
}

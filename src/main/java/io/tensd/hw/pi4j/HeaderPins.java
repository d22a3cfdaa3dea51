package io.tensd.hw.pi4j;

/** BCM GPIO number → physical pin on the 40-pin header (same on Pi 4 and Pi 5). */
public final class HeaderPins {
    private static final int[] PHYSICAL = new int[28];

    static {
        int[][] map = {{2, 3}, {3, 5}, {4, 7}, {17, 11}, {27, 13}, {22, 15}, {10, 19}, {9, 21}, {11, 23}, {0, 27},
            {5, 29}, {6, 31}, {13, 33}, {19, 35}, {26, 37}, {14, 8}, {15, 10}, {18, 12}, {23, 16}, {24, 18},
            {25, 22}, {8, 24}, {7, 26}, {1, 28}, {12, 32}, {16, 36}, {20, 38}, {21, 40}};
        for (int[] m : map) {
            PHYSICAL[m[0]] = m[1];
        }
    }

    private HeaderPins() { }

    /** Physical pin, or -1 for a number that is not on the header. */
    public static int physical(int bcm) {
        return bcm >= 0 && bcm < PHYSICAL.length ? PHYSICAL[bcm] : -1;
    }

    /** "BCM16 (pin 36)". */
    public static String describe(int bcm) {
        int p = physical(bcm);
        return p < 0 ? "BCM" + bcm + " (not on the header)" : "BCM" + bcm + " (pin " + p + ")";
    }
}

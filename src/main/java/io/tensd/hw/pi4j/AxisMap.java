package io.tensd.hw.pi4j;

/**
 * How the IMU chip sits in its housing: for each body axis (x up the spine, y to the patient's
 * left, z out of the back — hardware/wiring.md), which chip axis (0 = X, 1 = Y, 2 = Z) and sign
 * feeds it. Only proper rotations are accepted (a mirror would silently flip the posture angles).
 */
public record AxisMap(int xFrom, int xSign, int yFrom, int ySign, int zFrom, int zSign) {
    /** Chip axes already equal body axes: the mounting wiring.md asks for. */
    public static final AxisMap IDENTITY = new AxisMap(0, 1, 1, 1, 2, 1);

    public AxisMap {
        int[] from = {xFrom, yFrom, zFrom};
        int[] sign = {xSign, ySign, zSign};
        boolean[] used = new boolean[3];
        for (int i = 0; i < 3; i++) {
            if (from[i] < 0 || from[i] > 2 || used[from[i]]) {
                throw new IllegalArgumentException("each chip axis must be used exactly once");
            }
            used[from[i]] = true;
            if (sign[i] != 1 && sign[i] != -1) {
                throw new IllegalArgumentException("signs must be +1 or -1");
            }
        }
        if (determinant(from, sign) != 1) {
            throw new IllegalArgumentException("axis map is a mirror image, not a rotation: check the signs");
        }
    }

    /** Body vector from a chip vector {@code (cx, cy, cz)}; {@code axis} 0/1/2 selects body x/y/z. */
    public double body(int axis, double cx, double cy, double cz) {
        int from = axis == 0 ? xFrom : axis == 1 ? yFrom : zFrom;
        int sign = axis == 0 ? xSign : axis == 1 ? ySign : zSign;
        double v = from == 0 ? cx : from == 1 ? cy : cz;
        return sign * v;
    }

    private static int determinant(int[] from, int[] sign) {
        int[][] m = new int[3][3];
        for (int row = 0; row < 3; row++) {
            m[row][from[row]] = sign[row];
        }
        return m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1])
                - m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0])
                + m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    }
}

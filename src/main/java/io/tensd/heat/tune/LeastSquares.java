package io.tensd.heat.tune;

/**
 * Ordinary least squares y ≈ X·θ by the normal equations (a handful of columns, well scaled by the caller). No
 * covariance: σ²·(XᵀX)⁻¹ needs independent rows, which the thermal fit's are not (see {@link ThermalFit#noiseCi}).
 */
final class LeastSquares {
    final double[] theta;
    final double residualRms;
    final int n;

    private LeastSquares(double[] theta, double residualRms, int n) {
        this.theta = theta;
        this.residualRms = residualRms;
        this.n = n;
    }

    /** {@code x[i]} is the i-th row. Throws IllegalArgumentException when the columns are (nearly) dependent. */
    static LeastSquares fit(double[][] x, double[] y) {
        int n = y.length;
        int p = x[0].length;
        if (n <= p + 2) {
            throw new IllegalArgumentException("too few samples (" + n + ") for " + p + " parameters");
        }
        double[][] a = new double[p][p];
        double[] b = new double[p];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < p; j++) {
                b[j] += x[i][j] * y[i];
                for (int k = 0; k < p; k++) {
                    a[j][k] += x[i][j] * x[i][k];
                }
            }
        }
        double[][] inv = invert(a);
        double[] theta = new double[p];
        for (int j = 0; j < p; j++) {
            for (int k = 0; k < p; k++) {
                theta[j] += inv[j][k] * b[k];
            }
        }
        double ss = 0;
        for (int i = 0; i < n; i++) {
            double e = y[i];
            for (int j = 0; j < p; j++) {
                e -= x[i][j] * theta[j];
            }
            ss += e * e;
        }
        return new LeastSquares(theta, Math.sqrt(ss / n), n);
    }

    /** Gauss–Jordan with partial pivoting; singular (relative pivot under 1e-12) is an error. */
    static double[][] invert(double[][] m) {
        int p = m.length;
        double[][] a = new double[p][2 * p];
        double scale = 0;
        for (int i = 0; i < p; i++) {
            System.arraycopy(m[i], 0, a[i], 0, p);
            a[i][p + i] = 1;
            for (int j = 0; j < p; j++) {
                scale = Math.max(scale, Math.abs(m[i][j]));
            }
        }
        for (int c = 0; c < p; c++) {
            int piv = c;
            for (int r = c + 1; r < p; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) {
                    piv = r;
                }
            }
            if (!(Math.abs(a[piv][c]) > 1e-12 * scale)) {
                throw new IllegalArgumentException("the experiment does not separate the model's parameters");
            }
            double[] tmp = a[c];
            a[c] = a[piv];
            a[piv] = tmp;
            double d = a[c][c];
            for (int j = 0; j < 2 * p; j++) {
                a[c][j] /= d;
            }
            for (int r = 0; r < p; r++) {
                if (r != c && a[r][c] != 0) {
                    double f = a[r][c];
                    for (int j = 0; j < 2 * p; j++) {
                        a[r][j] -= f * a[c][j];
                    }
                }
            }
        }
        double[][] inv = new double[p][p];
        for (int i = 0; i < p; i++) {
            System.arraycopy(a[i], p, inv[i], 0, p);
        }
        return inv;
    }
}

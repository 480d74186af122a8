package org.drops.atm.cac;

/**
 * A straight line {@code y = intercept + slope·x} fitted by weighted least squares, with its quality.
 *
 * <p>Admission control fits per-PDU costs against SDU size with weights {@code 1/y²}: timing noise grows with
 * the time measured, so every point should count by its relative error. Unweighted, the noise of the largest
 * PDUs (tens of microseconds) would swamp the per-PDU constant (tens of nanoseconds), which is what small-SDU
 * contracts pay. A negative intercept (a cost below zero for tiny PDUs) is not a cost: the line is then
 * refitted through the origin.
 *
 * @param intercept           y at x = 0, at least 0
 * @param slope               dy/dx
 * @param rSquared            weighted coefficient of determination of the fit, 1 for a perfect line
 * @param worstRelativeError  the largest |y − fit| / y over the points
 * @param throughOrigin       true if the unconstrained fit had a negative intercept and was refitted through 0
 */
record LeastSquaresLine(double intercept, double slope, double rSquared, double worstRelativeError,
        boolean throughOrigin) {

    /**
     * Fits {@code ys} against {@code xs} with weights {@code 1/y²}.
     *
     * @throws IllegalArgumentException if the arrays differ in length, hold fewer than two distinct x, or a y is
     *                                  not a positive finite number
     */
    static LeastSquaresLine fitRelative(double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("xs and ys differ in length: " + xs.length + " and " + ys.length);
        }
        double w = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int i = 0; i < xs.length; i++) {
            if (!(ys[i] > 0) || Double.isInfinite(ys[i])) {
                throw new IllegalArgumentException("ys[" + i + "] must be a positive finite number, not " + ys[i]);
            }
            double wi = 1 / (ys[i] * ys[i]);
            w += wi;
            sx += wi * xs[i];
            sy += wi * ys[i];
            sxx += wi * xs[i] * xs[i];
            sxy += wi * xs[i] * ys[i];
        }
        double determinant = w * sxx - sx * sx;
        if (xs.length < 2 || !(determinant > 1e-12 * w * sxx)) {
            throw new IllegalArgumentException("a line needs at least two distinct x values");
        }
        double slope = (w * sxy - sx * sy) / determinant;
        double intercept = (sy - slope * sx) / w;
        boolean throughOrigin = intercept < 0;
        if (throughOrigin) {
            intercept = 0;
            slope = sxy / sxx;
        }
        return withQuality(xs, ys, intercept, slope, throughOrigin);
    }

    /**
     * The line of the given {@code slope} that fits {@code ys} best with weights {@code 1/y²}: its intercept is
     * the weighted mean of {@code y − slope·x}, at least 0. For a slope known from elsewhere (a floor), when the
     * points alone are too noisy to give one.
     *
     * @throws IllegalArgumentException as {@link #fitRelative}, or if the slope is not finite
     */
    static LeastSquaresLine fitRelativeWithSlope(double[] xs, double[] ys, double slope) {
        if (xs.length != ys.length || xs.length < 1) {
            throw new IllegalArgumentException("xs and ys must be non-empty and of one length: " + xs.length + " and "
                    + ys.length);
        }
        if (Double.isNaN(slope) || Double.isInfinite(slope)) {
            throw new IllegalArgumentException("the slope must be finite, not " + slope);
        }
        double w = 0, sr = 0;
        for (int i = 0; i < xs.length; i++) {
            if (!(ys[i] > 0) || Double.isInfinite(ys[i])) {
                throw new IllegalArgumentException("ys[" + i + "] must be a positive finite number, not " + ys[i]);
            }
            double wi = 1 / (ys[i] * ys[i]);
            w += wi;
            sr += wi * (ys[i] - slope * xs[i]);
        }
        double intercept = sr / w;
        boolean throughOrigin = intercept < 0;
        return withQuality(xs, ys, throughOrigin ? 0 : intercept, slope, throughOrigin);
    }

    private static LeastSquaresLine withQuality(double[] xs, double[] ys, double intercept, double slope,
            boolean throughOrigin) {
        double w = 0, sy = 0;
        for (double y : ys) {
            w += 1 / (y * y);
            sy += 1 / y;
        }
        double meanY = sy / w;
        double residual = 0, total = 0, worst = 0;
        for (int i = 0; i < xs.length; i++) {
            double wi = 1 / (ys[i] * ys[i]);
            double error = ys[i] - (intercept + slope * xs[i]);
            residual += wi * error * error;
            total += wi * (ys[i] - meanY) * (ys[i] - meanY);
            worst = Math.max(worst, Math.abs(error) / ys[i]);
        }
        double rSquared = total == 0 ? 1 : 1 - residual / total;
        return new LeastSquaresLine(intercept, slope, rSquared, worst, throughOrigin);
    }

    /** The fitted y at {@code x}. */
    double at(double x) {
        return intercept + slope * x;
    }
}

package org.drops.atm.experiments;

import java.util.Locale;
import org.HdrHistogram.Histogram;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.RxView;
import org.drops.atm.api.qos.CellRates;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Issue 9, experiment 7: jitter of a CBR connection. A dumb writer at 8·10⁶ B/s of 8192-byte SDUs; the receiver
 * records each SDU's arrival (the driver's completion time) in HdrHistogram: the inter-arrival times and the
 * one-point delay variation ({@link OnePointCdv}, I.356's reference clock that a late arrival resets), split
 * into early (clumping) and late values. Target: p99.9 of the delay variation's magnitude within the contract's
 * tolerance. The drift against one fixed schedule from the first arrival is reported beside it: it is where a
 * rate error shows, not a delay variation.
 */
final class JitterExperiment implements Experiment {

    private static final int SDU = 8192;
    private static final int CDV_MICROS = 10_000;

    @Override
    public String name() {
        return "jitter";
    }

    @Override
    public String title() {
        return "Jitter: arrival times of a CBR connection (8e6 B/s of 8192-byte SDUs)";
    }

    @Override
    public Result run(Lab lab, boolean full) throws Exception {
        long millis = full ? 60_000 : 3_000;
        int pcr = CellRates.aal5CellsPerSecond(8_000_000, SDU);
        double periodNanos = 1e9 * CellRates.aal5CellsPerSdu(SDU) / pcr;
        String qos = "cbr:pcr=" + pcr + ",sdu=" + SDU + ",cdv=" + CDV_MICROS;
        Histogram interArrival = new Histogram(3_600_000_000_000L, 3);
        Histogram early = new Histogram(3_600_000_000_000L, 3);
        Histogram late = new Histogram(3_600_000_000_000L, 3);
        Histogram magnitude = new Histogram(3_600_000_000_000L, 3);
        XYSeries series = new XYSeries("one-point delay variation, + early / - late (ms)");
        long received = 0;
        long firstArrival = 0;
        long lastArrival = 0;
        try (Lab.Pair p = lab.memoryPair("oc3");
                AtmSocket rx = lab.socket(qos, p.pvcB(100), false);
                AtmSocket tx = lab.socket(qos, p.pvcA(100), true)) {
            Traffic.Counter writer = Traffic.copyWriter(tx, SDU);
            writer.start();
            lab.progress("jitter: %d ms of arrivals", millis);
            long end = System.nanoTime() + 500_000_000L + millis * 1_000_000L;
            long warmupEnd = System.nanoTime() + 500_000_000L;
            OnePointCdv cdv = new OnePointCdv(periodNanos);
            long previous = 0;
            int plotEvery = (int) Math.max(1, millis * 1_000_000L / periodNanos / 4000);
            int n = 0;
            while (System.nanoTime() < end) {
                RxView v = rx.receive(1, java.util.concurrent.TimeUnit.SECONDS);
                if (v == null) {
                    continue;
                }
                long t = v.receivedAtNanos();
                v.release();
                if (t < warmupEnd) {
                    continue;
                }
                if (n == 0) {
                    firstArrival = t;
                } else {
                    interArrival.recordValue(Math.max(0, t - previous));
                }
                previous = t;
                lastArrival = t;
                long y = cdv.arrival(t);
                (y >= 0 ? early : late).recordValue(Math.abs(y));
                magnitude.recordValue(Math.abs(y));
                if (n % plotEvery == 0) {
                    series.add((t - firstArrival) / 1e9, y / 1e6);
                }
                n++;
            }
            writer.interrupt();
            received = n;
        }
        // where a rate error shows: the last arrival against the fixed schedule from the first
        double driftMillis = received > 1 ? (lastArrival - firstArrival - (received - 1) * periodNanos) / 1e6 : 0;
        Result r = new Result(name(), title());
        r.csv("histogram", "p50_us", "p99_us", "p99_9_us", "max_us", "count");
        r.line("%-34s %10s %10s %10s %10s %8s", "", "p50 us", "p99 us", "p99.9 us", "max us", "count");
        for (Object[] row : new Object[][] {{"inter-arrival time", interArrival},
            {"delay variation, magnitude", magnitude}, {"  early (clumping)", early}, {"  late (gap beyond T)", late}}) {
            Histogram h = (Histogram) row[1];
            r.line("%-34s %10.1f %10.1f %10.1f %10.1f %8d", row[0], h.getValueAtPercentile(50) / 1e3,
                    h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3,
                    h.getTotalCount());
            r.csv(row[0], h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                    h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, h.getTotalCount());
        }
        r.line("");
        r.line("ideal period %.1f us; contract delay-variation tolerance %d us; peak-to-peak %.1f us", periodNanos / 1e3,
                CDV_MICROS, (early.getMaxValue() + late.getMaxValue()) / 1e3);
        r.line("drift of the last arrival against the fixed schedule from the first: %+.3f ms over %d SDUs (%+.4f %% of the run)",
                driftMillis, received, received > 1 ? driftMillis * 1e6 / ((received - 1) * periodNanos) * 100 : 0.0);
        double p999 = magnitude.getValueAtPercentile(99.9) / 1e3;
        r.check("p99.9 delay variation within the contract's tolerance (" + CDV_MICROS + " us)",
                String.format(Locale.ROOT, "%.1f us", p999), p999 <= CDV_MICROS);
        long expected = (long) (millis / 1e3 * 1e9 / periodNanos);
        r.bound("the connection received at least 95 % of its contracted SDUs", received + " of " + expected,
                received >= 0.95 * expected);
        r.note("Arrival = the driver's reassembly completion time of each SDU (RxView.receivedAtNanos). Delay variation = "
                + "I.356's one-point CDV on SDUs: a reference clock advancing by the period, reset by a late arrival; "
                + "early values are clumping (at most the tolerance for a conforming stream), late values the excess of "
                + "one gap. A rate error does not accumulate into it; it shows as the drift line.");
        JFreeChart chart = ChartFactory.createXYLineChart(title(), "time (s)", "one-point delay variation (ms)",
                new XYSeriesCollection(series), PlotOrientation.VERTICAL, true, false, false);
        r.chart(chart);
        return r;
    }
}

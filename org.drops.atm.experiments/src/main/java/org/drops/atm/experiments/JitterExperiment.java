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
 * delay variation, each arrival's lateness against the ideal periodic schedule (the earliest arrival relative to
 * the schedule taken as zero). Target: p99.9 of the delay variation within the contract's tolerance.
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
        Histogram lateness = new Histogram(3_600_000_000_000L, 3);
        XYSeries series = new XYSeries("delay variation (ms)");
        long received = 0;
        try (Lab.Pair p = lab.memoryPair("oc3");
                AtmSocket rx = lab.socket(qos, p.pvcB(100), false);
                AtmSocket tx = lab.socket(qos, p.pvcA(100), true)) {
            Traffic.Counter writer = Traffic.copyWriter(tx, SDU);
            writer.start();
            lab.progress("jitter: %d ms of arrivals", millis);
            long end = System.nanoTime() + 500_000_000L + millis * 1_000_000L;
            long warmupEnd = System.nanoTime() + 500_000_000L;
            long first = 0;
            long previous = 0;
            long[] latenessNanos = new long[(int) Math.min(Integer.MAX_VALUE - 8, millis * 2)];
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
                if (first == 0) {
                    first = t;
                } else {
                    interArrival.recordValue(Math.max(0, t - previous));
                }
                previous = t;
                if (n < latenessNanos.length) {
                    latenessNanos[n] = t - first - Math.round(n * periodNanos);
                }
                n++;
            }
            writer.interrupt();
            received = n;
            long min = Long.MAX_VALUE;
            for (int i = 0; i < Math.min(n, latenessNanos.length); i++) {
                min = Math.min(min, latenessNanos[i]);
            }
            for (int i = 0; i < Math.min(n, latenessNanos.length); i++) {
                lateness.recordValue(latenessNanos[i] - min);
                if (i % Math.max(1, n / 2000) == 0) {
                    series.add(i * periodNanos / 1e9, (latenessNanos[i] - min) / 1e6);
                }
            }
        }
        Result r = new Result(name(), title());
        r.csv("histogram", "p50_us", "p99_us", "p99_9_us", "max_us", "count");
        r.line("%-34s %10s %10s %10s %10s %8s", "", "p50 us", "p99 us", "p99.9 us", "max us", "count");
        for (Object[] row : new Object[][] {{"inter-arrival time", interArrival}, {"delay variation (lateness)", lateness}}) {
            Histogram h = (Histogram) row[1];
            r.line("%-34s %10.1f %10.1f %10.1f %10.1f %8d", row[0], h.getValueAtPercentile(50) / 1e3,
                    h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3,
                    h.getTotalCount());
            r.csv(row[0], h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3,
                    h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3, h.getTotalCount());
        }
        r.line("");
        r.line("ideal period %.1f us; contract delay-variation tolerance %d us", periodNanos / 1e3, CDV_MICROS);
        double p999 = lateness.getValueAtPercentile(99.9) / 1e3;
        r.check("p99.9 delay variation within the contract's tolerance (" + CDV_MICROS + " us)",
                String.format(Locale.ROOT, "%.1f us", p999), p999 <= CDV_MICROS);
        long expected = (long) (millis / 1e3 * 1e9 / periodNanos);
        r.bound("the connection received at least 95 % of its contracted SDUs", received + " of " + expected,
                received >= 0.95 * expected);
        r.note("Arrival = the driver's reassembly completion time of each SDU (RxView.receivedAtNanos); lateness is "
                + "measured against the periodic schedule of the contract from the first arrival, shifted so the earliest is 0.");
        JFreeChart chart = ChartFactory.createXYLineChart(title(), "time (s)", "delay variation (ms)",
                new XYSeriesCollection(series), PlotOrientation.VERTICAL, true, false, false);
        r.chart(chart);
        return r;
    }
}

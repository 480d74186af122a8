package org.drops.atm.experiments;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;
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
 * records each SDU's arrival (the driver's completion time) in HdrHistogram: the inter-arrival times; the
 * two-point delay variation, each SDU's transfer delay from the sending card (its tap's time, when the PDU was
 * segmented into the transmit FIFO) to its reassembly at the receiving card, less the smallest such delay; and the
 * one-point delay variation ({@link OnePointCdv}, I.356's reference clock that a late arrival resets), split
 * into early (clumping) and late values. Target: p99.9 of the two-point delay variation within the contract's
 * tolerance: the variation the platform adds on the way. The one-point values are reported beside it: they
 * include the sender's own shaping, which may use the whole tolerance (see the note), and the drift against one
 * fixed schedule from the first arrival shows a rate error. The runner measures the machine's own wake-up latency
 * beside it ({@link HostLatency}); the histograms are repeated without the SDUs that met a stall of the machine, and
 * the stream's long gaps are counted with how many of them fell in one.
 */
final class JitterExperiment implements Experiment {

    private static final int SDU = 8192;
    private static final int CDV_MICROS = 10_000;
    /** The machine's stall windows are known to half the meter's period; widened by this on each side. */
    private static final long METER_SLACK_NANOS = 1_000_000L;
    /**
     * After a stall of the machine the stream catches up its backlog at the line rate, 2.1 times its own: an SDU
     * up to 0.9 stall lengths after it still queued behind the backlog (rounded up to one length).
     */
    private static final double CATCH_UP = 1.0;

    @Override
    public boolean watchesHost() {
        return true;
    }

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
        Histogram transfer = new Histogram(3_600_000_000_000L, 3);
        // Departure k is published by its own store (0 = not yet): the tap claims index k before it writes the time,
        // so a count of claimed indexes would let the receiver read a slot whose time is still being written.
        AtomicLongArray departures = new AtomicLongArray(
                (int) Math.min(Integer.MAX_VALUE - 8, (millis + 2_000) * 1_000_000L / (long) periodNanos * 2));
        AtomicInteger departed = new AtomicInteger();
        // per SDU after the warm-up, for telling the machine's stalls from the platform's afterwards
        long[] arrivalAt = new long[departures.length()];
        long[] departureAt = new long[departures.length()];
        long unmatched = 0;
        XYSeries series = new XYSeries("one-point delay variation, + early / - late (ms)");
        long received = 0;
        long firstArrival = 0;
        long lastArrival = 0;
        try (Lab.Pair p = lab.memoryPair("oc3");
                AtmSocket rx = lab.socket(qos, p.pvcB(100), false);
                AutoCloseable tap = lab.attachTap(p.a, (direction, vpi, vci, pdu, nanoTime) -> {
                    if (direction == org.drops.atm.api.qos.Direction.TRANSMIT && vci == 100) {
                        int k = departed.getAndIncrement();
                        if (k < departures.length()) {
                            departures.set(k, nanoTime);
                        }
                    }
                });
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
            int arrivals = 0; // every SDU received, warm-up included: the k-th arrival is the k-th departure (one VC, in order)
            while (System.nanoTime() < end) {
                RxView v = rx.receive(1, java.util.concurrent.TimeUnit.SECONDS);
                if (v == null) {
                    continue;
                }
                long t = v.receivedAtNanos();
                v.release();
                int k = arrivals++;
                if (t < warmupEnd) {
                    continue;
                }
                // The sending card calls its tap after the PDU's last cell is in the FIFO, and its line thread (higher
                // priority) may deliver the PDU before the tap has run: wait for that departure, briefly.
                long departure = 0;
                if (k < departures.length()) {
                    for (long until = System.nanoTime() + 100_000_000L;
                            (departure = departures.get(k)) == 0 && System.nanoTime() < until; ) {
                        Thread.onSpinWait();
                    }
                }
                if (departure != 0) {
                    transfer.recordValue(Math.max(0, t - departure));
                } else {
                    unmatched++;
                }
                if (n == 0) {
                    firstArrival = t;
                } else {
                    interArrival.recordValue(Math.max(0, t - previous));
                }
                if (n < arrivalAt.length) {
                    arrivalAt[n] = t;
                    departureAt[n] = departure;
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
            if (rx.statistics().dropped() > 0) {
                unmatched = -rx.statistics().dropped(); // a dropped SDU breaks the order matching: reported, not used
            }
        }
        // The machine's own stalls (HostLatency): the same histograms without the SDUs whose gap or transfer met one
        HostLatency.Report host = lab.hostLatency();
        Histogram interArrivalClean = new Histogram(3_600_000_000_000L, 3);
        Histogram transferClean = new Histogram(3_600_000_000_000L, 3);
        long streamGapNanos = (long) periodNanos + CDV_MICROS * 1_000L / 2;
        int streamGaps = 0;
        int streamGapsInHostStalls = 0;
        long worstUnexplainedGap = 0;
        int stored = (int) Math.min(received, arrivalAt.length);
        for (int i = 0; i < stored; i++) {
            if (i > 0) {
                long gap = arrivalAt[i] - arrivalAt[i - 1];
                boolean hostStalled = host.stalledDuring(arrivalAt[i - 1], arrivalAt[i], METER_SLACK_NANOS, CATCH_UP);
                if (!hostStalled) {
                    interArrivalClean.recordValue(Math.max(0, gap));
                }
                if (gap > streamGapNanos) {
                    streamGaps++;
                    if (hostStalled) {
                        streamGapsInHostStalls++;
                    } else {
                        worstUnexplainedGap = Math.max(worstUnexplainedGap, gap);
                    }
                }
            }
            if (departureAt[i] != 0
                    && !host.stalledDuring(departureAt[i], arrivalAt[i], METER_SLACK_NANOS, CATCH_UP)) {
                transferClean.recordValue(Math.max(0, arrivalAt[i] - departureAt[i]));
            }
        }
        // where a rate error shows: the last arrival against the fixed schedule from the first
        double driftMillis = received > 1 ? (lastArrival - firstArrival - (received - 1) * periodNanos) / 1e6 : 0;
        Result r = new Result(name(), title());
        r.csv("histogram", "p50_us", "p99_us", "p99_9_us", "max_us", "count");
        r.line("%-34s %10s %10s %10s %10s %8s", "", "p50 us", "p99 us", "p99.9 us", "max us", "count");
        long minTransfer = transfer.getTotalCount() > 0 ? transfer.getMinValue() : 0;
        Histogram twoPoint = new Histogram(3_600_000_000_000L, 3);
        for (org.HdrHistogram.HistogramIterationValue v : transfer.recordedValues()) {
            twoPoint.recordValueWithCount(v.getValueIteratedTo() - minTransfer, v.getCountAtValueIteratedTo());
        }
        Histogram twoPointClean = new Histogram(3_600_000_000_000L, 3);
        for (org.HdrHistogram.HistogramIterationValue v : transferClean.recordedValues()) {
            twoPointClean.recordValueWithCount(v.getValueIteratedTo() - minTransfer, v.getCountAtValueIteratedTo());
        }
        for (Object[] row : new Object[][] {{"inter-arrival time", interArrival},
            {"transfer delay, card to card", transfer}, {"two-point delay variation", twoPoint},
            {"one-point delay variation", magnitude}, {"  early (clumping)", early}, {"  late (gap beyond T)", late},
            {"inter-arrival, host stalls excluded", interArrivalClean},
            {"two-point, host stalls excluded", twoPointClean}}) {
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
        r.line("gaps in the stream longer than the period plus half the tolerance (%.1f ms): %d, of them during a stall"
                + " of the machine: %s%s", streamGapNanos / 1e6, streamGaps,
                host.measured() ? String.valueOf(streamGapsInHostStalls) : "not measured (see the host line)",
                host.measured() && streamGaps > streamGapsInHostStalls
                        ? String.format(Locale.ROOT, " (the longest of the others: %.1f ms)", worstUnexplainedGap / 1e6)
                        : "");
        double p999 = twoPoint.getValueAtPercentile(99.9) / 1e3;
        boolean matched = unmatched >= 0 && transfer.getTotalCount() > 0;
        r.check("p99.9 two-point delay variation within the contract's tolerance (" + CDV_MICROS + " us)",
                matched ? String.format(Locale.ROOT, "%.1f us (max %.1f us)", p999, twoPoint.getMaxValue() / 1e3)
                        : "not measured: " + (unmatched < 0 ? -unmatched + " SDUs dropped at the receiver broke the matching" : "no departure matched"),
                matched && p999 <= CDV_MICROS);
        double onePoint = magnitude.getValueAtPercentile(99.9) / 1e3;
        r.line("one-point p99.9 %.1f us against the tolerance %d us (the sender's shaper may use half of it: see the notes)",
                onePoint, CDV_MICROS);
        r.bound("every SDU received after the warm-up matched its departure from the sending card",
                unmatched == 0 ? "all " + transfer.getTotalCount() : unmatched < 0 ? -unmatched + " dropped" : unmatched + " unmatched",
                unmatched == 0);
        long expected = (long) (millis / 1e3 * 1e9 / periodNanos);
        r.bound("the connection received at least 95 % of its contracted SDUs", received + " of " + expected,
                received >= 0.95 * expected);
        r.note("Arrival = the driver's reassembly completion time of each SDU (RxView.receivedAtNanos); departure = the "
                + "sending card's tap time, when the PDU was segmented into its transmit FIFO (the tap copies the PDU, a few "
                + "microseconds per SDU). Two-point delay variation = transfer delay minus the smallest: what the card's FIFO, "
                + "the line and the receiving card add. One-point delay variation = I.356's reference clock advancing by the "
                + "period, reset by a late arrival (the GCRA's theoretical arrival time less the arrival): early values are "
                + "clumping. After a late SDU (a stall) the reset clock makes the SDUs that follow on the interval grid look "
                + "early by the stall, so over a long run it ratchets up to what the sender's shaper allows (the driver's "
                + "tx.shaping.cdv.fraction of the tolerance, half by default) plus the card's and line's own variation; a rate "
                + "error shows as the drift line.");
        r.note("Host stalls excluded: the same histograms without the SDUs whose inter-arrival gap (or transfer) overlapped "
                + "a stall of the machine itself, which cyclictest at SCHED_FIFO 80 saw in the same run as a wake-up 2 ms late "
                + "or more (see the host line), widened by 1 ms for the meter's alignment and followed by one stall length "
                + "for the catch-up. The targets are checked on all SDUs; these rows show what the platform adds on its own.");
        JFreeChart chart = ChartFactory.createXYLineChart(title(), "time (s)", "one-point delay variation (ms)",
                new XYSeriesCollection(series), PlotOrientation.VERTICAL, true, false, false);
        r.chart(chart);
        return r;
    }
}

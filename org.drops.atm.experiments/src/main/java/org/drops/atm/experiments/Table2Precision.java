package org.drops.atm.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.qos.CellRates;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Paper Table 2 (§4.1, "Precision of UPC and policing algorithm for concurrent real-time write()"): two dumb
 * writers at once through the socket service on an OC-3 memory link, requesting 8·10⁶ B/s of 8192-byte SDUs and
 * 3·10⁶ B/s of 4096-byte SDUs. Columns as in the paper: requested rate, data size, the interval and credits UPC
 * chose, the rate the writer measured, the rate the peer received, and the error. Target: error ≤ 0.05 % sent and
 * received over 60 s. In the same run the same two rates enforced by a Guava RateLimiter over plain UDP and by
 * Linux {@code tc tbf} on a veth pair between two network namespaces ({@link RatePeers}).
 */
final class Table2Precision implements Experiment {

    /** One row of the paper's table: a requested SDU byte rate and the SDU size. */
    record Row(String label, long requestedBytesPerSecond, int sduBytes) {
        int pcr() {
            return CellRates.aal5CellsPerSecond(requestedBytesPerSecond, sduBytes);
        }
    }

    static final List<Row> ROWS = List.of(new Row("A", 8_000_000, 8192), new Row("B", 3_000_000, 4096));
    /** Delay-variation tolerance the applications state, as GuaranteedRateIT: it sizes the receive rings. */
    static final int CDV_MICROS = 50_000;
    static final double TARGET_PERCENT = 0.05;
    /**
     * Short-mode bound on |error| of our rates, sent and received. The measurement itself is exact to a whole
     * number of control intervals (see {@link SduLog#bytesBetween}), so what remains is lost rate: an interval
     * whose credit the worker could not send in time because the loaded machine descheduled it is lost (no
     * carry-over, by design: DETERMINISM.md). With four other engineers' builds running (load average 12-14 on 2
     * cores) we measured -0.4 % to -3.9 % over 5 s, matching the intervals not fully served; so the bound below the
     * rate allows one interval in 20 lost.
     */
    static final double SHORT_BOUND_BELOW_PERCENT = 5.0;
    /**
     * A correct meter never grants more than its credits: above the rate only a burst that was due before the window
     * and came late can show, at most one credit over the window (10.24 ms / 5 s = 0.2 %, 13.65 ms / 5 s = 0.27 %).
     */
    static final double SHORT_BOUND_ABOVE_PERCENT = 0.5;
    /** Peers get a looser bound: it only checks that the peer was measured at all and roughly right. */
    static final double PEER_BOUND_PERCENT = 5.0;
    static final long WARMUP_MILLIS = 1000;

    @Override
    public boolean watchesHost() {
        return true;
    }

    @Override
    public String name() {
        return "table2";
    }

    @Override
    public String title() {
        return "Table 2: precision of UPC and policing for two concurrent real-time writers";
    }

    /** Ours for one row. */
    record Ours(Row row, long intervalNanos, long creditCells, String policy, long windowNanos, double sentBps,
            double receivedBps, long dropped, long intervals, long intervalsFullyServed, String workerPriority) {
    }

    @Override
    public Result run(Lab lab, boolean full) throws Exception {
        long windowMillis = full ? 60_000 : 5_000;
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        Result r = new Result(name(), title());

        List<Ours> ours = measureOurs(lab, windowMillis);

        List<RatePeers.Flow> flows = ROWS.stream().map(row -> new RatePeers.Flow(row.requestedBytesPerSecond(), row.sduBytes())).toList();
        lab.progress("table2: peer Guava RateLimiter over loopback UDP, %d ms", windowMillis);
        List<RatePeers.Measured> guava = RatePeers.guavaUdp(flows, WARMUP_MILLIS, windowMillis);
        List<RatePeers.Measured> tbf;
        String why = RatePeers.tbfUnavailable();
        if (why != null) {
            lab.progress("table2: peer tc tbf not measured: %s", why);
            tbf = List.of(RatePeers.Measured.not(why), RatePeers.Measured.not(why));
        } else {
            try {
                tbf = RatePeers.tcTbf(flows, WARMUP_MILLIS, windowMillis, lab);
            } catch (Exception e) {
                String what = "failed: " + e.getMessage();
                lab.progress("table2: peer tc tbf %s", what);
                tbf = List.of(RatePeers.Measured.not(what), RatePeers.Measured.not(what));
            }
        }

        r.csv("setup", "connection", "requested_B_s", "sdu_bytes", "interval_ms", "credit_cells", "credit_bytes",
                "sent_B_s", "received_B_s", "sent_error_pct", "received_error_pct", "window_s");
        r.line("%-26s %12s %6s %9s %13s %12s %12s %8s %8s", "", "requested", "SDU", "interval", "credits",
                "rate sent", "peer rate", "sent", "recv");
        r.line("%-26s %12s %6s %9s %13s %12s %12s %8s %8s", "", "B/s", "B", "ms", "cells (B)", "B/s", "B/s", "err %", "err %");
        DefaultCategoryDataset errors = new DefaultCategoryDataset();
        for (Ours o : ours) {
            Row row = o.row();
            long creditBytes = o.creditCells() / CellRates.aal5CellsPerSdu(row.sduBytes()) * row.sduBytes();
            double se = SduLog.errorPercent(o.sentBps(), row.requestedBytesPerSecond());
            double re = SduLog.errorPercent(o.receivedBps(), row.requestedBytesPerSecond());
            r.line("%-26s %12d %6d %9.3f %6d (%5d) %12.0f %12.0f %+8.3f %+8.3f", "DROPS ATM (" + o.policy() + ")",
                    row.requestedBytesPerSecond(), row.sduBytes(), o.intervalNanos() / 1e6, o.creditCells(), creditBytes,
                    o.sentBps(), o.receivedBps(), se, re);
            r.csv("drops-atm", row.label(), row.requestedBytesPerSecond(), row.sduBytes(), o.intervalNanos() / 1e6,
                    o.creditCells(), creditBytes, o.sentBps(), o.receivedBps(), se, re, o.windowNanos() / 1e9);
            errors.addValue(Math.abs(re), "DROPS ATM", label(row));
        }
        peerRows(r, "Guava RateLimiter, UDP", guava, errors);
        peerRows(r, "tc tbf, veth, 2 netns", tbf, errors);
        r.line("");
        r.line("Paper (P90, PCA-200E, 2^20-bit Mbps): 61.03 Mbps requested, 10 ms, 79990 B credits, 60.98 sent, 60.89 peer;");
        r.line("                                      22.89 Mbps requested, 13 ms, 39000 B credits, 22.91 sent, 22.90 peer.");
        for (Ours o : ours) {
            r.line("DROPS ATM %s: %d of %d control intervals fully served (whole run); worker: %s", o.row().label(),
                    o.intervalsFullyServed(), o.intervals(), o.workerPriority());
        }
        r.line("Windows: ours %.3f s / %.3f s (whole intervals); peers %d ms each, measured after ours.",
                ours.get(0).windowNanos() / 1e9, ours.get(1).windowNanos() / 1e9, windowMillis);

        for (Ours o : ours) {
            Row row = o.row();
            double se = SduLog.errorPercent(o.sentBps(), row.requestedBytesPerSecond());
            double re = SduLog.errorPercent(o.receivedBps(), row.requestedBytesPerSecond());
            r.check(label(row) + ": |error| <= " + TARGET_PERCENT + " % sent and received",
                    String.format(Locale.ROOT, "sent %+.4f %%, received %+.4f %% over %.1f s", se, re, o.windowNanos() / 1e9),
                    Math.abs(se) <= TARGET_PERCENT && Math.abs(re) <= TARGET_PERCENT);
            r.bound(label(row) + ": error within -" + SHORT_BOUND_BELOW_PERCENT + " % .. +" + SHORT_BOUND_ABOVE_PERCENT
                    + " %, sent and received", String.format(Locale.ROOT, "sent %+.3f %%, received %+.3f %%", se, re),
                    inBound(se) && inBound(re));
            // a target, not a bound: a receiving application that a loaded machine deschedules for longer than its
            // ring (the contract's 50-ms delay-variation tolerance) loses SDUs; ATM has no end-to-end flow control
            r.check(label(row) + ": nothing dropped at the receiver", o.dropped() + " SDUs dropped", o.dropped() == 0);
        }
        for (int i = 0; i < ROWS.size(); i++) {
            Row row = ROWS.get(i);
            RatePeers.Measured g = guava.get(i);
            r.bound("peer Guava " + label(row) + ": received within " + PEER_BOUND_PERCENT + " % (it was measured)",
                    String.format(Locale.ROOT, "%+.3f %%", SduLog.errorPercent(g.receivedBytesPerSecond(), row.requestedBytesPerSecond())),
                    Math.abs(SduLog.errorPercent(g.receivedBytesPerSecond(), row.requestedBytesPerSecond())) <= PEER_BOUND_PERCENT);
            RatePeers.Measured t = tbf.get(i);
            if (t.measured()) {
                double e = SduLog.errorPercent(t.receivedBytesPerSecond(), row.requestedBytesPerSecond());
                r.bound("peer tc tbf " + label(row) + ": received within " + PEER_BOUND_PERCENT + " % (it was measured)",
                        String.format(Locale.ROOT, "%+.3f %%", e), Math.abs(e) <= PEER_BOUND_PERCENT);
            } else if (ci) {
                // CI=true: the platform CI runs as root with iproute2; a peer that cannot run there is a failure
                r.bound("peer tc tbf " + label(row) + " measured (CI=true)", "not measured: " + t.notMeasured(), false);
            }
        }
        r.note("Rates are SDU payload bytes per second. Ours: 'rate sent' is what the writing application's write() "
                + "calls returned, 'peer rate' what the platform delivered into the receiving socket's ring (the driver's "
                + "arrival times), each over a whole number of the connection's control intervals from %d ms after the "
                + "start, so the interval-credit bursts do not quantise the rate (over an arbitrary window they would, by up to "
                + "one credit over the window: 10.24 ms / 5 s = 0.2 %% for A in the short mode, about 0.07 %% with the burst "
                + "spread at the line rate (SduLogTest), more than the 0.05 %% target).", WARMUP_MILLIS);
        r.note("Error = measured / requested - 1. The contracts are CBR in Linux-ATM QoS text, cbr:pcr=%d,sdu=8192,cdv=%d "
                + "and cbr:pcr=%d,sdu=4096,cdv=%d: the cell rate is rounded up to carry the requested rate (%+.4f %% and %+.4f %% "
                + "above it).", ROWS.get(0).pcr(), CDV_MICROS, ROWS.get(1).pcr(), CDV_MICROS,
                SduLog.errorPercent(CellRates.aal5SduBitsPerSecond(ROWS.get(0).pcr(), 8192) / 8, 8e6),
                SduLog.errorPercent(CellRates.aal5SduBitsPerSecond(ROWS.get(1).pcr(), 4096) / 8, 3e6));
        r.note("Peers: Guava RateLimiter.create(rate).acquire(SDU bytes) before each datagram, plain DatagramChannel on "
                + "loopback; tc tbf at the rate plus the %d header bytes per frame it counts (Ethernet, IPv4, UDP; veth MTU %d so "
                + "a datagram is one frame), burst %d frames (the burst of our interval credit; with 2 frames a loaded "
                + "machine's late softirqs cost tbf 10-20 %% of the rate), limit 4 MiB, a greedy sender (512 KiB send buffer, "
                + "so it blocks rather than overflowing tbf) and a receiver, in two namespaces. Their windows are sampled "
                + "counters, measured after ours: one tbf burst over 5 s is 0.2 %%, one Guava datagram 0.02 %% (A).",
                RatePeers.FRAME_OVERHEAD_BYTES, RatePeers.VETH_MTU, RatePeers.TBF_BURST_FRAMES);
        if (!full) {
            r.note("Short mode: the %.2f %% target is checked on 5-s windows here; the issue's target is for 60 s (--full).",
                    TARGET_PERCENT);
        }
        JFreeChart chart = ChartFactory.createBarChart(title(), "", "|received error| (%)", errors,
                PlotOrientation.VERTICAL, true, false, false);
        r.chart(chart);
        return r;
    }

    static boolean inBound(double errorPercent) {
        return errorPercent >= -SHORT_BOUND_BELOW_PERCENT && errorPercent <= SHORT_BOUND_ABOVE_PERCENT;
    }

    private static String label(Row row) {
        return String.format(Locale.ROOT, "%s: %.0e B/s of %d B", row.label(), (double) row.requestedBytesPerSecond(), row.sduBytes());
    }

    private static void peerRows(Result r, String setup, List<RatePeers.Measured> measured, DefaultCategoryDataset errors) {
        for (int i = 0; i < ROWS.size(); i++) {
            Row row = ROWS.get(i);
            RatePeers.Measured m = measured.get(i);
            if (!m.measured()) {
                r.line("%-26s %12d %6d  not measured: %s", setup, row.requestedBytesPerSecond(), row.sduBytes(), m.notMeasured());
                r.csv(setup, row.label(), row.requestedBytesPerSecond(), row.sduBytes(), "", "", "", "", "", "", "",
                        "not measured: " + m.notMeasured());
                continue;
            }
            double se = SduLog.errorPercent(m.sentBytesPerSecond(), row.requestedBytesPerSecond());
            double re = SduLog.errorPercent(m.receivedBytesPerSecond(), row.requestedBytesPerSecond());
            r.line("%-26s %12d %6d %9s %13s %12.0f %12.0f %+8.3f %+8.3f", setup, row.requestedBytesPerSecond(),
                    row.sduBytes(), "-", "-", m.sentBytesPerSecond(), m.receivedBytesPerSecond(), se, re);
            r.csv(setup, row.label(), row.requestedBytesPerSecond(), row.sduBytes(), "", "", "", m.sentBytesPerSecond(),
                    m.receivedBytesPerSecond(), se, re, "");
            errors.addValue(Math.abs(re), setup, label(row));
        }
    }

    /** The two dumb writers at once on an OC-3 memory link; their rates over whole intervals after a warm-up. */
    private static List<Ours> measureOurs(Lab lab, long windowMillis) throws Exception {
        List<AtmSocket> sockets = new ArrayList<>();
        List<SduLog.Logger> threads = new ArrayList<>();
        try (Lab.Pair p = lab.memoryPair("oc3")) {
            List<AtmSocket> tx = new ArrayList<>();
            List<AtmSocket> rx = new ArrayList<>();
            for (int i = 0; i < ROWS.size(); i++) {
                Row row = ROWS.get(i);
                String qos = "cbr:pcr=" + row.pcr() + ",sdu=" + row.sduBytes() + ",cdv=" + CDV_MICROS;
                AtmSocket in = lab.socket(qos, p.pvcB(100 + i), false);
                sockets.add(in);
                rx.add(in);
            }
            for (int i = 0; i < ROWS.size(); i++) {
                Row row = ROWS.get(i);
                String qos = "cbr:pcr=" + row.pcr() + ",sdu=" + row.sduBytes() + ",cdv=" + CDV_MICROS;
                AtmSocket out = lab.socket(qos, p.pvcA(100 + i), true);
                sockets.add(out);
                tx.add(out);
            }
            List<SduLog.Logger> writers = new ArrayList<>();
            List<SduLog.Logger> readers = new ArrayList<>();
            for (int i = 0; i < ROWS.size(); i++) {
                readers.add(SduLog.reader(rx.get(i), "lab-table2-reader-" + ROWS.get(i).label()));
                writers.add(SduLog.writer(tx.get(i), ROWS.get(i).sduBytes(), "lab-table2-writer-" + ROWS.get(i).label()));
            }
            threads.addAll(readers);
            threads.addAll(writers);
            long start = System.nanoTime();
            threads.forEach(Thread::start);
            lab.progress("table2: DROPS ATM, both writers at once, %d ms after %d ms warm-up", windowMillis, WARMUP_MILLIS);
            List<ConnectionStatistics> txStats = new ArrayList<>();
            for (AtmSocket s : tx) {
                txStats.add(s.statistics());
            }
            long from = start + WARMUP_MILLIS * 1_000_000L;
            long to = from + windowMillis * 1_000_000L;
            long maxInterval = txStats.stream().mapToLong(ConnectionStatistics::intervalNanos).max().orElse(0);
            // run one interval and a little past the window, so the last interval's burst is in the logs
            sleepUntil(to + maxInterval + 50_000_000L);
            threads.forEach(Thread::interrupt);
            List<Ours> result = new ArrayList<>();
            for (int i = 0; i < ROWS.size(); i++) {
                ConnectionStatistics in = rx.get(i).statistics();
                ConnectionStatistics out = tx.get(i).statistics();
                tx.get(i).close(); // wakes a writer blocked in write()
                rx.get(i).close();
                writers.get(i).join(5000);
                readers.get(i).join(5000);
                long[] w = SduLog.wholeIntervals(from, to, out.intervalNanos());
                result.add(new Ours(ROWS.get(i), out.intervalNanos(), out.creditCellsPerInterval(), out.policyName(),
                        w[1] - w[0], writers.get(i).log.bytesPerSecond(w[0], w[1]), readers.get(i).log.bytesPerSecond(w[0], w[1]),
                        in.dropped(), out.intervals(), out.intervalsFullyServed(), String.valueOf(out.workerPriority())));
            }
            return result;
        } finally {
            threads.forEach(Thread::interrupt);
            for (AtmSocket s : sockets) {
                s.close();
            }
        }
    }

    /** Waits for an instant on the monotonic clock (a phase boundary, not a stand-in for a mechanism). */
    static void sleepUntil(long nanoTime) throws InterruptedException {
        for (long left; (left = nanoTime - System.nanoTime()) > 0; ) {
            Thread.sleep(Math.max(1, left / 1_000_000), 0);
        }
    }
}

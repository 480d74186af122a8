package org.drops.atm.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.qos.CellRates;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.DefaultTableXYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Paper Figure 8 (§4.1, "Five pre-scheduled concurrent writers"): CBR writers of 10, 20, 30 and 40 Mbit/s
 * (8192-byte SDUs) set up and torn down on a schedule ({@link Fig8Plan}) while a UBR writer runs throughout, on an
 * OC-3 memory link. Receivers log each SDU's arrival; per phase each running CBR connection's received rate
 * (target ±0.1 %) and the UBR writer's share of what is left of the link (target ≥ 95 %, reached within one second
 * of each change). The paper: "On start and termination of real-time connections, L4 ATM's admission control
 * decreases or increases the rate available for all best effort connections."
 */
final class Figure8Schedule implements Experiment {

    static final int CDV_MICROS = 50_000;
    static final double CBR_TARGET_PERCENT = 0.1;
    static final double UBR_SHARE = 0.95;
    static final long ADAPT_WINDOW_NANOS = 250_000_000L;
    static final long ADAPT_STEP_NANOS = 10_000_000L;

    @Override
    public boolean watchesHost() {
        return true;
    }

    @Override
    public String name() {
        return "fig8";
    }

    @Override
    public String title() {
        return "Figure 8: five pre-scheduled concurrent writers (CBR 10/20/30/40 Mbit/s and UBR)";
    }

    /** One connection's life: from its start to its stop, or why it was refused. */
    static final class Run {
        final int conn; // 0..3 CBR, 4 UBR
        final int firstPhase;
        long startedNanos;
        long stoppedNanos = Long.MAX_VALUE;
        AtmSocket tx;
        AtmSocket rx;
        SduLog.Logger writer;
        SduLog.Logger reader;
        long intervalNanos;
        long dropped;
        long intervals;
        long intervalsFullyServed;
        String workerPriority = "";
        String refused;

        Run(int conn, int firstPhase) {
            this.conn = conn;
            this.firstPhase = firstPhase;
        }
    }

    @Override
    public Result run(Lab lab, boolean full) throws Exception {
        long phaseNanos = (full ? 30_000L : 2_000L) * 1_000_000L;
        long settleNanos = (full ? 2_000L : 500L) * 1_000_000L; // a CBR connection just set up: skip its start
        List<Set<Integer>> phases = Fig8Plan.PHASES;
        int n = phases.size();
        List<Run> runs = new ArrayList<>();
        Run[] current = new Run[5];
        long[] phaseStart = new long[n + 1];
        double[] platformShareCells = new double[n];
        int[] vci = {200};
        Result r = new Result(name(), title());
        double line;
        try (Lab.Pair p = lab.memoryPair("oc3")) {
            line = lab.server.interfaces().stream().filter(i -> i.itf() == p.a).findFirst().orElseThrow().lineCellsPerSecond();
            lab.progress("fig8: %d phases of %d ms", n, phaseNanos / 1_000_000);
            // the UBR writer: throughout, set up one second before the first phase (its warm-up)
            Run ubr = new Run(4, 0);
            start(lab, p, ubr, "ubr:sdu=" + Fig8Plan.SDU_BYTES, vci);
            runs.add(ubr);
            current[4] = ubr;
            long t0 = System.nanoTime() + 1_000_000_000L;
            try {
                for (int k = 0; k < n; k++) {
                    phaseStart[k] = t0 + k * phaseNanos;
                    Table2Precision.sleepUntil(phaseStart[k]); // waiting for the phase boundary on the clock
                    Fig8Plan.Change change = Fig8Plan.changeAt(phases, k);
                    for (int c : change.stop()) {
                        stop(current[c]);
                        current[c] = null;
                    }
                    for (int c : change.start()) {
                        Run run = new Run(c, k);
                        String qos = "cbr:pcr=" + Fig8Plan.pcr(c) + ",sdu=" + Fig8Plan.SDU_BYTES + ",cdv=" + CDV_MICROS;
                        try {
                            start(lab, p, run, qos, vci);
                        } catch (AdmissionException e) {
                            run.refused = e.getMessage();
                            lab.progress("fig8: CBR %d Mbit/s REFUSED by admission control: %s", Fig8Plan.CBR_MBIT[c], e.getMessage());
                        }
                        runs.add(run);
                        current[c] = run;
                    }
                    platformShareCells[k] = lab.admission == null ? Double.NaN : lab.admission.bestEffortCellsPerSecond(p.a);
                    lab.progress("fig8: phase %d of %d: CBR %s + UBR (UBR share %.0f cells/s)", k + 1, n, mbits(phases.get(k)),
                            platformShareCells[k]);
                }
                phaseStart[n] = t0 + n * phaseNanos;
                Table2Precision.sleepUntil(phaseStart[n]);
            } finally {
                for (int c = 0; c < 5; c++) {
                    if (current[c] != null) {
                        stop(current[c]);
                    }
                }
            }
        }

        // ---- per phase: CBR precision, UBR share and adaptation
        r.line("%-6s %-12s %9s %9s %9s %9s %9s %9s %9s %8s %8s %7s %9s", "phase", "CBR running", "10 err %", "20 err %",
                "30 err %", "40 err %", "left Mb/s", "UBR sent", "UBR recv", "sent/lft", "recv/lft", "adapt", "CAC share");
        r.line("%-6s %-12s %9s %9s %9s %9s %9s %9s %9s %8s %8s %7s %9s", "", "Mbit/s", "", "", "", "", "", "Mbit/s",
                "Mbit/s", "%", "%", "ms", "cells/s");
        double worstCbr = 0;
        String worstCbrWhere = "";
        double worstUbrShare = Double.MAX_VALUE;
        String worstUbrWhere = "";
        long worstAdapt = 0;
        boolean neverAdapted = false;
        double worstUbrSentShare = Double.MAX_VALUE;
        String worstUbrSentWhere = "";
        long worstAdaptSent = 0;
        boolean neverAdaptedSent = false;
        String worstAdaptSentWhere = "";
        String worstAdaptWhere = "";
        boolean boundsCbr = true;
        List<String> boundFailures = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            Set<Integer> running = phases.get(k);
            long from = phaseStart[k];
            long to = phaseStart[k + 1];
            String[] errs = {"", "", "", ""};
            for (int c : running) {
                Run run = runAt(runs, c, k);
                if (run == null || run.refused != null) {
                    errs[c] = "refused";
                    continue;
                }
                long wFrom = run.firstPhase == k ? Math.max(from, run.startedNanos) + settleNanos : from;
                long[] w = SduLog.wholeIntervals(wFrom, Math.min(to, run.stoppedNanos), run.intervalNanos);
                double rate = run.reader.log.bytesPerSecond(w[0], w[1]);
                double requested = Fig8Plan.CBR_MBIT[c] * 125_000.0;
                double err = SduLog.errorPercent(rate, requested);
                errs[c] = String.format(Locale.ROOT, "%+.3f", err);
                if (Math.abs(err) > Math.abs(worstCbr)) {
                    worstCbr = err;
                    worstCbrWhere = "CBR " + Fig8Plan.CBR_MBIT[c] + " in phase " + (k + 1);
                }
                // The bound every run must meet (CI's short mode). The window is a whole number of the connection's
                // intervals, so interval quantisation is out; above the contract only a burst that was due before the
                // window and came late can show, at most one credit (Fig8Plan.aboveBoundPercent). Below it, an interval
                // whose credit the loaded machine kept the writer or worker from sending in time is lost (no
                // carry-over, by design: DETERMINISM.md); with four other builds running (load average 12-13 on 2
                // cores) we measured down to -2.2 % per 1.5-s window, so the bound below is 5 %.
                double above = Fig8Plan.aboveBoundPercent(run.intervalNanos, w[1] - w[0]);
                if (!Fig8Plan.withinBound(err, above)) {
                    boundsCbr = false;
                    boundFailures.add(String.format(Locale.ROOT, "CBR %d in phase %d: %+.3f %% (bound -%.1f %% .. +%.2f %%)",
                            Fig8Plan.CBR_MBIT[c], k + 1, err, Fig8Plan.BELOW_BOUND_PERCENT, above));
                }
            }
            double left = Fig8Plan.leftoverBytesPerSecond(line, running);
            Run ubr = runs.get(0);
            // the UBR writer's share over the phase from one second after the change: received (as the paper
            // measured it, on the peer) and sent (what the writer got onto the link)
            double ubrRate = ubr.reader.log.bytesPerSecond(from + 1_000_000_000L, to);
            double ubrSent = ubr.writer.log.bytesPerSecond(from + 1_000_000_000L, to);
            double share = ubrRate / left;
            boolean changed = !Fig8Plan.changeAt(phases, k).none();
            long adapt = changed ? Fig8Plan.adaptationNanos(ubr.reader.log, from, to, ADAPT_WINDOW_NANOS, ADAPT_STEP_NANOS,
                    left, UBR_SHARE) : 0;
            long adaptSent = changed ? Fig8Plan.adaptationNanos(ubr.writer.log, from, to, ADAPT_WINDOW_NANOS, ADAPT_STEP_NANOS,
                    left, UBR_SHARE) : 0;
            if (share < worstUbrShare) {
                worstUbrShare = share;
                worstUbrWhere = "phase " + (k + 1);
            }
            if (ubrSent / left < worstUbrSentShare) {
                worstUbrSentShare = ubrSent / left;
                worstUbrSentWhere = "phase " + (k + 1);
            }
            if (changed && !neverAdapted && (adapt < 0 || adapt > worstAdapt)) {
                neverAdapted = adapt < 0;
                worstAdapt = adapt;
                worstAdaptWhere = "phase " + (k + 1);
            }
            if (changed && !neverAdaptedSent && (adaptSent < 0 || adaptSent > worstAdaptSent)) {
                neverAdaptedSent = adaptSent < 0;
                worstAdaptSent = adaptSent;
                worstAdaptSentWhere = "phase " + (k + 1);
            }
            r.line("%-6d %-12s %9s %9s %9s %9s %9.2f %9.2f %9.2f %8.2f %8.2f %7s %9.0f", k + 1, mbits(running), errs[0],
                    errs[1], errs[2], errs[3], left * 8 / 1e6, ubrSent * 8 / 1e6, ubrRate * 8 / 1e6, ubrSent / left * 100,
                    share * 100, !changed ? "-" : adapt < 0 ? "never" : "" + adapt / 1_000_000, platformShareCells[k]);
        }
        r.line("");
        r.line("err %%: a CBR connection's received rate against its requested SDU rate, over a whole number of its intervals");
        r.line("  in the phase (a connection set up in the phase: from %d ms after its set-up).", settleNanos / 1_000_000);
        r.line("left: the line's %.0f cells/s minus the cells/s the running CBR connections reserve, carried as 8192-byte", line);
        r.line("  AAL5 SDUs (171 cells each, trailer and padding included), SDU payload Mbit/s; UBR sent/received over the");
        r.line("  phase from 1 s after its change. adapt: end of the first %d-ms window after the change with UBR received >= %.0f %% of the new",
                ADAPT_WINDOW_NANOS / 1_000_000, UBR_SHARE * 100);
        r.line("  'left' (windows stepped by %d ms). CAC share: admission control's bestEffortCellsPerSecond after the change.",
                ADAPT_STEP_NANOS / 1_000_000);

        List<String> refusals = runs.stream().filter(x -> x.refused != null)
                .map(x -> "CBR " + Fig8Plan.CBR_MBIT[x.conn] + " in phase " + (x.firstPhase + 1) + ": " + x.refused).toList();
        r.bound("every CBR contract admitted (10+20+30+40 Mbit/s = " + Fig8Plan.reservedCells(Set.of(0, 1, 2, 3))
                + " of " + Math.round(line) + " cells/s)", refusals.isEmpty() ? "all admitted" : String.join("; ", refusals), refusals.isEmpty());
        r.check("each running CBR within +-" + CBR_TARGET_PERCENT + " % in every phase",
                String.format(Locale.ROOT, "worst %+.3f %% (%s)", worstCbr, worstCbrWhere), Math.abs(worstCbr) <= CBR_TARGET_PERCENT);
        r.bound("each running CBR in every phase within -" + Fig8Plan.BELOW_BOUND_PERCENT
                + " % .. +(one interval over the window + 0.1 %)",
                boundsCbr ? String.format(Locale.ROOT, "worst %+.3f %% (%s)", worstCbr, worstCbrWhere) : String.join("; ", boundFailures), boundsCbr);
        r.check("UBR gets >= " + Math.round(UBR_SHARE * 100) + " % of what is left in every phase",
                String.format(Locale.ROOT, "worst %.2f %% (%s)", worstUbrShare * 100, worstUbrWhere), worstUbrShare >= UBR_SHARE);
        // Bounds on what the UBR writer got onto the link: the platform's promise (the best-effort share, applied as
        // the VC's cell rate), which a receiver that the load deschedules does not blur. The UBR receive ring has
        // admission control's ubr.receive.slots (4) slots, 2 ms at 135 Mbit/s: a descheduled reader loses SDUs.
        // measured down to 91.6 % with load average 12-13 on the 2 cores (the UBR writer is an ordinary thread)
        r.bound("UBR sent >= 85 % of what is left in every phase",
                String.format(Locale.ROOT, "worst %.2f %% (%s)", worstUbrSentShare * 100, worstUbrSentWhere), worstUbrSentShare >= 0.85);
        r.bound("UBR sent >= 95 % of what is left within 1 s of each change",
                neverAdaptedSent ? "never, " + worstAdaptSentWhere
                        : String.format(Locale.ROOT, "worst %d ms (%s)", worstAdaptSent / 1_000_000, worstAdaptSentWhere),
                !neverAdaptedSent && worstAdaptSent <= 1_000_000_000L);
        r.check("UBR adapts within 1 s of each change",
                worstAdapt < 0 ? "never reached " + Math.round(UBR_SHARE * 100) + " % in " + worstAdaptWhere
                        : String.format(Locale.ROOT, "worst %d ms (%s)", worstAdapt / 1_000_000, worstAdaptWhere),
                !neverAdapted && worstAdapt <= 1_000_000_000L);
        long droppedCbr = runs.stream().filter(x -> x.conn < 4).mapToLong(x -> x.dropped).sum();
        long droppedUbr = runs.stream().filter(x -> x.conn == 4).mapToLong(x -> x.dropped).sum();
        // a target, not a bound: a reader descheduled longer than its ring (50 ms of the contract) loses SDUs
        r.check("no CBR SDU dropped at the receivers", droppedCbr + " dropped", droppedCbr == 0);
        r.note("Contracts: cbr:pcr=%d/%d/%d/%d,sdu=8192,cdv=%d (the SDU rates in cells/s, rounded up) and ubr:sdu=8192 (no peak "
                + "rate: the driver paces it at the best-effort share, which the core recomputes on every admission and release "
                + "and splits evenly among the interface's UBR connections; here there is one). Admission control's best-effort "
                + "reserve is its default, 0.", Fig8Plan.pcr(0), Fig8Plan.pcr(1), Fig8Plan.pcr(2), Fig8Plan.pcr(3), CDV_MICROS);
        r.note("SDUs dropped at the receivers (ring full or non-conforming): CBR %d, UBR %d (its receive ring has admission "
                + "control's ubr.receive.slots slots, 4 by default: 2 ms at the full line, so a reader descheduled longer loses "
                + "SDUs; the 'recv' columns show it, 'sent' is what the UBR writer got onto the link).", droppedCbr, droppedUbr);
        List<String> served = new ArrayList<>();
        for (Run x : runs) {
            if (x.conn < 4 && x.refused == null) {
                served.add(String.format(Locale.ROOT, "CBR %d from phase %d: %d of %d", Fig8Plan.CBR_MBIT[x.conn],
                        x.firstPhase + 1, x.intervalsFullyServed, x.intervals));
            }
        }
        r.note("Control intervals fully served (the worker sent the whole credit; a shortfall is rate lost for good): %s. "
                + "Workers: %s.", String.join("; ", served),
                runs.stream().filter(x -> x.conn < 4).map(x -> x.workerPriority).distinct().toList());
        r.note("Paper: 4 hours, the 'first 80 minutes' each connection alone, then competing; here %d phases of %d s.", n,
                phaseNanos / 1_000_000_000L);

        // ---- the time series (1-s bins) and the plots
        long binNanos = 1_000_000_000L;
        int bins = (int) ((phaseStart[n] - phaseStart[0]) / binNanos);
        String[] names = {"CBR 10 Mbit/s", "CBR 20 Mbit/s", "CBR 30 Mbit/s", "CBR 40 Mbit/s", "UBR"};
        double[][] series = new double[5][];
        for (int c = 0; c < 5; c++) {
            int conn = c;
            List<SduLog> logs = runs.stream().filter(x -> x.conn == conn && x.reader != null).map(x -> x.reader.log).toList();
            series[c] = Fig8Plan.binned(logs, phaseStart[0], binNanos, bins);
        }
        r.csv("time_s", "phase", "cbr10_mbit_s", "cbr20_mbit_s", "cbr30_mbit_s", "cbr40_mbit_s", "ubr_mbit_s", "left_for_ubr_mbit_s");
        DefaultTableXYDataset stacked = new DefaultTableXYDataset();
        XYSeriesCollection lines = new XYSeriesCollection();
        for (int c = 0; c < 5; c++) {
            XYSeries s = new XYSeries(names[c], true, false);
            XYSeries l = new XYSeries(names[c]);
            for (int b = 0; b < bins; b++) {
                s.add(b + 0.5, series[c][b] * 8 / 1e6);
                l.add(b + 0.5, series[c][b] * 8 / 1e6);
            }
            stacked.addSeries(s);
            lines.addSeries(l);
        }
        for (int b = 0; b < bins; b++) {
            int k = (int) Math.min(n - 1, b * binNanos / phaseNanos);
            r.csv(b + 0.5, k + 1, series[0][b] * 8 / 1e6, series[1][b] * 8 / 1e6, series[2][b] * 8 / 1e6,
                    series[3][b] * 8 / 1e6, series[4][b] * 8 / 1e6, Fig8Plan.leftoverBytesPerSecond(line, phases.get(k)) * 8 / 1e6);
        }
        JFreeChart chart = ChartFactory.createStackedXYAreaChart(title(), "time (s)", "received Mbit/s (stacked)", stacked,
                PlotOrientation.VERTICAL, true, false, false);
        r.chart(chart);
        r.chart(ChartFactory.createXYLineChart(title(), "time (s)", "received Mbit/s", lines, PlotOrientation.VERTICAL, true,
                false, false));
        return r;
    }

    private static Run runAt(List<Run> runs, int conn, int phase) {
        Run found = null;
        for (Run x : runs) {
            if (x.conn == conn && x.firstPhase <= phase) {
                found = x;
            }
        }
        return found;
    }

    private static String mbits(Set<Integer> running) {
        if (running.isEmpty()) {
            return "-";
        }
        List<String> s = new ArrayList<>();
        for (int c : new TreeSet<>(running)) {
            s.add("" + Fig8Plan.CBR_MBIT[c]);
        }
        return String.join("+", s);
    }

    /** Sets up a connection (receiver first) and starts its dumb writer and its logging reader. */
    private static void start(Lab lab, Lab.Pair p, Run run, String qos, int[] vci) throws Exception {
        int v = vci[0]++;
        run.rx = lab.socket(qos, p.pvcB(v), false);
        try {
            run.tx = lab.socket(qos, p.pvcA(v), true);
        } catch (Exception e) {
            run.rx.close();
            throw e;
        }
        run.intervalNanos = run.tx.statistics().intervalNanos();
        String label = run.conn == 4 ? "ubr" : "cbr" + Fig8Plan.CBR_MBIT[run.conn];
        run.reader = SduLog.reader(run.rx, "lab-fig8-reader-" + label);
        run.writer = SduLog.writer(run.tx, Fig8Plan.SDU_BYTES, "lab-fig8-writer-" + label);
        run.reader.start();
        run.writer.start();
        run.startedNanos = System.nanoTime();
    }

    /** Tears a connection down: the transmit side first (the writer ends), then the receiver. */
    private static void stop(Run run) throws Exception {
        if (run == null || run.tx == null) {
            return;
        }
        run.stoppedNanos = System.nanoTime();
        run.dropped = run.rx.statistics().dropped();
        org.drops.atm.api.ConnectionStatistics out = run.tx.statistics();
        run.intervals = out.intervals();
        run.intervalsFullyServed = out.intervalsFullyServed();
        run.workerPriority = String.valueOf(out.workerPriority());
        run.tx.close();
        run.rx.close();
        run.writer.interrupt();
        run.reader.interrupt();
        run.writer.join(5000);
        run.reader.join(5000);
    }
}

package org.drops.atm.experiments;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import javax.management.JMException;
import javax.management.ObjectName;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.ConnectionStatistics;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.statistics.HistogramDataset;

/**
 * Issue 9, experiment 6 (paper §4: the overhead of the real-time extensions is "well below 1 %"): a connection
 * with usage parameter control and policing active on both sides, against the same connection with both switched
 * off (core keys {@code transmit.policing} and {@code receive.policing}, changed on the running connection). The
 * contract is above what the path can carry, so policing never holds a PDU back and only its cost shows: UBR with
 * a peak rate of 50 million cells/s (21 Gbit/s, metered by the selected policy on transmit and by the peak-rate
 * GCRA on receive) on a memory link without line pacing, 8192-byte SDUs, a dumb writer and a reader.
 *
 * <p>Two measures per window: the throughput received, and the <b>CPU time per PDU</b> delivered (the CPU time
 * of every Java thread of the platform's JVM over the window, from {@link java.lang.management.ThreadMXBean} in
 * nanoseconds, divided by the PDUs the reader received). Windows with policing on and off come in pairs, the
 * order alternating (on-off, off-on, …: ABBA), and each pair gives a ratio on/off; the median of the ratios and
 * a distribution-free 95 % interval of it ({@link PairedRatios}) decide the question. Time the platform waits for
 * a processor is not CPU time, so the CPU a PDU costs depends less on other tenants than throughput does; it is
 * not immune: contention on the shared 2-core machine still raised it from about 44 to 89 µs in single windows
 * (cache misses, more wake-ups). Short windows in many pairs keep each pair's two windows under the same load.
 */
final class OverheadExperiment implements Experiment {

    static final int SDU = 8192;
    static final int PCR_CELLS_PER_SECOND = 50_000_000;
    /** The target (issue 9): on and off less than 1 % apart, decided by the 95 % interval of the paired median. */
    static final double TOLERANCE = 0.01;
    static final double CONFIDENCE = 0.95;
    /**
     * What policing adds per PDU: one conformance decision on each side, the higher of the two JMH runs in
     * docs/POLICING.md (ConformanceDecisionBenchmark, conforming regime, cached-clock path at load 4–6): interval
     * credit 5.3 ns on transmit, GCRA 8.5 ns on receive. Both benchmarks include a clock update per 10 decisions;
     * here no clock reading is added at all: the worker reads the clock for every PDU whether it polices or not,
     * and the receive side uses the PDU's arrival time.
     */
    static final double POLICING_NANOS_PER_PDU_JMH = 5.3 + 8.5;

    @Override
    public String name() {
        return "overhead";
    }

    @Override
    public String title() {
        return "Overhead of the real-time extensions: CPU per PDU and throughput with UPC and policing on vs off";
    }

    /** What the window's counters read at one instant. */
    private record Sample(long nanos, long sdus, long bytes, Map<Long, Long> threadCpuNanos, long processCpuNanos) {
    }

    /** One window's measures. */
    private record Window(double bitsPerSecond, double cpuNanosPerPdu, double processCpuNanosPerPdu, long pdus,
            Map<String, Double> cpuNanosPerPduByThread) {
    }

    /** System property: the full mode's number of on/off pairs (default 600). */
    static final String PAIRS_PROPERTY = "atm.experiment.overhead.pairs";

    @Override
    public Result run(Lab lab, boolean full) throws Exception {
        long windowMillis = full ? 300 : 250;
        long settleMillis = 50; // before every window, switch or not: a switch and its effects stay outside
        long warmUpMillis = full ? 5_000 : 1_500;
        // full mode: 600 pairs (7 min), or as many as -Datm.experiment.overhead.pairs asks (JAVA_OPTS of run/atm): the
        // interval of the paired ratio narrows with the square root of the pairs
        int pairs = full ? Math.max(2, Integer.getInteger(PAIRS_PROPERTY, 600)) : 20;
        String qos = "ubr:pcr=" + PCR_CELLS_PER_SECOND + ",sdu=" + SDU;
        Window[] on = new Window[pairs];
        Window[] off = new Window[pairs];
        long suspensions;
        long droppedNonConforming;
        String policy;
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (!threads.isThreadCpuTimeSupported()) {
            throw new IllegalStateException("this JVM does not measure thread CPU time");
        }
        threads.setThreadCpuTimeEnabled(true);
        double loadBefore = systemLoad();
        double loadAfter;
        long started = System.nanoTime();
        int resendsBefore = lab.coreConfigurationResends();
        int switches;
        try (Lab.Pair p = lab.memoryPair("unlimited");
                AtmSocket rx = lab.socket(qos, p.pvcB(100), false);
                AtmSocket tx = lab.socket(qos, p.pvcA(100), true)) {
            Traffic.Counter reader = Traffic.copyReader(rx, SDU);
            Traffic.Counter writer = Traffic.copyWriter(tx, SDU);
            reader.start();
            writer.start();
            try {
                Map<String, Object> policingOn = Map.of("transmit.policing", true, "receive.policing", true);
                ConnectionStatistics tx0;
                ConnectionStatistics rx0;
                try (AutoCloseable allOn = lab.coreConfiguration(policingOn, policingOn)) {
                    lab.progress("overhead: warm-up %d ms", warmUpMillis);
                    reader.bytesPerSecondOver(warmUpMillis);
                    tx0 = tx.statistics();
                    rx0 = rx.statistics();
                    switches = windows(lab, reader, pairs, windowMillis, settleMillis, on, off);
                }
                ConnectionStatistics tx1 = tx.statistics();
                ConnectionStatistics rx1 = rx.statistics();
                suspensions = tx1.suspensions() - tx0.suspensions();
                droppedNonConforming = rx1.droppedNonConforming() - rx0.droppedNonConforming();
                policy = tx1.policyName();
            } finally {
                writer.interrupt();
                reader.interrupt();
            }
            loadAfter = systemLoad();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Result r = report(qos, policy, pairs, windowMillis, settleMillis, on, off, suspensions, droppedNonConforming,
                loadBefore, loadAfter, seconds);
        r.note("Configuration updates sent again because the server had not applied them within 2 s: %d of %d.",
                lab.coreConfigurationResends() - resendsBefore, switches);
        return r;
    }

    /**
     * The pairs of windows, in ABBA order (on-off, off-on, …), so a drift in the machine's load favours neither
     * side. The switch happens only where the state changes (on | off off | on on | off …): half of each side's
     * windows then follow a switch and half do not, and no no-op update is sent (its ConfigAdmin and DS work could
     * not be awaited, since the service properties already show the values, and would spill into the window).
     * Starts and ends with policing on; returns the number of switches.
     */
    private static int windows(Lab lab, Traffic.Counter reader, int pairs, long windowMillis, long settleMillis,
            Window[] on, Window[] off) throws Exception {
        Map<String, Object> policingOn = Map.of("transmit.policing", true, "receive.policing", true);
        Map<String, Object> policingOff = Map.of("transmit.policing", false, "receive.policing", false);
        int switches = 0;
        AutoCloseable offPeriod = null; // closing it switches back on, awaited
        try {
            for (int i = 0; i < pairs; i++) {
                if (i % 50 == 0) {
                    lab.progress("overhead: pairs %d-%d of %d, windows of %d ms", i + 1, Math.min(pairs, i + 50), pairs,
                            windowMillis);
                }
                for (boolean policing : i % 2 == 0 ? new boolean[] {true, false} : new boolean[] {false, true}) {
                    if (!policing && offPeriod == null) {
                        offPeriod = lab.coreConfiguration(policingOff, policingOn);
                        switches++;
                    } else if (policing && offPeriod != null) {
                        AutoCloseable closing = offPeriod;
                        offPeriod = null;
                        closing.close();
                        switches++;
                    }
                    // A gap between measurement windows, not a wait for the switch: coreConfiguration returns once the
                    // server applied it; the gap keeps the PDUs in flight across the switch out of the next window.
                    Thread.sleep(settleMillis);
                    (policing ? on : off)[i] = measure(reader, windowMillis);
                }
            }
        } finally {
            if (offPeriod != null) {
                offPeriod.close();
            }
        }
        return switches;
    }

    private Result report(String qos, String policy, int pairs, long windowMillis, long settleMillis, Window[] on,
            Window[] off, long suspensions, long droppedNonConforming, double loadBefore, double loadAfter,
            double seconds) {
        double[] bpsOn = new double[pairs];
        double[] bpsOff = new double[pairs];
        double[] cpuOn = new double[pairs];
        double[] cpuOff = new double[pairs];
        double[] procOn = new double[pairs];
        double[] procOff = new double[pairs];
        for (int i = 0; i < pairs; i++) {
            bpsOn[i] = on[i].bitsPerSecond();
            bpsOff[i] = off[i].bitsPerSecond();
            cpuOn[i] = on[i].cpuNanosPerPdu();
            cpuOff[i] = off[i].cpuNanosPerPdu();
            procOn[i] = on[i].processCpuNanosPerPdu();
            procOff[i] = off[i].processCpuNanosPerPdu();
        }
        double[] cpuRatio = PairedRatios.ratios(cpuOn, cpuOff);
        double[] bpsRatio = PairedRatios.ratios(bpsOn, bpsOff);
        double[] procRatio = PairedRatios.ratios(procOn, procOff);
        PairedRatios.Summary cpu = PairedRatios.summarize(cpuRatio, CONFIDENCE);
        PairedRatios.Summary bps = PairedRatios.summarize(bpsRatio, CONFIDENCE);
        PairedRatios.Summary proc = PairedRatios.summarize(procRatio, CONFIDENCE);

        Result r = new Result(name(), title());
        r.line("contract %s on an unpaced memory link; transmit policy %s", qos, policy.isEmpty() ? "(none)" : policy);
        r.line("%d on/off pairs (ABBA order) of %d-ms windows, each %d ms after the previous window or switch; %.0f s in all", pairs,
                windowMillis, settleMillis, seconds);
        r.line("load average (1 min) %.2f before, %.2f after; %d processors", loadBefore, loadAfter,
                Runtime.getRuntime().availableProcessors());
        r.line("");
        r.line("%-5s %-7s %10s %10s %9s %12s %12s %9s", "pair", "order", "on Mbit/s", "off Mbit/s", "on/off",
                "on µs/PDU", "off µs/PDU", "on/off");
        r.csv("pair", "order", "on_mbit_s", "off_mbit_s", "throughput_ratio", "on_cpu_us_per_pdu", "off_cpu_us_per_pdu",
                "cpu_ratio", "on_process_cpu_us_per_pdu", "off_process_cpu_us_per_pdu", "on_pdus", "off_pdus");
        for (int i = 0; i < pairs; i++) {
            String order = i % 2 == 0 ? "on-off" : "off-on";
            r.line("%-5d %-7s %10.1f %10.1f %9.4f %12.2f %12.2f %9.4f", i + 1, order, bpsOn[i] / 1e6, bpsOff[i] / 1e6,
                    bpsRatio[i], cpuOn[i] / 1e3, cpuOff[i] / 1e3, cpuRatio[i]);
            r.csv(i + 1, order, bpsOn[i] / 1e6, bpsOff[i] / 1e6, bpsRatio[i], cpuOn[i] / 1e3, cpuOff[i] / 1e3,
                    cpuRatio[i], procOn[i] / 1e3, procOff[i] / 1e3, on[i].pdus(), off[i].pdus());
        }
        r.line("%-13s %10.1f %10.1f %9s %12.2f %12.2f", "median", RateBlocks.median(bpsOn) / 1e6,
                RateBlocks.median(bpsOff) / 1e6, "", RateBlocks.median(cpuOn) / 1e3, RateBlocks.median(cpuOff) / 1e3);
        r.line("");
        r.line("Paired ratios on/off: median, quartiles, %.0f %% interval of the median (order statistics); overhead = "
                + "ratio - 1 for CPU, 1 - ratio for throughput", 100 * CONFIDENCE);
        r.line("%-40s %s", "CPU per PDU, all Java threads (ns clock)", describe(cpu, false));
        r.line("%-40s %s", "CPU per PDU, process (10-ms ticks)", describe(proc, false));
        r.line("%-40s %s", "throughput", describe(bps, true));
        double cpuOffMedian = RateBlocks.median(cpuOff);
        r.line("");
        r.line("Cross-check: the policing calls, one conform per PDU on each side, cost about %.0f ns per PDU (JMH, "
                + "docs/POLICING.md) against %.1f µs of CPU per PDU without policing (median): %.3f %% expected",
                POLICING_NANOS_PER_PDU_JMH, cpuOffMedian / 1e3, 100 * POLICING_NANOS_PER_PDU_JMH / cpuOffMedian);

        r.line("");
        r.line("Where the CPU goes (median over the windows, µs per PDU; threads above 0.5 µs/PDU; the difference is "
                + "the median of the paired differences on - off):");
        r.line("%-32s %10s %10s %14s", "thread", "on", "off", "on - off (ns)");
        TreeSet<String> names = new TreeSet<>();
        for (int i = 0; i < pairs; i++) {
            names.addAll(on[i].cpuNanosPerPduByThread().keySet());
            names.addAll(off[i].cpuNanosPerPduByThread().keySet());
        }
        for (String name : names) {
            double[] a = new double[pairs];
            double[] b = new double[pairs];
            double[] d = new double[pairs];
            for (int i = 0; i < pairs; i++) {
                a[i] = on[i].cpuNanosPerPduByThread().getOrDefault(name, 0.0);
                b[i] = off[i].cpuNanosPerPduByThread().getOrDefault(name, 0.0);
                d[i] = a[i] - b[i];
            }
            double medianOn = RateBlocks.median(a);
            double medianOff = RateBlocks.median(b);
            if (Math.max(medianOn, medianOff) >= 500) {
                r.line("%-32s %10.2f %10.2f %+14.0f", name, medianOn / 1e3, medianOff / 1e3, RateBlocks.median(d));
            }
        }

        r.check(String.format(Locale.ROOT, "CPU per PDU with policing within 1 %% of without (median of %d paired "
                + "ratios; decided when the %.0f %% interval lies within ±1 %%)", pairs, 100 * CONFIDENCE),
                verdictText(cpu, false), cpu.verdict(TOLERANCE) == PairedRatios.Verdict.WITHIN);
        r.check(String.format(Locale.ROOT, "throughput with policing within 1 %% of without (median of %d paired "
                + "ratios; decided when the %.0f %% interval lies within ±1 %%)", pairs, 100 * CONFIDENCE),
                verdictText(bps, true), bps.verdict(TOLERANCE) == PairedRatios.Verdict.WITHIN);
        r.bound("policing never held back or dropped a PDU of a contract above the path's capacity",
                suspensions + " suspensions, " + droppedNonConforming + " dropped as non-conforming",
                suspensions == 0 && droppedNonConforming == 0);
        // loose on purpose: at load average 15-20 from other builds single windows spread over 0.54-1.0 x their
        // maximum (ExperimentsIT runs); what CI can tell is that policing does not throttle the path
        r.bound("with policing, at least 50 % of the throughput without (median of the paired ratios)",
                String.format(Locale.ROOT, "%.1f %%", 100 * bps.median()), bps.median() >= 0.5);
        r.bound("with policing, at most 1.5 x the CPU per PDU without (median of the paired ratios)",
                String.format(Locale.ROOT, "%.3f x", cpu.median()), cpu.median() <= 1.5);
        r.note("CPU per PDU: the sum over every live Java thread of the JVM (ThreadMXBean, ns) of the CPU time used "
                + "in the window - writer, reader, workers, line and receive threads and everything else the "
                + "platform runs - divided by the PDUs the reader received; threads that ended inside a window are "
                + "missed, garbage collector and JIT threads are not Java threads. The process measure "
                + "(OperatingSystemMXBean) includes them but counts in 10-ms ticks.");
        r.note("Switching: ConfigAdmin updates of PID org.drops.atm.core, applied by the running server (modified) "
                + "and awaited before the window; only where the state changes (on | off off | on on | off ...), so half "
                + "of each side's windows follow a switch; every window starts %d ms after the previous one or the "
                + "switch.", settleMillis);
        r.note("Decision: WITHIN when the whole interval of the median ratio lies inside (0.99, 1.01), OUTSIDE when "
                + "it lies wholly beyond one edge, otherwise NOT DECIDABLE (the machine's noise is wider than 1 %%).");

        // a histogram of the paired overheads: one bar pair per window pair is unreadable at hundreds of pairs
        HistogramDataset data = new HistogramDataset();
        data.addSeries("CPU per PDU: on/off - 1 (median " + String.format(Locale.ROOT, "%+.2f %%", 100 * (cpu.median() - 1))
                + ")", percent(cpuRatio, false), 60, -30, 30);
        data.addSeries("throughput: 1 - on/off (median " + String.format(Locale.ROOT, "%+.2f %%", 100 * (1 - bps.median()))
                + ")", percent(bpsRatio, true), 60, -30, 30);
        JFreeChart chart = ChartFactory.createHistogram(title(), "overhead of policing in one pair of windows (%; "
                + "values beyond ±30 % in the end bins)", "pairs", data, PlotOrientation.VERTICAL, true, false, false);
        ((XYBarRenderer) chart.getXYPlot().getRenderer()).setBarPainter(new StandardXYBarPainter());
        chart.getXYPlot().setForegroundAlpha(0.6f);
        r.chart(chart);
        return r;
    }

    /** Each ratio as overhead in per cent. */
    private static double[] percent(double[] ratios, boolean lowerIsOverhead) {
        double[] p = new double[ratios.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = 100 * overhead(ratios[i], lowerIsOverhead);
        }
        return p;
    }

    /** "median +0.12 % (IQR -0.40..+0.61 %; 95.9 % interval -0.30..+0.52 %)": overhead in per cent. */
    private static String describe(PairedRatios.Summary s, boolean lowerIsOverhead) {
        String interval = s.hasInterval()
                ? String.format(Locale.ROOT, "%.1f %% interval %s %%", 100 * s.coverage(),
                        range(s.low(), s.high(), lowerIsOverhead))
                : "too few pairs for an interval";
        return String.format(Locale.ROOT, "median %+.2f %% (IQR %s %%; %s)", 100 * overhead(s.median(), lowerIsOverhead),
                range(s.q1(), s.q3(), lowerIsOverhead), interval);
    }

    /** The overhead a ratio on/off means: more CPU per PDU (ratio - 1), or less throughput (1 - ratio). */
    static double overhead(double ratio, boolean lowerIsOverhead) {
        return lowerIsOverhead ? 1 - ratio : ratio - 1;
    }

    /** A range of ratios as a range of overheads in per cent, low end first (for throughput the ends swap). */
    private static String range(double lowRatio, double highRatio, boolean lowerIsOverhead) {
        double a = 100 * overhead(lowRatio, lowerIsOverhead);
        double b = 100 * overhead(highRatio, lowerIsOverhead);
        return String.format(Locale.ROOT, "%+.2f..%+.2f", Math.min(a, b), Math.max(a, b));
    }

    private static String verdictText(PairedRatios.Summary s, boolean lowerIsOverhead) {
        String verdict = switch (s.verdict(TOLERANCE)) {
            case WITHIN -> "decided: within 1 %";
            case OUTSIDE -> s.median() < 1 == lowerIsOverhead
                    ? "decided: NOT within 1 % (policing costs more)"
                    : "decided: NOT within 1 %, with policing cheaper (a bias of the windows, not a cost)";
            case NOT_DECIDABLE -> "NOT DECIDABLE at this noise";
        };
        if (s.verdict(TOLERANCE) == PairedRatios.Verdict.NOT_DECIDABLE && s.hasInterval()) {
            // the one-sided question (does policing cost 1 % or more?) can be answered when the two-sided one is not
            double worst = Math.max(overhead(s.low(), lowerIsOverhead), overhead(s.high(), lowerIsOverhead));
            verdict += worst < TOLERANCE
                    ? String.format(Locale.ROOT, " (one-sided: an overhead of 1 %% or more is excluded, upper end %+.2f %%)",
                            100 * worst)
                    : String.format(Locale.ROOT, " (upper end %+.2f %%)", 100 * worst);
        }
        return describe(s, lowerIsOverhead) + "; " + verdict;
    }

    private static Window measure(Traffic.Counter reader, long windowMillis) throws InterruptedException {
        Sample a = sample(reader);
        // The window's length only, not a mechanism: counters, CPU times and the clock are sampled at both ends, and
        // the rate is computed from the sampled times, so a longer sleep changes nothing but the window.
        Thread.sleep(windowMillis);
        Sample b = sample(reader);
        long pdus = Math.max(1, b.sdus() - a.sdus());
        long cpu = 0;
        Map<String, Double> byName = new TreeMap<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        for (Map.Entry<Long, Long> e : b.threadCpuNanos().entrySet()) {
            // a thread started inside the window counts from 0; one that ended inside it is missed
            long used = e.getValue() - a.threadCpuNanos().getOrDefault(e.getKey(), 0L);
            cpu += used;
            if (used > 0) {
                ThreadInfo info = threads.getThreadInfo(e.getKey());
                String name = info == null ? "(ended)" : threadGroupName(info.getThreadName());
                byName.merge(name, (double) used / pdus, Double::sum);
            }
        }
        double bps = (b.bytes() - a.bytes()) * 8e9 / (b.nanos() - a.nanos());
        return new Window(bps, (double) cpu / pdus, (double) (b.processCpuNanos() - a.processCpuNanos()) / pdus, pdus,
                byName);
    }

    /** Thread names with their numbers folded ("pool-3-thread-7" and "pool-3-thread-8" are one line). */
    static String threadGroupName(String name) {
        return name.matches("atm-.*|lab-.*") ? name : name.replaceAll("\\d+", "#");
    }

    private static Sample sample(Traffic.Counter reader) {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        Map<Long, Long> byThread = new HashMap<>(ids.length * 2);
        for (long id : ids) {
            long cpu = threads.getThreadCpuTime(id);
            if (cpu >= 0) { // -1: ended meanwhile, or CPU time not measured
                byThread.put(id, cpu);
            }
        }
        return new Sample(System.nanoTime(), reader.sdus.get(), reader.bytes.get(), byThread, processCpuNanos());
    }

    /**
     * The JVM's process CPU time (every thread, GC and JIT included) through the platform MBean server, so the
     * bundle imports nothing outside java.* and javax.management; -1 if the JVM does not offer it.
     */
    private static long processCpuNanos() {
        try {
            Object v = ManagementFactory.getPlatformMBeanServer().getAttribute(
                    new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME), "ProcessCpuTime");
            return v instanceof Long l ? l : -1;
        } catch (JMException e) {
            return -1;
        }
    }

    private static double systemLoad() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }
}

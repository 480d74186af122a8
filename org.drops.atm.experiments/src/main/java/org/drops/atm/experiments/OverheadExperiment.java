package org.drops.atm.experiments;

import java.util.Locale;
import java.util.Map;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.ConnectionStatistics;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Issue 9, experiment 6 (paper §4: the overhead of the real-time extensions is "well below 1 %"): the throughput
 * of a connection with usage parameter control and policing active on both sides, against the same connection
 * with both switched off (core keys {@code transmit.policing} and {@code receive.policing}, changed on the
 * running connection). The contract is above what the path can carry, so policing never holds a PDU back and
 * only its cost shows: UBR with a peak rate of 50 million cells/s (21 Gbit/s, metered by the selected policy on
 * transmit and by the peak-rate GCRA on receive) on a memory link without line pacing, 8192-byte SDUs, a dumb
 * writer and a reader. On and off alternate in windows of equal length; the medians are compared, since the
 * machine is shared.
 */
final class OverheadExperiment implements Experiment {

    static final int SDU = 8192;
    static final int PCR_CELLS_PER_SECOND = 50_000_000;

    @Override
    public String name() {
        return "overhead";
    }

    @Override
    public String title() {
        return "Overhead of the real-time extensions: throughput with UPC and policing on vs off";
    }

    @Override
    public Result run(Lab lab, boolean full) throws Exception {
        long windowMillis = full ? 5_000 : 1_000;
        int pairs = full ? 10 : 5;
        String qos = "ubr:pcr=" + PCR_CELLS_PER_SECOND + ",sdu=" + SDU;
        double[] on = new double[pairs];
        double[] off = new double[pairs];
        long suspensions;
        long droppedNonConforming;
        String policy;
        try (Lab.Pair p = lab.memoryPair("unlimited");
                AtmSocket rx = lab.socket(qos, p.pvcB(100), false);
                AtmSocket tx = lab.socket(qos, p.pvcA(100), true)) {
            Traffic.Counter reader = Traffic.copyReader(rx, SDU);
            Traffic.Counter writer = Traffic.copyWriter(tx, SDU);
            reader.start();
            writer.start();
            try {
                reader.bytesPerSecondOver(500); // warm-up
                ConnectionStatistics tx0 = tx.statistics();
                ConnectionStatistics rx0 = rx.statistics();
                for (int i = 0; i < pairs; i++) {
                    // alternate which goes first, so a drift in the machine's load does not favour one side
                    boolean onFirst = i % 2 == 0;
                    for (boolean policing : onFirst ? new boolean[] {true, false} : new boolean[] {false, true}) {
                        lab.progress("overhead: pair %d of %d, policing %s, %d ms", i + 1, pairs, policing ? "on" : "off", windowMillis);
                        try (AutoCloseable c = lab.coreConfiguration(Map.of("transmit.policing", policing,
                                "receive.policing", policing), Map.of("transmit.policing", true, "receive.policing", true))) {
                            double bps = reader.bytesPerSecondOver(windowMillis) * 8;
                            (policing ? on : off)[i] = bps;
                        }
                    }
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
        }
        double medianOn = RateBlocks.median(on);
        double medianOff = RateBlocks.median(off);
        double ratio = medianOn / medianOff;
        Result r = new Result(name(), title());
        r.line("contract %s on an unpaced memory link; transmit policy %s; %d on/off pairs of %d ms", qos,
                policy.isEmpty() ? "(none)" : policy, pairs, windowMillis);
        r.line("");
        r.line("%-6s %16s %16s", "pair", "on (Mbit/s)", "off (Mbit/s)");
        r.csv("pair", "policing_on_mbit_s", "policing_off_mbit_s");
        for (int i = 0; i < pairs; i++) {
            r.line("%-6d %16.1f %16.1f", i + 1, on[i] / 1e6, off[i] / 1e6);
            r.csv(i + 1, on[i] / 1e6, off[i] / 1e6);
        }
        r.line("%-6s %16.1f %16.1f", "median", medianOn / 1e6, medianOff / 1e6);
        r.csv("median", medianOn / 1e6, medianOff / 1e6);
        r.line("");
        r.line("on / off = %.4f (%+.2f %%); spread of the off windows: %.1f..%.1f Mbit/s", ratio, 100 * (ratio - 1),
                RateBlocks.min(off) / 1e6, RateBlocks.max(off) / 1e6);
        r.check("throughput with policing within 1 % of without (medians)",
                String.format(Locale.ROOT, "%+.2f %%", 100 * (ratio - 1)), Math.abs(ratio - 1) < 0.01);
        r.bound("policing never held back or dropped a PDU of a contract above the path's capacity",
                suspensions + " suspensions, " + droppedNonConforming + " dropped as non-conforming",
                suspensions == 0 && droppedNonConforming == 0);
        // loose on purpose: at load average 15-20 from other builds the off windows alone spread over 0.54-1.0 x
        // their maximum (ExperimentsIT runs); what CI can tell is that policing does not throttle the path
        r.bound("with policing, at least 50 % of the throughput without (medians; windows of a shared 2-core "
                + "machine differ by up to half)", String.format(Locale.ROOT, "%.1f %%", 100 * ratio), ratio >= 0.5);
        r.note("Switching: ConfigAdmin updates of PID org.drops.atm.core, applied by the running server (modified) "
                + "before each window starts; the configuration is restored after each window.");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        for (int i = 0; i < pairs; i++) {
            data.addValue(on[i] / 1e6, "policing on", String.valueOf(i + 1));
            data.addValue(off[i] / 1e6, "policing off", String.valueOf(i + 1));
        }
        data.addValue(medianOn / 1e6, "policing on", "median");
        data.addValue(medianOff / 1e6, "policing off", "median");
        JFreeChart chart = ChartFactory.createBarChart(title(), "window pair", "received Mbit/s", data,
                PlotOrientation.VERTICAL, true, false, false);
        r.chart(chart);
        return r;
    }
}

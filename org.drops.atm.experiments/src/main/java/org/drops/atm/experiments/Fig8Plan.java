package org.drops.atm.experiments;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.drops.atm.api.qos.CellRates;

/**
 * The schedule of paper Figure 8 (§4.1, "Pre-scheduled writers"; its Figure 7 gives the schedule): four CBR
 * writers of 10, 20, 30 and 40 Mbit/s of 8192-byte SDUs and one UBR writer that runs throughout. Compressed from
 * the paper's 4 hours: first the UBR writer alone, then each CBR connection alone ("during the first 80 minutes,
 * the real-time connections ran separately"), then staggered starts until all four compete, staggered stops, and
 * the UBR writer alone again. Pure logic, so it is unit-tested.
 */
final class Fig8Plan {

    static final int SDU_BYTES = 8192;
    /** The CBR writers' requested SDU payload rates, Mbit/s (10⁶ bit/s). */
    static final int[] CBR_MBIT = {10, 20, 30, 40};

    /** Which CBR connections (indices into {@link #CBR_MBIT}) run in each phase; the UBR writer runs in all. */
    static final List<Set<Integer>> PHASES = List.of(
            Set.of(), // UBR alone
            Set.of(0), Set.of(1), Set.of(2), Set.of(3), // each CBR alone
            Set.of(3, 2), Set.of(3, 2, 1), Set.of(3, 2, 1, 0), // staggered starts: 40, +30, +20, +10 = 100 Mbit/s
            Set.of(2, 1, 0), Set.of(1, 0), Set.of(0), // staggered stops: the 40 first, then 30, then 20
            Set.of()); // UBR alone again

    private Fig8Plan() {
    }

    /** What changes at the start of phase {@code k}: CBR connections to stop, then to start. */
    record Change(Set<Integer> stop, Set<Integer> start) {
        boolean none() {
            return stop.isEmpty() && start.isEmpty();
        }
    }

    static Change changeAt(List<Set<Integer>> phases, int k) {
        Set<Integer> before = k == 0 ? Set.of() : phases.get(k - 1);
        Set<Integer> now = phases.get(k);
        Set<Integer> stop = new TreeSet<>(before);
        stop.removeAll(now);
        Set<Integer> start = new TreeSet<>(now);
        start.removeAll(before);
        return new Change(stop, start);
    }

    /** The cell rate a CBR writer reserves: its SDU rate in AAL5 cells, rounded up (as text2qos would state it). */
    static int pcr(int cbr) {
        return CellRates.aal5CellsPerSecond(CBR_MBIT[cbr] * 125_000L, SDU_BYTES);
    }

    /** Cells per second the guaranteed connections of a phase reserve. */
    static long reservedCells(Set<Integer> running) {
        long sum = 0;
        for (int c : running) {
            sum += pcr(c);
        }
        return sum;
    }

    /**
     * What is left for the UBR writer, in SDU payload bytes per second: the line's cells minus the cells the
     * running CBR connections reserve, carried as 8192-byte AAL5 SDUs (171 cells each). At OC-3 with no CBR this
     * is the AAL5 limit, 135.37 Mbit/s; with all four running, 35.4 Mbit/s.
     */
    static double leftoverBytesPerSecond(double lineCellsPerSecond, Set<Integer> running) {
        return CellRates.aal5SduBitsPerSecond(lineCellsPerSecond - reservedCells(running), SDU_BYTES) / 8;
    }

    /**
     * The adaptation time after a change at {@code changeNanos}: the end of the first sampling window
     * [s, s + window), s = change + i·step, in which the UBR writer received at least {@code share} of the new
     * leftover, minus the change instant; -1 if no such window starts before {@code untilNanos}.
     */
    static long adaptationNanos(SduLog ubr, long changeNanos, long untilNanos, long windowNanos, long stepNanos,
            double leftoverBytesPerSecond, double share) {
        for (long s = changeNanos; s + windowNanos <= untilNanos; s += stepNanos) {
            if (ubr.bytesPerSecond(s, s + windowNanos) >= share * leftoverBytesPerSecond) {
                return s + windowNanos - changeNanos;
            }
        }
        return -1;
    }

    /** Per-bin rates (bytes per second) of the SDUs in a set of logs, bins of {@code binNanos} from {@code t0}. */
    static double[] binned(List<SduLog> logs, long t0, long binNanos, int bins) {
        double[] rates = new double[bins];
        for (int b = 0; b < bins; b++) {
            long from = t0 + b * binNanos;
            long sum = 0;
            for (SduLog log : logs) {
                sum += log.bytesBetween(from, from + binNanos);
            }
            rates[b] = sum * 1e9 / binNanos;
        }
        return rates;
    }

    /** The short-mode bound below the requested rate, percent (lost intervals on a loaded machine). */
    static final double BELOW_BOUND_PERCENT = 5.0;

    /**
     * The short-mode bound above the requested rate over a window of whole intervals: the meter grants n credits in n
     * intervals, but a burst that was due before the window and came late (the loaded machine woke the worker late)
     * is counted in it, so the receiver can see up to one credit more, one interval over the window; plus 0.1 %.
     */
    static double aboveBoundPercent(long intervalNanos, long windowNanos) {
        return 100.0 * intervalNanos / windowNanos + 0.1;
    }

    static boolean withinBound(double errorPercent, double abovePercent) {
        return errorPercent >= -BELOW_BOUND_PERCENT && errorPercent <= abovePercent;
    }

    /** Every CBR connection that starts in the schedule, as (phase, connection) pairs, for the test. */
    static List<int[]> starts(List<Set<Integer>> phases) {
        List<int[]> out = new ArrayList<>();
        for (int k = 0; k < phases.size(); k++) {
            for (int c : changeAt(phases, k).start()) {
                out.add(new int[] {k, c});
            }
        }
        return out;
    }
}

package org.drops.atm.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.drops.atm.api.qos.CellRates;
import org.junit.jupiter.api.Test;

class Fig8PlanTest {

    private static final List<Set<Integer>> PHASES = Fig8Plan.PHASES;

    @Test
    void everyCbrRunsAloneAndAllFourCompeteOnce() {
        for (int c = 0; c < 4; c++) {
            assertTrue(PHASES.contains(Set.of(c)), "CBR " + Fig8Plan.CBR_MBIT[c] + " alone");
        }
        assertEquals(1, PHASES.stream().filter(p -> p.size() == 4).count());
        assertEquals(Set.of(), PHASES.get(0), "UBR alone first");
        assertEquals(Set.of(), PHASES.get(PHASES.size() - 1), "and last");
    }

    @Test
    void changesReplayTheSchedule() {
        Set<Integer> running = new HashSet<>();
        for (int k = 0; k < PHASES.size(); k++) {
            Fig8Plan.Change ch = Fig8Plan.changeAt(PHASES, k);
            assertTrue(running.containsAll(ch.stop()), "stops only what runs, phase " + k);
            running.removeAll(ch.stop());
            for (int c : ch.start()) {
                assertTrue(running.add(c), "starts only what does not run, phase " + k);
            }
            assertEquals(PHASES.get(k), running, "phase " + k);
            if (k > 0) {
                assertTrue(!ch.none(), "every boundary after the first changes something: phase " + k);
            }
        }
        // the competing part is staggered: one connection set up or torn down at a time
        for (int k = 5; k < PHASES.size(); k++) {
            Fig8Plan.Change ch = Fig8Plan.changeAt(PHASES, k);
            assertEquals(1, ch.stop().size() + ch.start().size(), "phase " + k);
        }
        assertEquals(4 + 3, Fig8Plan.starts(PHASES).size(), "4 alone + 3 staggered starts");
    }

    @Test
    void leftoverIsTheAal5PayloadOfTheUnreservedCells() {
        double line = CellRates.OC3_CELLS_PER_SECOND;
        assertEquals(135.37, Fig8Plan.leftoverBytesPerSecond(line, Set.of()) * 8 / 1e6, 0.01, "the AAL5 limit");
        assertEquals(26093, Fig8Plan.pcr(0)); // 1.25e6 B/s of 8192-byte SDUs, 171 cells each, rounded up
        assertEquals(104371, Fig8Plan.pcr(3));
        long all = Fig8Plan.reservedCells(Set.of(0, 1, 2, 3));
        assertTrue(all < line, "100 Mbit/s of CBR fits on OC-3");
        double left = Fig8Plan.leftoverBytesPerSecond(line, Set.of(0, 1, 2, 3)) * 8 / 1e6;
        assertEquals(135.37 - 100, left, 0.01, "the reserved cells carry the CBR rates, so what is left is the rest");
    }

    @Test
    void adaptationIsTheEndOfTheFirstWindowAtTheShare() {
        SduLog ubr = new SduLog();
        // 1e6 B/s (one 1000-B SDU per ms) for 300 ms, then 2e6 B/s
        long t = 0;
        for (; t < 300_000_000L; t += 1_000_000L) {
            ubr.add(t, 1000);
        }
        for (; t < 2_000_000_000L; t += 500_000L) {
            ubr.add(t, 1000);
        }
        long change = 100_000_000L;
        long adapt = Fig8Plan.adaptationNanos(ubr, change, 2_000_000_000L, 250_000_000L, 10_000_000L, 2e6, 0.95);
        // bytes in [s, s + 250 ms), s in ms between 50 and 300: 1000 (300 - s) + 2000 (s - 50) = 200000 + 1000 s;
        // >= 1.9e6 B/s x 0.25 s = 475000 from s = 275 ms: the first step at or after it is 280 ms
        assertEquals(280_000_000L + 250_000_000L - change, adapt);
        assertEquals(-1, Fig8Plan.adaptationNanos(ubr, change, 2_000_000_000L, 250_000_000L, 10_000_000L, 3e6, 0.95));
    }

    @Test
    void theShortModeBoundAllowsOneLateCreditAboveAndLostIntervalsBelow() {
        // CBR 20: 10 SDUs per 32.768 ms; 45 intervals make a 1.475-s window: one credit is 2.22 %
        double above = Fig8Plan.aboveBoundPercent(32_768_000L, 45 * 32_768_000L);
        assertEquals(100.0 / 45 + 0.1, above, 1e-9);
        assertTrue(Fig8Plan.withinBound(2.3, above));
        assertTrue(!Fig8Plan.withinBound(2.4, above));
        assertTrue(Fig8Plan.withinBound(-4.9, above));
        assertTrue(!Fig8Plan.withinBound(-5.1, above));
    }

    @Test
    void binsAddUpTheLogs() {
        SduLog a = new SduLog();
        SduLog b = new SduLog();
        a.add(100, 1000);
        b.add(1_500_000_000L, 500);
        double[] r = Fig8Plan.binned(List.of(a, b), 0, 1_000_000_000L, 2);
        assertEquals(1000, r[0], 1e-9);
        assertEquals(500, r[1], 1e-9);
    }
}

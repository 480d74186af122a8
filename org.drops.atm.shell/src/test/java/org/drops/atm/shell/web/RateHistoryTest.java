package org.drops.atm.shell.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.junit.jupiter.api.Test;

class RateHistoryTest {

    static ConnectionStatistics stats(String pvc, long bytes, long openedAtNanos) {
        return new ConnectionStatistics(PvcAddress.parse(pvc), Direction.TRANSMIT, Qos.parse("cbr:pcr=10000,sdu=8192"),
                "interval-credit", 0, 0, bytes / 8192, bytes, 0, 0, 0, 0, 0, 0, 0, 0, null, openedAtNanos);
    }

    @Test
    void eachPointIsTheRateBetweenTwoSamplesOfTheByteCounter() {
        RateHistory h = new RateHistory(60_000);
        long s = 1_000_000_000L;
        h.sample(10_000, 2 * s, List.of(stats("0.0.100", 1_000_000, s)));            // 1 MB in the first second
        h.sample(11_000, 3 * s, List.of(stats("0.0.100", 1_000_000 + 500_000, s)));  // 0.5 MB in the next
        RateHistory.Series series = h.snapshot().get(0);
        assertEquals(List.of(new RateHistory.Point(10_000, 8e6), new RateHistory.Point(11_000, 4e6)), List.copyOf(series.points));
        assertEquals(4e6, series.currentBitsPerSecond());
        assertEquals("pcr=10000 sdu=8192", series.contract);
        assertEquals(2, h.samples());
    }

    @Test
    void aClosedConnectionDropsToZeroAndLeavesWhenItsPointsLeaveTheWindow() {
        RateHistory h = new RateHistory(2_000);
        long s = 1_000_000_000L;
        h.sample(10_000, 2 * s, List.of(stats("0.0.100", 1000, s)));
        h.sample(11_000, 3 * s, List.of());
        RateHistory.Series closed = h.snapshot().get(0);
        assertFalse(closed.open);
        assertEquals(0, closed.points.peekLast().bitsPerSecond());
        h.sample(12_500, 4 * s, List.of());
        assertEquals(1, h.snapshot().size(), "still inside the window");
        h.sample(13_500, 5 * s, List.of());
        assertTrue(h.snapshot().isEmpty(), "gone once its last point left the window");
    }

    @Test
    void aReopenedPvcIsANewSeries() {
        RateHistory h = new RateHistory(60_000);
        long s = 1_000_000_000L;
        h.sample(10_000, 2 * s, List.of(stats("0.0.100", 1000, s)));
        h.sample(11_000, 3 * s, List.of(stats("0.0.100", 10, 2 * s + 1)));
        assertEquals(2, h.snapshot().size());
    }
}

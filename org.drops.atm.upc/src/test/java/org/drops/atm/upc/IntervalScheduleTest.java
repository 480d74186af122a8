package org.drops.atm.upc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class IntervalScheduleTest {

    /** ⌈k·C·10⁹/R⌉ computed with big integers: the definition the schedule must meet. */
    private static long exactStart(long start, long k, long credit, long rate) {
        BigInteger[] qr = BigInteger.valueOf(k).multiply(BigInteger.valueOf(credit)).multiply(BigInteger.valueOf(1_000_000_000L))
                .divideAndRemainder(BigInteger.valueOf(rate));
        return start + qr[0].longValueExact() + (qr[1].signum() == 0 ? 0 : 1);
    }

    @Property(tries = 300)
    void intervalStartsAreTheExactMultiplesOfTheIntervalRoundedUp(@ForAll @LongRange(min = 1, max = 100_000_000) long credit,
            @ForAll @IntRange(min = 1) int rate, @ForAll @LongRange(min = 0, max = 4_000_000_000L) long k,
            @ForAll @LongRange(min = -1L << 50, max = 1L << 50) long start) {
        IntervalSchedule s = new IntervalSchedule(start, credit, rate);
        // stay where the elapsed time fits a long (about 290 years)
        if (BigInteger.valueOf(k).multiply(BigInteger.valueOf(credit)).multiply(BigInteger.valueOf(1_000_000_000L))
                .divide(BigInteger.valueOf(rate)).bitLength() > 61) {
            return;
        }
        long startK = exactStart(start, k, credit, rate);
        assertEquals(startK, s.startOf(k));
        // the interval containing a time is the last one starting at or before it; intervals shorter than a
        // nanosecond (C < R/10^9, only at the very highest rates) can share a start and then the later one wins
        long index = s.indexOf(startK);
        assertEquals(startK, s.startOf(index));
        assertTrue(index >= k && s.startOf(index + 1) > startK, "the interval a start belongs to");
        if (credit * 1_000_000_000L >= rate) {
            assertEquals(k, index);
        }
        assertTrue(s.indexOf(startK - 1) < k, "the instant before a start");
    }

    @Test
    void steppingThroughAMillionIntervalsMeetsTheExactScheduleWithoutDrift() {
        // 1710 cells at 166993 cells/s: 10.2399...ms, never a whole number of nanoseconds
        IntervalSchedule s = new IntervalSchedule(123_456_789L, 1710, 166_993);
        long end = s.moveTo(123_456_789L);
        for (long k = 0; k < 1_000_000; k++) {
            assertEquals(exactStart(123_456_789L, k + 1, 1710, 166_993), end, "end of interval " + k);
            end = s.moveTo(end);
        }
        assertEquals(1_000_000, s.index());
    }

    @Test
    void aGapOfManyIntervalsLandsInTheIntervalContainingTheTime() {
        IntervalSchedule s = new IntervalSchedule(0, 860, 62_989);
        long later = exactStart(0, 987_654, 860, 62_989) + 5;
        long end = s.moveTo(later);
        assertEquals(987_654, s.index());
        assertEquals(exactStart(0, 987_655, 860, 62_989), end);
        assertEquals(exactStart(0, 987_654, 860, 62_989), s.currentStartNanos());
        assertEquals(end, s.nextStartAfter(later));
    }

    @Test
    void beforeTheStartThereIsNoInterval() {
        IntervalSchedule s = new IntervalSchedule(1_000, 10, 1_000_000);
        assertEquals(-1, s.indexOf(999));
        assertEquals(1_000, s.nextStartAfter(0));
        assertEquals(1_000, s.endNanos());
    }

    @Test
    void ratesAndCreditsOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new IntervalSchedule(0, 0, 100));
        assertThrows(IllegalArgumentException.class, () -> new IntervalSchedule(0, 10, 0));
        assertThrows(IllegalArgumentException.class, () -> new IntervalSchedule(0, 10, 1L << 31));
    }
}

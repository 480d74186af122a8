package org.drops.atm.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OnePointCdvTest {

    private static final long T = 1_000_000L;

    @Test
    void aPerfectlyPeriodicStreamHasNoVariation() {
        OnePointCdv cdv = new OnePointCdv(T);
        for (int k = 0; k < 1000; k++) {
            assertEquals(0, cdv.arrival(5_000_000L + k * T));
        }
    }

    @Test
    void aBurstIsEarlyByWhatEachSduGainsOnThePeriodAndTheGapAfterItEatsTheEarliness() {
        OnePointCdv cdv = new OnePointCdv(T);
        long spacing = 400_000L; // 10 SDUs at 0.4 T, then wait for the next interval of 10 T
        for (int interval = 0; interval < 5; interval++) {
            for (int i = 0; i < 10; i++) {
                long y = cdv.arrival(interval * 10 * T + i * spacing);
                assertEquals(i * (T - spacing), y, "SDU " + i + " of interval " + interval);
            }
        }
    }

    @Test
    void aLateSduCountsOnlyItsOwnGapAndResetsTheClock() {
        OnePointCdv cdv = new OnePointCdv(T);
        cdv.arrival(0);
        cdv.arrival(T);
        assertEquals(-300_000L, cdv.arrival(2 * T + 300_000L)); // 0.3 T late
        assertEquals(0, cdv.arrival(3 * T + 300_000L)); // one period after the late one: on time again
        assertEquals(100_000L, cdv.arrival(4 * T + 200_000L)); // early against the reset clock
    }

    /** The property the fixed-schedule lateness lacked: a slightly slow stream does not accumulate. */
    @Test
    void aStreamSlowerThanItsContractIsLateByTheExcessOfEachGapOnly() {
        OnePointCdv cdv = new OnePointCdv(T);
        long slowPeriod = T + 400; // 0.04 % slow: the old measure grew by 400 ns per SDU without end
        cdv.arrival(0);
        for (int k = 1; k < 100_000; k++) {
            assertEquals(-400, cdv.arrival(k * slowPeriod));
        }
    }

    /**
     * For any arrivals: y(k+1) = max(y(k), 0) + T - gap(k), so a value is never later than its own gap's excess
     * and never earlier than what the gaps since the last late arrival saved.
     */
    @Test
    void everyValueFollowsTheRecurrenceOfTheResetClock() {
        Random random = new Random(9);
        for (int run = 0; run < 200; run++) {
            OnePointCdv cdv = new OnePointCdv(T);
            long at = random.nextInt(1_000_000);
            long y = cdv.arrival(at);
            assertEquals(0, y, "the first arrival sets the clock");
            for (int k = 1; k < 500; k++) {
                long gap = (long) (random.nextDouble() * 2.5 * T);
                at += gap;
                long next = cdv.arrival(at);
                assertEquals(Math.max(y, 0) + T - gap, next, "run " + run + ", arrival " + k);
                assertTrue(next >= T - gap, "late by more than the gap's excess");
                y = next;
            }
        }
    }

    @Test
    void thePeriodMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new OnePointCdv(0));
    }
}

package org.drops.atm.upc.clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class CachedNanoClockTest {

    private final AtomicLong source = new AtomicLong(100);
    private final AtomicLong reads = new AtomicLong();
    private final CachedNanoClock clock = new CachedNanoClock(() -> {
        reads.incrementAndGet();
        return source.get();
    });

    @Test
    void theCachedTimeIsTheLastReadingAndReadingItDoesNotReadTheSource() {
        assertEquals(1, reads.get(), "read once on construction");
        source.set(250);
        assertEquals(100, clock.nanoTime());
        assertEquals(100, clock.nanoTime());
        assertEquals(1, reads.get());
        assertEquals(250, clock.update());
        assertEquals(250, clock.nanoTime());
        assertEquals(2, reads.get());
    }

    @Test
    void overTheSystemClockItNeverRunsAhead() {
        CachedNanoClock system = new CachedNanoClock();
        for (int i = 0; i < 1000; i++) {
            long cached = i % 3 == 0 ? system.update() : system.nanoTime();
            assertTrue(cached <= System.nanoTime());
        }
    }

    @Test
    void aSourceIsRequired() {
        assertThrows(IllegalArgumentException.class, () -> new CachedNanoClock(null));
    }
}

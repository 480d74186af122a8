package org.drops.atm.upc;

import org.drops.atm.api.policing.Meter;

/** Writers on a simulated clock: the meter is given the time, nothing sleeps. */
final class SimulatedWriter {

    private SimulatedWriter() {
    }

    /**
     * A "dumb" writer that offers PDUs of {@code cells} back to back and, when told to wait, waits exactly that
     * long (the worker's suspension); returns the cells that conformed at times in [start, start + duration).
     */
    static long greedy(Meter meter, long startNanos, long durationNanos, int cells) {
        long end = startNanos + durationNanos;
        long now = startNanos;
        long delivered = 0;
        while (now - end < 0) {
            long verdict = meter.conform(now, cells);
            if (verdict == Meter.CONFORMING) {
                delivered += cells;
            } else if (verdict == Meter.NEVER) {
                throw new AssertionError("a PDU of " + cells + " cells can never conform to " + meter);
            } else if (verdict < 0) {
                throw new AssertionError("negative wait " + verdict + " at " + now + " from " + meter);
            } else {
                now += verdict;
            }
        }
        return delivered;
    }

    /**
     * A writer offering a PDU every {@code spacingNanos} (exactly: PDU j at {@code first + ⌈j·spacing⌉}) for
     * {@code count} PDUs; returns how many were told to wait.
     */
    static long paced(Meter meter, long firstNanos, double spacingNanos, long count, int cells) {
        long delayed = 0;
        for (long j = 0; j < count; j++) {
            long now = firstNanos + (long) Math.ceil(j * spacingNanos);
            if (meter.conform(now, cells) != Meter.CONFORMING) {
                delayed++;
            }
        }
        return delayed;
    }
}

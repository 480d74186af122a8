package org.drops.atm.api.policing;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Usage parameter control for one connection and direction: decides whether a PDU conforms to the contract
 * now, or how long until it would.
 *
 * <p><b>Threading and cost</b>: a meter is used by one thread only (the connection's worker for transmit,
 * the pseudo-interrupt thread for receive), so it needs no synchronisation. {@link #conform} is on the data
 * path: it must not allocate, block, or read a clock; the caller passes the time, which also lets tests run
 * meters on a simulated clock. Times are {@link System#nanoTime()}-style nanoseconds.
 */
@ConsumerType
public interface Meter {

    /** {@link #conform} result: the PDU conforms and has been charged. */
    long CONFORMING = 0L;
    /** {@link #conform} result: the PDU can never conform (it is larger than the contract allows at once). */
    long NEVER = Long.MAX_VALUE;

    /**
     * Decides on a PDU of {@code cells} cells (AAL5 trailer and padding included) arriving at
     * {@code nowNanos}. If it conforms, charges it and returns {@link #CONFORMING}. Otherwise leaves the state
     * unchanged and returns the nanoseconds until it would conform (&gt; 0), or {@link #NEVER}.
     * {@code nowNanos} never decreases from one call to the next.
     *
     * <p>Threading: the meter's one thread. Blocking: never; no allocation, no clock reads.
     */
    long conform(long nowNanos, int cells);

    /**
     * The start of the next control interval after {@code nowNanos}: where the core may switch a running
     * connection to another policy without giving it extra credit. A policy without intervals returns
     * {@code nowNanos}. Threading: the meter's one thread. Blocking: never.
     */
    long nextIntervalStartNanos(long nowNanos);

    /** The control interval, or 0 if the policy has none. Threading: any thread (a constant). Blocking: never. */
    long intervalNanos();

    /**
     * The credit granted at each interval start in cells, or 0 if the policy has no intervals. Threading: any
     * thread (a constant). Blocking: never.
     */
    long creditCellsPerInterval();

    /**
     * The cells that would conform if offered at {@code nowNanos}, for display; no state changes. Threading:
     * the meter's one thread (a display from another thread may see a torn value). Blocking: never.
     */
    long availableCells(long nowNanos);
}

package org.drops.atm.upc.clock;

import org.drops.atm.api.policing.Meter;

/**
 * A meter together with the time-taking path the core uses: decide on the {@link CachedNanoClock}'s time;
 * when the answer is "wait", read the clock once more and decide again.
 *
 * <p>Why the second reading: the cached time can only lag, and a lagging time can only err towards "not yet"
 * (the credit of an interval that has already begun, a theoretical arrival time already reached). So a
 * "conforming" on the cached time needs no confirmation, and a "wait" is confirmed or corrected by one fresh
 * reading; the answered wait is then measured from a fresh time, exactly what the worker needs to suspend
 * itself. (While the fresh time is before the instant the meter named, that instant still holds: the meter's
 * answer is "the time until it would conform" and the refused PDU changed nothing, so no second decision is
 * needed.) A PDU is therefore never delayed (transmit) nor dropped (receive) because the time was stale, and the
 * clock is read once per batch plus once per non-conforming PDU, which is followed by a suspension anyway.
 *
 * <p>What a lag can still do: a PDU decided on a cached time that lies in interval k while the real time has
 * reached k+1 is charged to k's left-over credit. The decision is still exact for the time it was made at (the
 * batch's start); the lag is bounded by the batch, so the core bounds it by bounding its batches.
 *
 * <p>Threading: the clock's owning thread. Allocation: none.
 */
public final class ClockedMeter {

    private final Meter meter;
    private final CachedNanoClock clock;

    /** @param clock the clock of the thread that will use this meter (one clock may serve many meters) */
    public ClockedMeter(Meter meter, CachedNanoClock clock) {
        if (meter == null || clock == null) {
            throw new IllegalArgumentException("meter and clock are required");
        }
        this.meter = meter;
        this.clock = clock;
    }

    /**
     * {@link Meter#CONFORMING} (and the PDU is charged), {@link Meter#NEVER}, or the nanoseconds from
     * {@link CachedNanoClock#nanoTime()} (freshly updated) until the PDU would conform.
     */
    public long conform(int cells) {
        long cached = clock.nanoTime();
        long verdict = meter.conform(cached, cells);
        if (verdict == Meter.CONFORMING || verdict == Meter.NEVER) {
            return verdict;
        }
        long now = clock.update();
        // A refused PDU charged nothing, so the instant it conforms (cached + verdict) is fixed: before it, the
        // fresh answer is the rest of the wait without asking the meter again; at or after it, ask again.
        long remaining = cached + verdict - now;
        return remaining > 0 ? remaining : meter.conform(now, cells);
    }

    public Meter meter() {
        return meter;
    }

    public CachedNanoClock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "ClockedMeter[" + meter + "]";
    }
}

package org.drops.atm.upc.clock;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.LongSupplier;

/**
 * A {@link System#nanoTime()} read once and then reused: the owning thread calls {@link #update()} when it takes
 * a batch of PDUs (a worker waking up to drain its transmit ring, the pseudo-interrupt thread returning from a
 * blocking receive) and after every suspension, and passes {@link #nanoTime()} to each meter decision of the
 * batch. On this machine a {@code System.nanoTime()} costs about 24 ns, two thirds of what a whole rate limiter
 * decision costs; a cached read costs a load.
 *
 * <p><b>What it keeps exact.</b> The cached time is a real reading of the source and the source is monotonic, so
 * the cached time is never ahead of the real time: a meter fed with it never grants credit before the interval
 * (or the theoretical arrival time) it belongs to has begun. It may be behind by the time the batch has taken
 * so far; a decision then happens "at the batch's start", which is the same kind of lag the synchronous send
 * adds between any decision and the cells on the wire. Use {@link ClockedMeter} so that a lagging time can never
 * delay or drop a PDU: it reads the clock again before it believes a "wait".
 *
 * <p>The idea is Aeron's {@code CachedNanoClock}; here a cached value is written by its one owner only.
 *
 * <p>Threading: {@link #update()} by the owning thread only; {@link #nanoTime()} by any thread (a display sees
 * a recent value). Allocation: none.
 */
public final class CachedNanoClock {

    private static final VarHandle NANOS;

    static {
        try {
            NANOS = MethodHandles.lookup().findVarHandle(CachedNanoClock.class, "nanos", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final LongSupplier source;
    // accessed through NANOS: release store by the owner, acquire load by readers (plain moves on x86)
    @SuppressWarnings("unused")
    private long nanos;

    /** A clock over {@link System#nanoTime()}, read once now. */
    public CachedNanoClock() {
        this(System::nanoTime);
    }

    /**
     * A clock over {@code source}, read once now. The source must be monotonic (never decrease), as
     * {@link System#nanoTime()} is; tests pass a simulated clock.
     */
    public CachedNanoClock(LongSupplier source) {
        if (source == null) {
            throw new IllegalArgumentException("source must not be null");
        }
        this.source = source;
        NANOS.setRelease(this, source.getAsLong());
    }

    /** Reads the source, caches and returns the reading. Threading: the owning thread. */
    public long update() {
        long now = source.getAsLong();
        NANOS.setRelease(this, now);
        return now;
    }

    /** The time of the last {@link #update()}: never ahead of the source. Threading: any. */
    public long nanoTime() {
        return (long) NANOS.getAcquire(this);
    }

    @Override
    public String toString() {
        return "CachedNanoClock[" + nanoTime() + "]";
    }
}

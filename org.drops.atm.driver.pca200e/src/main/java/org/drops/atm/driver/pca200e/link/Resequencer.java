package org.drops.atm.driver.pca200e.link;

import java.nio.ByteBuffer;

/**
 * The UDP link's receive side puts sequenced datagrams back in order. ATM preserves cell order on a VC (I.150) and
 * a physical line never duplicates a cell, but UDP may reorder and duplicate datagrams: a datagram that whole PDUs
 * ride in would otherwise deliver them out of order or twice, each with a good CRC. So:
 * <ul>
 * <li>the next number is delivered at once, and with it any held datagrams that now follow in order;</li>
 * <li>a number ahead of the next (a gap) is held, up to {@link #SLOTS} numbers ahead, for at most the hold time,
 * waiting for the missing ones; when the hold time of the oldest held datagram is up, the gap is given up (its numbers
 * count as lost) and delivery goes on from the next held one;</li>
 * <li>a number already delivered or held (late after its gap was given up, or a duplicate) is refused and counted as
 * stale.</li>
 * </ul>
 * So the cells above the link are in order, some missing, as on a line; AAL5's CRC and length catch the PDUs that
 * lost cells. A gap adds at most the hold time to the delay of the datagrams behind it; with hold time 0 nothing is
 * held and a late datagram is refused at once.
 *
 * <p>Numbers are 32 bits and compare in serial arithmetic (RFC 1982), so they wrap. The peer starts at a random
 * number: a number far behind (more than {@link #STALE_WINDOW}) or far ahead (more than {@link #GAP_LIMIT}), or a
 * run of {@link #STALE_RUN_LIMIT} refusals in a row, means the peer restarted its sequence, and the link takes up
 * the new one (a resync) instead of refusing everything from then on. One thread (the link's receiver).
 */
public final class Resequencer {

    /** Where datagrams go, in order. */
    public interface Output {
        /** Cells of an accepted datagram, in sequence order: {@code cells} cells from absolute {@code offset}. */
        void deliver(ByteBuffer datagram, int offset, int cells);

        /** The sequence skipped {@code count} numbers: datagrams that never arrived in time. */
        void lost(long count);

        /** A datagram of {@code bytes} came too late or twice and was refused. */
        void stale(int bytes);
    }

    /** Datagrams held at most, and so the furthest a number may be ahead and still be held. */
    public static final int SLOTS = 64;
    /** Numbers at most this far behind the next one are refused as late or duplicate. */
    public static final int STALE_WINDOW = 4096;
    /** Numbers further ahead than this are a restarted peer, not a gap of lost datagrams. */
    public static final int GAP_LIMIT = 1 << 20;
    /** After this many refused datagrams in a row, the next one resyncs (a peer restarted just behind). */
    public static final int STALE_RUN_LIMIT = 64;

    private final long holdNanos;
    private final int headerBytes;
    private final int cellBytes;
    private final ByteBuffer[] slot = new ByteBuffer[SLOTS];
    private final int[] slotBytes = new int[SLOTS];
    private final long[] slotArrived = new long[SLOTS];
    private final boolean[] slotUsed = new boolean[SLOTS];
    private final int slotCapacity;
    private int heldCount;

    private boolean synced;
    private int last; // the last number delivered or given up
    private int staleRun;
    private long lost;
    private long stale;
    private long resyncs;
    private long heldTotal;

    /**
     * @param holdNanos    how long a datagram behind a gap is held waiting for the gap to fill (0: never held)
     * @param headerBytes  bytes before the cells in a datagram
     * @param cellBytes    bytes of a cell
     * @param maxDatagram  the largest datagram, in bytes
     */
    public Resequencer(long holdNanos, int headerBytes, int cellBytes, int maxDatagram) {
        if (holdNanos < 0) {
            throw new IllegalArgumentException("hold time must not be negative: " + holdNanos + " ns");
        }
        this.holdNanos = holdNanos;
        this.headerBytes = headerBytes;
        this.cellBytes = cellBytes;
        this.slotCapacity = maxDatagram;
    }

    /**
     * A sequenced datagram arrived: {@code bytes} bytes from position 0 of {@code datagram} (header included). It is
     * delivered, held (copied: the caller may reuse the buffer) or refused.
     */
    public void offer(int sequence, ByteBuffer datagram, int bytes, long now, Output out) {
        if (!synced) {
            synced = true;
            last = sequence;
            deliver(datagram, bytes, out);
            return;
        }
        int ahead = sequence - last; // serial arithmetic: wraps
        if (ahead == 1) {
            staleRun = 0;
            last = sequence;
            deliver(datagram, bytes, out);
            drain(out);
            return;
        }
        if (ahead > 1 && ahead <= SLOTS && holdNanos > 0) {
            int i = index(sequence);
            if (slotUsed[i]) {
                refuse(bytes, out); // a duplicate of one held
                return;
            }
            staleRun = 0;
            hold(i, datagram, bytes, now);
            return;
        }
        if (ahead > 1 && ahead <= GAP_LIMIT) {
            // too far ahead to hold (or no holding): give up everything up to it
            staleRun = 0;
            flushBefore(sequence, out);
            skipTo(sequence, out);
            last = sequence;
            deliver(datagram, bytes, out);
            drain(out);
            return;
        }
        if (ahead <= 0 && ahead > -STALE_WINDOW && staleRun < STALE_RUN_LIMIT) {
            staleRun++;
            refuse(bytes, out);
            return;
        }
        // a restarted peer: what is held belongs to the old sequence and goes first, in order
        resyncs++;
        staleRun = 0;
        flushAll(out);
        last = sequence;
        deliver(datagram, bytes, out);
    }

    /** When the oldest held datagram's hold time is up, in {@link System#nanoTime()} terms; Long.MAX_VALUE if none. */
    public long deadline() {
        if (heldCount == 0) {
            return Long.MAX_VALUE;
        }
        long oldest = Long.MAX_VALUE;
        boolean found = false;
        for (int k = 1; k <= SLOTS; k++) {
            int i = index(last + k);
            if (slotUsed[i] && (!found || slotArrived[i] - oldest < 0)) {
                oldest = slotArrived[i];
                found = true;
            }
        }
        return oldest + holdNanos;
    }

    /** Gives up the gaps whose held datagrams waited their hold time, delivering what follows them in order. */
    public void expire(long now, Output out) {
        while (heldCount > 0 && now - deadline() >= 0) {
            int next = firstHeld();
            skipTo(next, out);
            drain(out);
        }
    }

    private int firstHeld() {
        for (int k = 1; k <= SLOTS; k++) {
            if (slotUsed[index(last + k)]) {
                return last + k;
            }
        }
        throw new IllegalStateException("nothing held");
    }

    /** Counts the numbers between the last and {@code sequence} (exclusive) as lost and moves past them. */
    private void skipTo(int sequence, Output out) {
        long skipped = (sequence - last) - 1L;
        if (skipped > 0) {
            lost += skipped;
            out.lost(skipped);
        }
        last = sequence - 1;
    }

    /** Delivers the held datagrams that follow the last in order. */
    private void drain(Output out) {
        while (heldCount > 0) {
            int i = index(last + 1);
            if (!slotUsed[i]) {
                return;
            }
            last++;
            release(i, out);
        }
    }

    /** Delivers every held datagram numbered before {@code sequence}, in order, giving up the gaps between them. */
    private void flushBefore(int sequence, Output out) {
        while (heldCount > 0) {
            int next = firstHeld();
            if (next - sequence >= 0) {
                return;
            }
            skipTo(next, out);
            drain(out);
        }
    }

    private void flushAll(Output out) {
        while (heldCount > 0) {
            skipTo(firstHeld(), out);
            drain(out);
        }
    }

    private void hold(int i, ByteBuffer datagram, int bytes, long now) {
        ByteBuffer s = slot[i];
        if (s == null) {
            s = slot[i] = ByteBuffer.allocateDirect(slotCapacity);
        }
        s.clear();
        s.put(datagram.duplicate().limit(bytes).position(0)).flip();
        slotBytes[i] = bytes;
        slotArrived[i] = now;
        slotUsed[i] = true;
        heldCount++;
        heldTotal++;
    }

    private void release(int i, Output out) {
        slotUsed[i] = false;
        heldCount--;
        deliver(slot[i], slotBytes[i], out);
    }

    private void deliver(ByteBuffer datagram, int bytes, Output out) {
        out.deliver(datagram, headerBytes, (bytes - headerBytes) / cellBytes);
    }

    private void refuse(int bytes, Output out) {
        stale++;
        out.stale(bytes);
    }

    private static int index(int sequence) {
        return Math.floorMod(sequence, SLOTS);
    }

    /** Numbers given up: datagrams lost on the way, or that came after their gap was given up. */
    public long lost() {
        return lost;
    }

    /** Datagrams refused because they came late or twice. */
    public long stale() {
        return stale;
    }

    /** Times the peer's sequence was taken up afresh. */
    public long resyncs() {
        return resyncs;
    }

    /** Datagrams that were held behind a gap (and later delivered, or still held). */
    public long heldTotal() {
        return heldTotal;
    }

    /** Datagrams held now. */
    public int held() {
        return heldCount;
    }
}

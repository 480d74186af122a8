package org.drops.atm.driver.pca200e.link;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The UDP link's resequencing: in order delivered, gaps held then given up, late and duplicate refused, restarts. */
class ResequencerTest {

    static final long HOLD = 5_000_000L;

    /** Records what comes out: the first payload byte of each delivered datagram (its number mod 256). */
    static final class Recorder implements Resequencer.Output {
        final List<Integer> delivered = new ArrayList<>();
        long lost;
        long stale;

        @Override
        public void deliver(ByteBuffer datagram, int offset, int cells) {
            assertEquals(1, cells);
            delivered.add(datagram.getInt(offset));
        }

        @Override
        public void lost(long count) {
            lost += count;
        }

        @Override
        public void stale(int bytes) {
            stale++;
        }
    }

    static void offer(Resequencer r, int sequence, long now, Recorder out) {
        ByteBuffer d = ByteBuffer.allocate(8 + 53);
        d.putInt(0, UdpLink.SEQUENCE_MAGIC).putInt(4, sequence).putInt(8, sequence);
        r.offer(sequence, d, d.capacity(), now, out);
    }

    static Resequencer resequencer(long hold) {
        return new Resequencer(hold, 8, 53, 8 + 53);
    }

    @Test
    void reorderedDatagramsComeOutInOrderAndDuplicatesAreRefused() {
        Resequencer r = resequencer(HOLD);
        Recorder out = new Recorder();
        for (int n : new int[] {10, 12, 11, 11, 14, 13, 12}) {
            offer(r, n, 0, out);
        }
        assertEquals(List.of(10, 11, 12, 13, 14), out.delivered);
        assertEquals(2, out.stale, "11 twice, 12 twice");
        assertEquals(0, out.lost);
        assertEquals(Long.MAX_VALUE, r.deadline(), "nothing held");
    }

    @Test
    void aGapIsGivenUpWhenTheHoldTimeIsUpAndALateDatagramIsThenRefused() {
        Resequencer r = resequencer(HOLD);
        Recorder out = new Recorder();
        offer(r, 1, 0, out);
        offer(r, 3, 1_000_000, out);
        offer(r, 4, 2_000_000, out);
        assertEquals(List.of(1), out.delivered, "3 and 4 wait for 2");
        assertEquals(1_000_000 + HOLD, r.deadline());
        r.expire(1_000_000 + HOLD - 1, out);
        assertEquals(List.of(1), out.delivered, "not yet");
        r.expire(1_000_000 + HOLD, out);
        assertEquals(List.of(1, 3, 4), out.delivered);
        assertEquals(1, out.lost, "2 given up");
        offer(r, 2, 9_000_000, out);
        assertEquals(1, out.stale, "2 came after its gap was given up");
        assertEquals(List.of(1, 3, 4), out.delivered);
    }

    @Test
    void withoutHoldingALateDatagramIsRefusedAtOnce() {
        Resequencer r = resequencer(0);
        Recorder out = new Recorder();
        for (int n : new int[] {0, 1, 1, 3, 2}) {
            offer(r, n, 0, out);
        }
        assertEquals(List.of(0, 1, 3), out.delivered);
        assertEquals(2, out.stale);
        assertEquals(1, out.lost);
    }

    @Test
    void aNumberFurtherAheadThanTheSlotsFlushesWhatIsHeldInOrder() {
        Resequencer r = resequencer(HOLD);
        Recorder out = new Recorder();
        offer(r, 0, 0, out);
        offer(r, 2, 0, out);
        offer(r, 3, 0, out);
        offer(r, 2 + Resequencer.SLOTS + 5, 0, out);
        assertEquals(List.of(0, 2, 3, 2 + Resequencer.SLOTS + 5), out.delivered);
        assertEquals(1 + (Resequencer.SLOTS + 3), out.lost, "1, and 4 .. SLOTS+6");
    }

    @Test
    void numbersWrapInSerialArithmetic() {
        Resequencer r = resequencer(HOLD);
        Recorder out = new Recorder();
        offer(r, Integer.MAX_VALUE - 1, 0, out);
        offer(r, Integer.MIN_VALUE, 0, out);
        offer(r, Integer.MAX_VALUE, 0, out);
        offer(r, Integer.MAX_VALUE, 0, out);
        assertEquals(List.of(Integer.MAX_VALUE - 1, Integer.MAX_VALUE, Integer.MIN_VALUE), out.delivered);
        assertEquals(1, out.stale);
        assertEquals(0, r.resyncs());
    }

    @Test
    void aPeerThatRestartedItsSequenceIsTakenUpNotRefusedForever() {
        Resequencer far = resequencer(HOLD);
        Recorder out = new Recorder();
        offer(far, 1_000_000_000, 0, out);
        offer(far, 5, 0, out);
        offer(far, 6, 0, out);
        offer(far, 6 + Resequencer.GAP_LIMIT + 1, 0, out);
        assertEquals(4, out.delivered.size());
        assertEquals(2, far.resyncs(), "far behind, then far ahead: restarts, not a million lost");
        assertEquals(0, out.lost);

        Resequencer near = resequencer(HOLD);
        Recorder o = new Recorder();
        offer(near, 1000, 0, o);
        for (int n = 900; n < 900 + 2 * Resequencer.STALE_RUN_LIMIT; n++) {
            offer(near, n, 0, o);
        }
        assertEquals(Resequencer.STALE_RUN_LIMIT, o.stale, "a run of refusals ends in a resync");
        assertEquals(1, near.resyncs());
        assertEquals(1 + Resequencer.STALE_RUN_LIMIT, o.delivered.size(), "then the new sequence is delivered");
    }
}

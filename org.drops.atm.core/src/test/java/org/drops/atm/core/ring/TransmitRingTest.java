package org.drops.atm.core.ring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TransmitRingTest {

    private static final long SECOND = 1_000_000_000L;

    /** Fills the ring and returns a writer blocked in claim (its future completes with the slot it got). */
    private static CompletableFuture<Integer> blockedWriter(TransmitRing ring) throws Exception {
        for (int i = 0; i < ring.slotCount(); i++) {
            int index = ring.claim(SECOND);
            ring.commit(index, 1);
        }
        CompletableFuture<Integer> writer = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                writer.complete(ring.claim(10 * SECOND));
            } catch (Exception e) {
                writer.completeExceptionally(e);
            }
        }, "test-writer");
        t.setDaemon(true);
        t.start();
        // the writer must have found the ring full and gone to sleep before the test frees slots
        long deadline = System.nanoTime() + 5 * SECOND;
        while (t.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.TIMED_WAITING, t.getState(), "the writer sleeps on the full ring");
        return writer;
    }

    private static void sendOne(TransmitRing ring) throws Exception {
        long entry = ring.nextCommitted(SECOND);
        ring.sent(IndexQueue.index(entry));
    }

    @Test
    void aWriterWokenAtHalfTheRingSleepsThroughTheFirstFreedSlotAndGetsOneOnceHalfIsFree() throws Exception {
        TransmitRing ring = new TransmitRing(8, 16, "best effort", 4);
        CompletableFuture<Integer> writer = blockedWriter(ring);
        for (int i = 0; i < 3; i++) {
            sendOne(ring);
        }
        // Three slots free, the writer asked for four: it must still be asleep. (Waiting here shows an absence;
        // the presence below is awaited on the future itself.)
        assertThrows(java.util.concurrent.TimeoutException.class, () -> writer.get(200, TimeUnit.MILLISECONDS));
        sendOne(ring);
        int index = writer.get(5, TimeUnit.SECONDS);
        assertTrue(index >= 0 && index < 8);
    }

    @Test
    void aWriterWokenAtOneFreeSlotGetsTheFirstFreedSlot() throws Exception {
        TransmitRing ring = new TransmitRing(8, 16, "guaranteed"); // the default: woken at once
        CompletableFuture<Integer> writer = blockedWriter(ring);
        assertFalse(writer.isDone());
        sendOne(ring);
        assertEquals(0, writer.get(5, TimeUnit.SECONDS), "the first slot committed is the first freed");
    }

    @Test
    void theWakeSizeMustFitTheRing() {
        assertThrows(IllegalArgumentException.class, () -> new TransmitRing(4, 16, "x", 0));
        assertThrows(IllegalArgumentException.class, () -> new TransmitRing(4, 16, "x", 5));
    }
}

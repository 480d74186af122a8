package org.drops.atm.socket;

import java.nio.ByteBuffer;
import org.drops.atm.api.RxView;
import org.drops.atm.api.server.RxRing;

/**
 * The view handle of one receive of a receive ring slot. A new handle per receive: one handle per slot, lent
 * again at each receive, let a stale handle's second release() (documented as harmless) release the slot's next
 * receive while its reader still held it (issue 10, hostile input).
 */
final class RxViewImpl implements RxView {

    private final RxRing ring;
    private final int index;
    private volatile boolean lent = true;

    RxViewImpl(RxRing ring, int index) {
        this.ring = ring;
        this.index = index;
        ring.slot(index).clear().limit(ring.length(index));
    }

    private void check(String call) {
        if (!lent) {
            throw new IllegalStateException(call + ": this view was released; receive another");
        }
    }

    @Override
    public ByteBuffer buffer() {
        check("buffer");
        return ring.slot(index);
    }

    @Override
    public int length() {
        check("length");
        return ring.length(index);
    }

    @Override
    public long receivedAtNanos() {
        check("receivedAtNanos");
        return ring.receivedAtNanos(index);
    }

    @Override
    public void release() {
        if (lent) {
            lent = false;
            ring.release(index);
        }
    }
}

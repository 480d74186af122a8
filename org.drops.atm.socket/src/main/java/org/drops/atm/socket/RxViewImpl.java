package org.drops.atm.socket;

import java.nio.ByteBuffer;
import org.drops.atm.api.RxView;
import org.drops.atm.api.server.RxRing;

/** The view handle of one receive ring slot; one per slot, lent out at each receive. */
final class RxViewImpl implements RxView {

    private final RxRing ring;
    private final int index;
    private volatile boolean lent;

    RxViewImpl(RxRing ring, int index) {
        this.ring = ring;
        this.index = index;
    }

    RxViewImpl lend() {
        ring.slot(index).clear().limit(ring.length(index));
        lent = true;
        return this;
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

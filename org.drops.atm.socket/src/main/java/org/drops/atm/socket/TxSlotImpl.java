package org.drops.atm.socket;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.drops.atm.api.TxSlot;
import org.drops.atm.api.server.TxRing;

/**
 * The zero-copy handle of one claim of a transmit ring slot. A new handle per claim: one handle per slot, lent
 * again at each claim, let a stale handle (committed, kept, committed again) commit or abort the slot's next
 * claim, someone else's SDU (issue 10, hostile input).
 */
final class TxSlotImpl implements TxSlot {

    private final TxRing ring;
    private final int index;
    private volatile boolean lent = true;

    TxSlotImpl(TxRing ring, int index) {
        this.ring = ring;
        this.index = index;
    }

    private void check(String call) {
        if (!lent) {
            throw new IllegalStateException(call + ": this slot was committed or aborted already; claim another");
        }
    }

    @Override
    public ByteBuffer buffer() {
        check("buffer");
        return ring.slot(index);
    }

    @Override
    public void commit(int lengthBytes) throws IOException {
        check("commit");
        if (lengthBytes < 0 || lengthBytes > ring.slotBytes()) {
            throw new IllegalArgumentException("commit: length " + lengthBytes + " is outside 0..max_sdu " + ring.slotBytes());
        }
        lent = false;
        ring.commit(index, lengthBytes);
    }

    @Override
    public void abort() {
        if (lent) {
            lent = false;
            ring.abort(index);
        }
    }
}

package org.drops.atm.core.ring;

import java.nio.ByteBuffer;

/** Ring slots: one block of direct memory cut into equal slices, each an independent buffer. */
final class Slots {

    private Slots() {
    }

    static ByteBuffer[] allocate(int count, int slotBytes) {
        if (count < 1) {
            throw new IllegalArgumentException("a ring needs at least one slot, not " + count);
        }
        // A zero-byte slot still gets capacity 1 so every slot is a distinct region.
        int stride = Math.max(1, slotBytes);
        ByteBuffer block = ByteBuffer.allocateDirect(Math.multiplyExact(count, stride));
        ByteBuffer[] slots = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            slots[i] = block.slice(i * stride, slotBytes);
        }
        return slots;
    }
}

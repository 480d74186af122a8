package org.drops.atm.linuxbridge.libc;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;

/** Native addresses of direct buffers. */
public final class DirectMemory {

    private DirectMemory() {
    }

    /**
     * The address of the buffer's first byte (index 0, not its position). The caller keeps the buffer reachable
     * while the address is in use.
     *
     * @throws IllegalArgumentException if the buffer is not direct
     */
    public static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer: " + direct);
        }
        return Pointer.nativeValue(Native.getDirectBufferPointer(direct));
    }
}

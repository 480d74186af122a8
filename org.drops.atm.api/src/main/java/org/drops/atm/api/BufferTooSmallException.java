package org.drops.atm.api;

/**
 * The buffer passed to {@link AtmSocket#read} cannot hold the next SDU. Nothing is lost: the SDU stays at
 * the head of the receive queue, and a read with a buffer of at least {@link #requiredBytes()} bytes gets it.
 */
public class BufferTooSmallException extends AtmException {
    private static final long serialVersionUID = 1L;

    private final int requiredBytes;
    private final int availableBytes;

    /**
     * @param requiredBytes  the size of the waiting SDU
     * @param availableBytes the room the caller's buffer had
     */
    public BufferTooSmallException(int requiredBytes, int availableBytes) {
        super("read: the next SDU has " + requiredBytes + " bytes but the buffer has room for " + availableBytes
                + "; the SDU stays queued");
        this.requiredBytes = requiredBytes;
        this.availableBytes = availableBytes;
    }

    /** The size of the waiting SDU. */
    public int requiredBytes() {
        return requiredBytes;
    }

    /** The room the caller's buffer had. */
    public int availableBytes() {
        return availableBytes;
    }
}

package org.drops.atm.driver.pca200e.link;

import java.nio.ByteBuffer;

/**
 * The memory link: interfaces of one JVM joined back to back by a named {@link MemoryWire}, or looped back to
 * themselves. The transmitting line thread runs the receiving interface's sink directly (the "wire" has no
 * delay of its own; the line pacing of the sender is the wire's timing).
 */
public final class MemoryLink implements Link {

    /** Cells per transmit call: bounds the time the sender's line thread spends in the receiver's sink. */
    public static final int DEFAULT_MAX_CELLS_PER_TRANSMIT = 64;
    /**
     * Cells per transmit call on an unpaced line: up to 24 PDUs of 8 KiB, one receive wake-up for them (the line
     * thread also keeps each batch to half its transmit FIFO, so the sender fills the other half meanwhile).
     */
    public static final int UNPACED_MAX_CELLS_PER_TRANSMIT = 4096;

    private final String owner;
    private final String wireName;
    private final boolean loopback;
    private final int maxCellsPerTransmit;
    private MemoryWire wire;
    private volatile CellSink sink;

    /**
     * @param owner    the owning interface, for messages
     * @param wireName the wire to attach to (ignored for loopback)
     * @param loopback true to receive one's own cells instead of joining a wire
     */
    public MemoryLink(String owner, String wireName, boolean loopback, int maxCellsPerTransmit) {
        if (!loopback && (wireName == null || wireName.isBlank())) {
            throw new IllegalArgumentException("memory.wire: a wire name is required unless loopback is set");
        }
        if (maxCellsPerTransmit < 1) {
            throw new IllegalArgumentException("maxCellsPerTransmit must be positive: " + maxCellsPerTransmit);
        }
        this.owner = owner;
        this.wireName = wireName;
        this.loopback = loopback;
        this.maxCellsPerTransmit = maxCellsPerTransmit;
    }

    @Override
    public void start(CellSink sink) {
        this.sink = sink;
        if (!loopback) {
            wire = MemoryWire.attach(wireName, this);
        }
    }

    @Override
    public boolean transmit(ByteBuffer cells, int offset, int cellCount) {
        MemoryLink peer = loopback ? this : (wire == null ? null : wire.peerOf(this));
        CellSink target = peer == null ? null : peer.sink;
        if (target == null) {
            return false;
        }
        target.onCells(cells, offset, cellCount);
        return true;
    }

    @Override
    public int maxCellsPerTransmit() {
        return maxCellsPerTransmit;
    }

    @Override
    public int maxCellsPerUnpacedTransmit() {
        return Math.max(maxCellsPerTransmit, UNPACED_MAX_CELLS_PER_TRANSMIT);
    }

    @Override
    public String describe() {
        return loopback ? "memory (loopback)" : "memory wire \"" + wireName + "\"";
    }

    String owner() {
        return owner;
    }

    @Override
    public synchronized void close() {
        sink = null;
        if (wire != null) {
            MemoryWire.detach(wire, this);
            wire = null;
        }
    }
}

package org.drops.atm.driver.pca200e.link;

import java.nio.ByteBuffer;

/**
 * The receive side of an interface, as a link sees it: where arriving cells go. A link calls it from one
 * thread at a time (the wire's delivering thread); the sink must not keep the buffer after returning.
 */
public interface CellSink {

    /**
     * Whole 53-byte cells arrived back to back: {@code cellCount} cells from absolute {@code offset}. The sink may
     * modify the bytes (HEC correction happens in place).
     */
    void onCells(ByteBuffer cells, int offset, int cellCount);

    /**
     * A datagram of whole cells arrived from the peer (UDP link): as {@link #onCells}, and the datagram is counted
     * in {@code datagramsIn}. Links without datagrams call {@link #onCells} instead.
     */
    default void onCellDatagram(ByteBuffer cells, int offset, int cellCount) {
        onCells(cells, offset, cellCount);
    }

    /** A datagram that is not a whole number of cells (or is empty) arrived from the peer and was dropped. */
    void onMalformedDatagram(int bytes);

    /** A datagram arrived from an address other than the configured peer and was dropped. */
    void onForeignDatagram(int bytes);

    /**
     * A sequenced datagram from the peer came twice, or after its gap was given up, and was dropped, so that cells
     * above the link are never reordered or duplicated (UDP link, {@link Resequencer}).
     */
    default void onStaleDatagram(int bytes) {
    }

    /** The peer's datagram sequence skipped {@code count} numbers: datagrams lost on the way, or too late. */
    default void onLostDatagrams(long count) {
    }
}

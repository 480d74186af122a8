package org.drops.atm.driver.pca200e.nic;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.drops.atm.driver.pca200e.link.CellSink;
import org.drops.atm.driver.pca200e.link.Link;

/** A link for tests: keeps every transmitted cell and lets a test inject cells into the receive side. */
final class CapturingLink implements Link {

    final List<byte[]> transmitted = new ArrayList<>();
    volatile CellSink sink;
    private final boolean capture;

    CapturingLink(boolean capture) {
        this.capture = capture;
    }

    @Override
    public void start(CellSink sink) {
        this.sink = sink;
    }

    @Override
    public synchronized boolean transmit(ByteBuffer cells, int offset, int cellCount) {
        if (capture) {
            for (int i = 0; i < cellCount; i++) {
                byte[] cell = new byte[53];
                cells.get(offset + i * 53, cell);
                transmitted.add(cell);
            }
        }
        return true;
    }

    synchronized List<byte[]> transmittedCells() {
        return new ArrayList<>(transmitted);
    }

    @Override
    public int maxCellsPerTransmit() {
        return 32;
    }

    @Override
    public String describe() {
        return "capture";
    }

    @Override
    public void close() {
        sink = null;
    }
}

package org.drops.atm.driver.pca200e.nic;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.drops.atm.api.device.VcService;
import org.drops.atm.driver.pca200e.aal5.Reassembler;
import org.drops.atm.driver.pca200e.cell.CellHeader;
import org.drops.atm.driver.pca200e.cell.CellLayout;
import org.drops.atm.driver.pca200e.cell.HecReceiver;
import org.drops.atm.driver.pca200e.link.CellSink;

/**
 * The card's receive side: HEC check and correction (I.432), VC lookup, AAL5 reassembly into a buffer of the
 * VC's pool, and hand-over of completed PDUs. Early discard (paper §2.6): a PDU whose pool is empty is dropped
 * at its first cell, and its remaining cells are skipped without touching any buffer, so a flood on a
 * best-effort VC never costs a guaranteed VC a buffer.
 *
 * <p>Every cell that arrives is accounted for exactly once: delivered in a PDU, dropped for a counted reason,
 * or (for the moment) in reassembly. One link thread delivers at a time; the lock also serialises the
 * timeout sweep and statistics snapshots, and costs one uncontended acquisition per batch of cells.
 */
final class ReceiveEngine implements CellSink {

    final ReentrantLock lock = new ReentrantLock();
    private final VcTable vcs;
    private final BufferPool guaranteedPool;
    private final BufferPool bestEffortPool;
    private final ReceiveQueue queue;
    private final long timeoutNanos;
    private final HecReceiver hec = new HecReceiver();

    // Counters, guarded by lock.
    long cellsIn;
    long pdusIn;
    long cellsInDeliveredPdus;
    long droppedCells;
    long idleCells;
    long unknownVcCells;
    long oamCells;
    long crcErrors;
    long lengthErrors;
    long oversizeDrops;
    long timeoutDrops;
    long guaranteedPoolDrops;
    long bestEffortPoolDrops;
    long malformedDatagrams;
    long foreignDatagrams;
    /** UDP link datagrams received: whole-cell ones from the peer + malformed + foreign + stale. */
    long datagramsIn;
    long staleDatagrams;
    long lostDatagrams;
    long cellsInReassembly;

    private final Taps taps;
    /** The VC whose PDU the cell just handled continued (valid header, appended, not the end), else null. */
    private Channel runVc;

    ReceiveEngine(VcTable vcs, BufferPool guaranteedPool, BufferPool bestEffortPool, ReceiveQueue queue,
            long timeoutNanos, Taps taps) {
        this.taps = taps;
        this.vcs = vcs;
        this.guaranteedPool = guaranteedPool;
        this.bestEffortPool = bestEffortPool;
        this.queue = queue;
        this.timeoutNanos = timeoutNanos;
    }

    @Override
    public void onCells(ByteBuffer cells, int offset, int cellCount) {
        cells(cells, offset, cellCount, false);
    }

    @Override
    public void onCellDatagram(ByteBuffer cells, int offset, int cellCount) {
        cells(cells, offset, cellCount, true);
    }

    private void cells(ByteBuffer cells, int offset, int cellCount, boolean datagram) {
        long pdusBefore = pdusIn; // before the lock: a count only grows, so a stale read adds a wake-up, never loses one
        lock.lock();
        try {
            if (datagram) {
                datagramsIn++;
            }
            long now = System.nanoTime(); // one clock read per batch: every cell of a batch arrived "now"
            for (int i = 0, at = offset; i < cellCount; ) {
                cell(cells, at, now);
                i++;
                at += CellLayout.CELL_BYTES;
                Channel vc = runVc;
                if (vc != null && i < cellCount) {
                    // The cells after a valid, appended, not-last cell that repeat its header are the same PDU's
                    // next cells: valid (the same five header bytes), the same open VC, not its end. They go into
                    // the reassembler as one run; everything else goes through cell() one at a time.
                    int run = repeatedHeaders(cells, at - CellLayout.CELL_BYTES, at, cellCount - i);
                    if (run > 0 && vc.reassembler.appendRun(cells, at + CellLayout.PAYLOAD_OFFSET, run)) {
                        hec.countValid(run);
                        cellsIn += run;
                        vc.cellsIn += run;
                        vc.pduCells += run;
                        cellsInReassembly += run;
                        i += run;
                        at += run * CellLayout.CELL_BYTES;
                    }
                }
            }
        } finally {
            lock.unlock();
            // One wake-up per batch, after the lock: the pseudo-interrupt thread runs at real-time priority and
            // would preempt this thread at every PDU (two context switches each, much of an unpaced link's time).
            if (pdusIn != pdusBefore) {
                queue.wakeConsumer();
            }
        }
    }

    /** Cells from {@code at} (at most {@code max}) whose five header bytes equal those of the cell at {@code first}. */
    private static int repeatedHeaders(ByteBuffer cells, int first, int at, int max) {
        int word = cells.getInt(first);
        byte hecByte = cells.get(first + CellLayout.HEC_OFFSET);
        int n = 0;
        for (int p = at; n < max && cells.getInt(p) == word && cells.get(p + CellLayout.HEC_OFFSET) == hecByte;
                p += CellLayout.CELL_BYTES) {
            n++;
        }
        return n;
    }

    private void cell(ByteBuffer cells, int at, long now) {
        runVc = null;
        cellsIn++;
        int hecOutcome = hec.check(cells, at);
        if (hecOutcome == HecReceiver.DISCARDED) {
            droppedCells++;
            return;
        }
        int word = CellHeader.get(cells, at);
        if (CellHeader.isIdleOrUnassigned(word)) {
            idleCells++;
            droppedCells++;
            return;
        }
        Channel vc = vcs.get(CellHeader.vpi(word), CellHeader.vci(word));
        if (vc == null || vc.isClosed()) {
            unknownVcCells++;
            droppedCells++;
            return;
        }
        if (!CellHeader.isUserData(word)) {
            oamCells++;
            droppedCells++;
            return;
        }
        boolean end = CellHeader.isEndOfPdu(word);
        vc.cellsIn++;
        Reassembler r = vc.reassembler;
        Reassembler next = vc.nextReassembler;
        if (next != null && !r.inProgress() && !r.discarding()) {
            // reconfigured: new parameters from this PDU on
            vc.reassembler = r = next;
            vc.nextReassembler = null;
        }
        if (r.discarding()) {
            // The rest of a PDU already dropped (early discard, oversize): skipped without a buffer.
            drop(vc, 1);
            r.skip(end);
            return;
        }
        if (!r.inProgress()) {
            PduDescriptor d = vc.pool.take();
            if (d == null) {
                // Early discard (paper 2.6): the pool is empty, so the whole PDU goes, from its first cell.
                if (vc.pool.service() == VcService.GUARANTEED) {
                    guaranteedPoolDrops++;
                } else {
                    bestEffortPoolDrops++;
                }
                vc.poolDrops++;
                drop(vc, 1);
                r.skip(end);
                return;
            }
            vc.filling = d;
            vc.pduCells = 0;
            r.start(d.buffer, now);
        }
        int outcome = r.append(cells, at + CellLayout.PAYLOAD_OFFSET, end);
        vc.pduCells++;
        if (outcome == Reassembler.IN_PROGRESS) {
            cellsInReassembly++;
            if (hecOutcome == HecReceiver.VALID) {
                runVc = vc; // cells repeating this header may follow as a run (see cells())
            }
            return;
        }
        // The PDU ended here: its earlier cells leave "in reassembly" for delivered or dropped.
        int pduCells = vc.pduCells;
        cellsInReassembly -= pduCells - 1;
        PduDescriptor d = vc.filling;
        vc.filling = null;
        if (outcome == Reassembler.COMPLETE) {
            d.complete(vc.vpi(), vc.vci(), r.sduBytes(), pduCells, now);
            vc.pdusIn++;
            pdusIn++;
            cellsInDeliveredPdus += pduCells;
            if (taps.any()) {
                d.pduView.limit(pduCells * CellLayout.PAYLOAD_BYTES).position(0);
                taps.received(vc.vpi(), vc.vci(), d.pduView, now);
            }
            queue.offer(d); // the consumer is woken after the batch
            return;
        }
        d.discard();
        drop(vc, pduCells);
        switch (outcome) {
            case Reassembler.CRC_ERROR -> { crcErrors++; vc.crcErrors++; }
            case Reassembler.LENGTH_ERROR -> { lengthErrors++; vc.lengthErrors++; }
            default -> { oversizeDrops++; vc.oversizeDrops++; } // the reassembler skips the rest of the PDU
        }
    }

    private void drop(Channel vc, int cells) {
        droppedCells += cells;
        vc.droppedCells += cells;
    }

    /** Drops partial PDUs older than the reassembly timeout. Any thread. */
    void sweep(long now) {
        List<Channel> open = vcs.all();
        lock.lock();
        try {
            for (Channel vc : open) {
                Reassembler r = vc.reassembler;
                if (r.inProgress() && now - r.startedAtNanos() > timeoutNanos) {
                    int cells = vc.pduCells;
                    r.abort();
                    vc.filling.discard();
                    vc.filling = null;
                    cellsInReassembly -= cells;
                    drop(vc, cells);
                    timeoutDrops++;
                    vc.timeoutDrops++;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Drops a closing channel's partial PDU; its later cells count as unknown-VC. */
    void closed(Channel vc) {
        lock.lock();
        try {
            Reassembler r = vc.reassembler;
            if (r.inProgress()) {
                int cells = vc.pduCells;
                r.abort();
                vc.filling.discard();
                vc.filling = null;
                cellsInReassembly -= cells;
                // The VC is gone: its partial PDU counts where its later cells will, as unknown-VC drops.
                droppedCells += cells;
                unknownVcCells += cells;
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onMalformedDatagram(int bytes) {
        lock.lock();
        try {
            malformedDatagrams++;
            datagramsIn++;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onForeignDatagram(int bytes) {
        lock.lock();
        try {
            foreignDatagrams++;
            datagramsIn++;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onStaleDatagram(int bytes) {
        lock.lock();
        try {
            staleDatagrams++;
            datagramsIn++;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onLostDatagrams(long count) {
        lock.lock();
        try {
            lostDatagrams += count;
        } finally {
            lock.unlock();
        }
    }

    HecReceiver hec() {
        return hec;
    }
}

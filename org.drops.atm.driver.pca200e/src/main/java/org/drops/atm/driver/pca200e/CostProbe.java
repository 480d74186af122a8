package org.drops.atm.driver.pca200e;

import java.nio.ByteBuffer;
import org.drops.atm.api.device.PduCostProbe;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.driver.pca200e.aal5.Aal5Trailer;
import org.drops.atm.driver.pca200e.aal5.Reassembler;
import org.drops.atm.driver.pca200e.aal5.Segmenter;
import org.drops.atm.driver.pca200e.cell.CellHeader;
import org.drops.atm.driver.pca200e.cell.CellLayout;
import org.drops.atm.driver.pca200e.cell.HecReceiver;
import org.drops.atm.driver.pca200e.link.MemoryLink;
import org.drops.atm.driver.pca200e.nic.DataPathProbe;
import org.osgi.service.component.annotations.Component;

/**
 * Times the driver's real per-PDU work for admission control's CPU model. On scratch memory in the caller's
 * thread: the same segmenter, HEC and reassembler the interfaces use, plus the one copy between a ring slot and
 * the driver's buffer that the protocol makes on each path. On the whole data path ({@link DataPathProbe}): a
 * real emulated card on an OC-3 memory link with its threads and hand-offs, by thread CPU time.
 */
@Component(service = PduCostProbe.class)
public final class CostProbe implements PduCostProbe {

    /** Runs before the timed repetitions, so the JIT has compiled the path being measured. */
    private static final int WARM_UP_REPETITIONS = 200;

    private static final class Scratch {
        final ByteBuffer slot = ByteBuffer.allocateDirect(65535);
        final ByteBuffer fifo = ByteBuffer.allocateDirect(Aal5Trailer.cells(65535) * CellLayout.CELL_BYTES);
        final ByteBuffer pdu = ByteBuffer.allocateDirect(Aal5Trailer.pduBytes(65535));
        final Segmenter segmenter = new Segmenter();
        final Reassembler reassembler = new Reassembler(65535);
        final HecReceiver hec = new HecReceiver();
    }

    @Override
    public double transmitNanosPerPdu(int sduBytes, int repetitions) {
        check(sduBytes, repetitions);
        Scratch s = new Scratch();
        ByteBuffer app = ByteBuffer.allocateDirect(Math.max(1, sduBytes));
        for (int i = 0; i < sduBytes; i++) {
            app.put(i, (byte) i);
        }
        transmit(s, app, sduBytes, WARM_UP_REPETITIONS);
        long start = System.nanoTime();
        transmit(s, app, sduBytes, repetitions);
        return (System.nanoTime() - start) / (double) repetitions;
    }

    private static void transmit(Scratch s, ByteBuffer app, int sduBytes, int repetitions) {
        int header = CellHeader.uni(0, 0, 100, 0, 0);
        for (int r = 0; r < repetitions; r++) {
            s.slot.clear();
            app.clear().limit(sduBytes);
            s.slot.put(app).flip(); // write(): the copy into the ring slot
            s.segmenter.begin(s.slot, header);
            for (int offset = 0; s.segmenter.hasNext(); offset += CellLayout.CELL_BYTES) {
                s.segmenter.next(s.fifo, offset);
            }
        }
    }

    @Override
    public double receiveNanosPerPdu(int sduBytes, int repetitions) {
        check(sduBytes, repetitions);
        return timedReceive(sduBytes, repetitions, true);
    }

    /** Segments one PDU of {@code sduBytes} into scratch cells, then times receiving them, with or without the ring copy. */
    private static double timedReceive(int sduBytes, int repetitions, boolean copyIntoSlot) {
        Scratch s = new Scratch();
        ByteBuffer sdu = ByteBuffer.allocateDirect(Math.max(1, sduBytes));
        sdu.limit(sduBytes);
        s.segmenter.begin(sdu, CellHeader.uni(0, 0, 100, 0, 0));
        int cells = 0;
        for (; s.segmenter.hasNext(); cells++) {
            s.segmenter.next(s.fifo, cells * CellLayout.CELL_BYTES);
        }
        receive(s, cells, WARM_UP_REPETITIONS, copyIntoSlot);
        long start = System.nanoTime();
        receive(s, cells, repetitions, copyIntoSlot);
        return (System.nanoTime() - start) / (double) repetitions;
    }

    private static void receive(Scratch s, int cells, int repetitions, boolean copy) {
        for (int r = 0; r < repetitions; r++) {
            s.reassembler.start(s.pdu, 0L);
            int outcome = Reassembler.IN_PROGRESS;
            for (int c = 0, at = 0; c < cells; c++, at += CellLayout.CELL_BYTES) {
                s.hec.check(s.fifo, at);
                outcome = s.reassembler.append(s.fifo, at + CellLayout.PAYLOAD_OFFSET,
                        CellHeader.isEndOfPdu(CellHeader.get(s.fifo, at)));
            }
            if (outcome != Reassembler.COMPLETE) {
                throw new IllegalStateException("calibration PDU did not reassemble: outcome " + outcome);
            }
            if (copy) {
                s.slot.clear();
                s.pdu.clear().limit(s.reassembler.sduBytes());
                s.slot.put(s.pdu); // the pseudo-interrupt thread's copy into the ring slot
            }
        }
    }

    /**
     * The whole data path on an emulated card of its own: a memory link at OC-3 with the memory link's batches of
     * {@value MemoryLink#DEFAULT_MAX_CELLS_PER_TRANSMIT} cells (the platform's default interface). Null when this
     * JVM does not measure thread CPU time.
     */
    @Override
    public DataPathCost dataPathNanosPerPdu(int sduBytes, int pdus) throws InterruptedException {
        return dataPathNanosPerPdu(sduBytes, pdus, DataPathProbe.MIN_PDU_INTERVAL_NANOS);
    }

    /** The whole data path as above, with the PDUs at least {@code gapNanos} apart (and at least 2 ms). */
    @Override
    public DataPathCost dataPathNanosPerPdu(int sduBytes, int pdus, long gapNanos) throws InterruptedException {
        check(sduBytes, pdus);
        if (gapNanos <= 0) {
            throw new IllegalArgumentException("gapNanos must be positive, not " + gapNanos);
        }
        if (!DataPathProbe.supported()) {
            return null;
        }
        // the receive engine's share of the line thread: cell checking and reassembly alone, the fastest of three
        double engine = Double.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            engine = Math.min(engine, receiveEngineNanosPerPdu(sduBytes, 20));
        }
        return new DataPathProbe(CellRates.OC3_CELLS_PER_SECOND, MemoryLink.DEFAULT_MAX_CELLS_PER_TRANSMIT)
                .measure(sduBytes, pdus, engine, gapNanos);
    }

    /** HEC checking and reassembly of one PDU's cells, without the copy into a ring slot (the interrupt thread's). */
    double receiveEngineNanosPerPdu(int sduBytes, int repetitions) {
        return timedReceive(sduBytes, repetitions, false);
    }

    private static void check(int sduBytes, int repetitions) {
        if (sduBytes < 0 || sduBytes > 65535) {
            throw new IllegalArgumentException("sduBytes must be 0..65535, not " + sduBytes);
        }
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be at least 1, not " + repetitions);
        }
    }
}

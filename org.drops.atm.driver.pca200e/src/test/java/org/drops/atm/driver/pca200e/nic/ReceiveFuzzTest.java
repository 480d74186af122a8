package org.drops.atm.driver.pca200e.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.drops.atm.api.device.DeviceStatistics;
import org.drops.atm.api.device.ReceivedPdu;
import org.drops.atm.api.device.VirtualChannel;
import org.drops.atm.driver.pca200e.aal5.Segmenter;
import org.drops.atm.driver.pca200e.cell.CellHeader;
import org.junit.jupiter.api.Test;

/**
 * 10⁶ random and mutated datagrams into the receive side: nothing escapes, nothing dies, and every cell is
 * accounted for: cells in = cells delivered + cells dropped (+ cells still in reassembly, zero once swept).
 */
class ReceiveFuzzTest {

    private static final int DATAGRAMS = 1_000_000;

    @Test
    void aMillionHostileDatagramsAreAllAccountedFor() throws Exception {
        CapturingLink link = new CapturingLink(false);
        Pca200eDevice device = new Pca200eDevice(DeviceSettings.oc3(0).withPools(32, 32).withReassemblyTimeoutNanos(20_000_000L), link);
        try {
            VirtualChannel[] open = {device.open(Pca200eDeviceTest.ubr(100)), device.open(Pca200eDeviceTest.cbr(101, 50_000)),
                device.open(Pca200eDeviceTest.ubr(102))};
            AtomicBoolean done = new AtomicBoolean();
            AtomicLong delivered = new AtomicLong();
            AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
            Thread consumer = new Thread(() -> {
                try {
                    while (!done.get()) {
                        ReceivedPdu pdu = device.receive(5_000_000L);
                        if (pdu != null) {
                            delivered.incrementAndGet();
                            pdu.release();
                        }
                    }
                } catch (Throwable t) {
                    consumerFailure.set(t);
                }
            });
            consumer.start();

            Random random = new Random(20261125);
            Segmenter segmenter = new Segmenter();
            ByteBuffer datagram = ByteBuffer.allocateDirect(64 * 53);
            ByteBuffer sdu = ByteBuffer.allocate(2000);
            for (int n = 0; n < DATAGRAMS; n++) {
                int cells = 1 + random.nextInt(12);
                int kind = random.nextInt(6);
                int vci = kind == 4 ? 32 + random.nextInt(1000) : 100 + random.nextInt(3);
                int filled = 0;
                if (kind <= 1 || kind == 4) {
                    // valid cells of a real PDU (on an open VC, or on one that is not open)
                    sdu.clear().limit(random.nextInt(sdu.capacity()));
                    segmenter.begin(sdu, CellHeader.uni(0, 0, vci, 0, 0));
                    while (segmenter.hasNext() && filled < 64) {
                        segmenter.next(datagram, filled++ * 53);
                    }
                } else {
                    for (; filled < cells; filled++) {
                        for (int i = 0; i < 53; i++) {
                            datagram.put(filled * 53 + i, (byte) random.nextInt(256));
                        }
                        if (kind == 2) { // plausible header on an open VC, random payload and PTI
                            CellHeader.put(datagram, filled * 53, CellHeader.uni(0, 0, vci, random.nextInt(8), random.nextInt(2)));
                        }
                    }
                }
                if (kind == 1 || kind == 5) { // mutate: flip 1-3 random bits anywhere
                    for (int f = 1 + random.nextInt(3); f > 0; f--) {
                        int at = random.nextInt(filled * 53);
                        datagram.put(at, (byte) (datagram.get(at) ^ (1 << random.nextInt(8))));
                    }
                }
                link.sink.onCells(datagram, 0, filled);
                if (random.nextInt(1000) == 0) {
                    link.sink.onMalformedDatagram(random.nextInt(100));
                }
            }
            // Quiesce: let the sweep drop what is left in reassembly, and the consumer take what was delivered.
            long deadline = System.nanoTime() + 10_000_000_000L;
            DeviceStatistics s = device.statistics();
            while ((s.cellsInReassembly() != 0 || delivered.get() != s.pdusIn()) && System.nanoTime() < deadline) {
                Thread.onSpinWait();
                s = device.statistics();
            }
            done.set(true);
            consumer.join(5000);

            assertEquals(null, consumerFailure.get());
            assertEquals(0, s.cellsInReassembly());
            assertEquals(s.cellsIn(), s.cellsInDeliveredPdus() + s.droppedCells(), "every cell accounted for: " + s);
            long dropsByReason = s.hecDiscarded() + s.idleCells() + s.unknownVcCells() + s.oamCells() + cellsOfDroppedPdus(device, open);
            assertEquals(s.droppedCells(), dropsByReason, "dropped cells = the sum of the reasons: " + s);
            assertEquals(delivered.get(), s.pdusIn());
            assertTrue(s.pdusIn() > 100_000, "valid PDUs got through: " + s.pdusIn());
            assertTrue(s.hecCorrected() > 0 && s.hecDiscarded() > 0 && s.crcErrors() + s.lengthErrors() > 0, s.toString());
            assertEquals(32, s.guaranteedPoolFree());
            assertEquals(32, s.bestEffortPoolFree());

            // The interface still works.
            ByteBuffer cell = ByteBuffer.allocateDirect(53);
            segmenter.begin(ByteBuffer.wrap(new byte[] {1, 2, 3}), CellHeader.uni(0, 0, 100, 0, 0));
            segmenter.next(cell, 0);
            link.sink.onCells(cell, 0, 1);
            ReceivedPdu pdu = device.receive(1_000_000_000L);
            assertNotNull(pdu);
            assertEquals(3, pdu.length());
            pdu.release();
        } finally {
            device.close("test over");
        }
    }

    private static long cellsOfDroppedPdus(Pca200eDevice device, VirtualChannel[] open) {
        long cells = 0;
        for (VirtualChannel vc : open) {
            cells += vc.statistics().droppedCells();
        }
        return cells;
    }
}

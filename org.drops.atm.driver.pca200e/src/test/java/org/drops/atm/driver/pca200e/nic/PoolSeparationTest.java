package org.drops.atm.driver.pca200e.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.drops.atm.api.device.DeviceStatistics;
import org.drops.atm.api.device.ReceivedPdu;
import org.drops.atm.api.device.VcService;
import org.drops.atm.api.device.VcStatistics;
import org.drops.atm.api.device.VirtualChannel;
import org.drops.atm.driver.pca200e.link.MemoryLink;
import org.junit.jupiter.api.Test;

/** Paper §2.6: two receive pools; best-effort traffic is discarded early and never costs a guaranteed VC a buffer. */
class PoolSeparationTest {

    @Test
    void floodingABestEffortVcNeverDropsAGuaranteedPdu() throws Exception {
        DeviceSettings settings = DeviceSettings.oc3(0).withPools(64, 16);
        Pca200eDevice sender = new Pca200eDevice(settings, new MemoryLink("tx", "flood", false, 64));
        Pca200eDevice receiver = new Pca200eDevice(new DeviceSettings(1, null, settings.lineCellsPerSecond(), 2048, 64, 16,
                65535, 100_000_000L, true), new MemoryLink("rx", "flood", false, 64));
        try {
            VirtualChannel guaranteedTx = sender.open(Pca200eDeviceTest.cbr(100, 20_000));
            VirtualChannel floodTx = sender.open(Pca200eDeviceTest.ubr(200));
            VirtualChannel guaranteedRx = receiver.open(Pca200eDeviceTest.cbr(100, 20_000));
            VirtualChannel floodRx = receiver.open(Pca200eDeviceTest.ubr(200));

            // The protocol side: releases guaranteed PDUs at once, but hoards best-effort buffers (a slow
            // best-effort reader), so the best-effort pool runs dry.
            int guaranteedPdus = 2000;
            List<ReceivedPdu> hoard = new ArrayList<>();
            AtomicBoolean done = new AtomicBoolean();
            long[] guaranteedReceived = new long[1];
            Thread pseudoInterrupt = new Thread(() -> {
                try {
                    while (!done.get()) {
                        ReceivedPdu pdu = receiver.receive(10_000_000L);
                        if (pdu == null) {
                            continue;
                        }
                        if (pdu.pool() == VcService.GUARANTEED) {
                            guaranteedReceived[0]++;
                            pdu.release();
                        } else if (hoard.size() < 16) {
                            hoard.add(pdu);
                        } else {
                            pdu.release();
                        }
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            pseudoInterrupt.start();
            Thread flood = new Thread(() -> {
                ByteBuffer big = ByteBuffer.allocate(9000);
                try {
                    while (!done.get()) {
                        floodTx.send(big);
                    }
                } catch (Exception e) {
                    // closed at the end of the test
                }
            });
            flood.start();
            ByteBuffer sdu = ByteBuffer.allocate(1000);
            for (int i = 0; i < guaranteedPdus; i++) {
                guaranteedTx.send(sdu);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (guaranteedReceived[0] < guaranteedPdus && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            done.set(true);
            flood.join(5000);
            pseudoInterrupt.join(5000);

            DeviceStatistics s = receiver.statistics();
            assertEquals(guaranteedPdus, guaranteedReceived[0], "every guaranteed PDU arrived: " + s);
            VcStatistics g = guaranteedRx.statistics();
            VcStatistics be = floodRx.statistics();
            assertEquals(0, s.guaranteedPoolDrops());
            assertEquals(0, g.droppedCells());
            assertTrue(s.bestEffortPoolDrops() > 0, "the flood was discarded: " + s);
            assertEquals(s.bestEffortPoolDrops(), be.poolDrops());
            // Early discard: a dropped 9000-byte PDU (188 cells) loses all its cells without taking a buffer.
            assertEquals(be.poolDrops() * 188, be.droppedCells() - 188L * (be.crcErrors() + be.lengthErrors()));
            assertEquals(s.cellsIn(), s.cellsInDeliveredPdus() + s.droppedCells() + s.cellsInReassembly());
        } finally {
            sender.close("test over");
            receiver.close("test over");
        }
    }
}

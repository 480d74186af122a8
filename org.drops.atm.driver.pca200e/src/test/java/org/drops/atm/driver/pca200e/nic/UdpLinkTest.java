package org.drops.atm.driver.pca200e.nic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Random;
import org.drops.atm.api.device.DeviceStatistics;
import org.drops.atm.api.device.ReceivedPdu;
import org.drops.atm.api.device.VirtualChannel;
import org.drops.atm.driver.pca200e.link.UdpLink;
import org.junit.jupiter.api.Test;

/** The UDP link between two interfaces on loopback. */
class UdpLinkTest {

    static InetSocketAddress loopback(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Two links on free loopback ports, each pointing at the other. */
    static UdpLink[] pair() throws Exception {
        int pa;
        int pb;
        try (DatagramChannel x = DatagramChannel.open().bind(loopback(0)); DatagramChannel y = DatagramChannel.open().bind(loopback(0))) {
            pa = ((InetSocketAddress) x.getLocalAddress()).getPort();
            pb = ((InetSocketAddress) y.getLocalAddress()).getPort();
        }
        return new UdpLink[] {new UdpLink("a", loopback(pa), loopback(pb), 171), new UdpLink("b", loopback(pb), loopback(pa), 171)};
    }

    @Test
    void pdusCrossTheUdpLinkAndStrangersAreCountedNotDelivered() throws Exception {
        UdpLink[] links = pair();
        Pca200eDevice a = new Pca200eDevice(DeviceSettings.oc3(0), links[0]);
        Pca200eDevice b = new Pca200eDevice(new DeviceSettings(1, null, org.drops.atm.api.qos.CellRates.OC3_CELLS_PER_SECOND,
                2048, 64, 64, 65535, 100_000_000L, true), links[1]);
        try {
            VirtualChannel tx = a.open(Pca200eDeviceTest.ubr(100));
            b.open(Pca200eDeviceTest.ubr(100));
            Random random = new Random(7);
            for (int size : new int[] {0, 40, 41, 8192, 65535}) {
                byte[] sdu = new byte[size];
                random.nextBytes(sdu);
                tx.send(ByteBuffer.wrap(sdu));
                ReceivedPdu pdu = b.receive(5_000_000_000L);
                assertNotNull(pdu, "SDU of " + size);
                byte[] got = new byte[pdu.length()];
                pdu.data().get(0, got);
                assertArrayEquals(sdu, got);
                pdu.release();
            }
            InetSocketAddress bAddress = links[1].localAddress();
            try (DatagramChannel stranger = DatagramChannel.open().bind(loopback(0))) {
                stranger.send(ByteBuffer.allocate(53), bAddress); // a whole cell, but from a foreign address
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (b.statistics().foreignDatagrams() < 1 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            DeviceStatistics s = b.statistics();
            assertEquals(1, s.foreignDatagrams(), "it came from an address other than the peer");
            assertEquals(s.cellsIn(), s.cellsInDeliveredPdus());
            assertEquals(5, s.pdusIn());
        } finally {
            a.close("test over");
            b.close("test over");
        }
    }

    @Test
    void datagramsFromThePeerThatAreNotWholeCellsAreCountedAsMalformed() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open().bind(loopback(0))) {
            UdpLink link = new UdpLink("x", loopback(0), (InetSocketAddress) peer.getLocalAddress(), 171);
            Pca200eDevice x = new Pca200eDevice(DeviceSettings.oc3(0), link);
            try {
                InetSocketAddress to = link.localAddress();
                peer.send(ByteBuffer.allocate(52), to);
                peer.send(ByteBuffer.allocate(0), to);
                peer.send(ByteBuffer.allocate(54), to);
                byte[] garbage = new byte[2 * 53];
                new Random(1).nextBytes(garbage);
                peer.send(ByteBuffer.wrap(garbage), to);
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (x.statistics().cellsIn() < 2 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                DeviceStatistics s = x.statistics();
                assertEquals(3, s.malformedDatagrams());
                assertEquals(2, s.cellsIn());
                assertEquals(2, s.droppedCells());
            } finally {
                x.close("test over");
            }
        }
    }
}

package org.drops.atm.driver.pca200e.nic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * Regression (issue 10, hostile input): the device counted malformed and foreign datagrams but not the whole
     * ones, so what arrived could not be compared with what a sender sent (kernel drops were invisible).
     */
    @Test
    void everyDatagramThatArrivesIsCountedInDatagramsIn() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open().bind(loopback(0));
                DatagramChannel stranger = DatagramChannel.open().bind(loopback(0))) {
            UdpLink link = new UdpLink("d", loopback(0), (InetSocketAddress) peer.getLocalAddress(), 171);
            Pca200eDevice d = new Pca200eDevice(DeviceSettings.oc3(0), link);
            try {
                InetSocketAddress to = link.localAddress();
                peer.send(ByteBuffer.allocate(3 * 53), to); // whole cells (idle: all-zero header with a bad HEC)
                peer.send(ByteBuffer.allocate(53), to);
                peer.send(ByteBuffer.allocate(52), to); // malformed
                stranger.send(ByteBuffer.allocate(53), to); // foreign
                long deadline = System.nanoTime() + 5_000_000_000L;
                while (d.statistics().datagramsIn() < 4 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                DeviceStatistics s = d.statistics();
                assertEquals(4, s.datagramsIn());
                assertEquals(1, s.malformedDatagrams());
                assertEquals(1, s.foreignDatagrams());
                assertEquals(4, s.cellsIn(), "the cells of the two whole-cell datagrams");
            } finally {
                d.close("test over");
            }
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

    @Test
    void datagramsAreWholeCellsThatAnIndependentDecoderReads() throws Exception {
        try (DatagramChannel peer = DatagramChannel.open().bind(loopback(0))) {
            UdpLink link = new UdpLink("w", loopback(0), (InetSocketAddress) peer.getLocalAddress(), 20);
            Pca200eDevice w = new Pca200eDevice(DeviceSettings.oc3(0), link);
            try {
                VirtualChannel tx = w.open(Pca200eDeviceTest.ubr(1234));
                byte[] sdu = new byte[3000]; // 63 cells, more than one datagram of at most 20 cells
                new Random(3).nextBytes(sdu);
                tx.send(ByteBuffer.wrap(sdu));
                java.io.ByteArrayOutputStream pdu = new java.io.ByteArrayOutputStream();
                ByteBuffer datagram = ByteBuffer.allocate(65536);
                int cells = 0;
                boolean end = false;
                while (!end) {
                    datagram.clear();
                    peer.receive(datagram);
                    datagram.flip();
                    assertEquals(0, datagram.remaining() % 53, "a datagram is whole cells");
                    assertTrue(datagram.remaining() <= 20 * 53, "at most the configured 20 cells");
                    while (datagram.hasRemaining() && !end) {
                        byte[] cell = new byte[53];
                        datagram.get(cell);
                        cells++;
                        int word = ((cell[0] & 0xff) << 24) | ((cell[1] & 0xff) << 16) | ((cell[2] & 0xff) << 8) | (cell[3] & 0xff);
                        assertEquals(independentHec(cell), cell[4] & 0xff, "HEC of cell " + cells);
                        assertEquals(1234, (word >>> 4) & 0xffff, "VCI");
                        end = (word & 0x2) != 0; // PTI bit 0 (AUU): the last cell of the PDU
                        pdu.write(cell, 5, 48);
                    }
                }
                byte[] bytes = pdu.toByteArray();
                assertEquals(63, cells);
                int length = ((bytes[bytes.length - 6] & 0xff) << 8) | (bytes[bytes.length - 5] & 0xff);
                assertEquals(3000, length);
                assertArrayEquals(sdu, java.util.Arrays.copyOf(bytes, length));
                long crc = ByteBuffer.wrap(bytes, bytes.length - 4, 4).getInt() & 0xffffffffL;
                assertEquals(independentAal5Crc(bytes, bytes.length - 4), crc);
            } finally {
                w.close("test over");
            }
        }
    }

    /**
     * Regression (issue 10, duplication and reordering on a lossy link): a datagram carrying whole PDUs that the
     * network delivered twice, or after a later one, used to deliver its PDUs twice or out of order, each with a good
     * CRC. Sequenced datagrams: the receiver puts them back in order (holding those behind a gap for the hold time),
     * and drops and counts duplicates and the ones that come after their gap was given up.
     */
    @Test
    void datagramsTheNetworkDuplicatesOrReordersAreDeliveredInOrderOnceNeverTwiceOrOutOfOrder() throws Exception {
        // held for 5 s: 2 comes after 3 and is put back before it; the second 1 is refused
        assertEquals(java.util.List.of(0, 1, 2, 3), throughTheNetwork(5_000_000_000L, 1, 0));
        // nothing held: 2 comes too late and is refused like the duplicate, and its number counts as lost
        assertEquals(java.util.List.of(0, 1, 3), throughTheNetwork(0, 2, 1));
    }

    /** Sends PDUs 0..3 in one datagram each, replays the datagrams as 0, 1, 1, 3, 2; returns what was delivered. */
    private static java.util.List<Integer> throughTheNetwork(long holdNanos, long expectedStale, long expectedLost)
            throws Exception {
        try (DatagramChannel network = DatagramChannel.open().bind(loopback(0))) {
            InetSocketAddress n = (InetSocketAddress) network.getLocalAddress();
            UdpLink sending = new UdpLink("s", loopback(0), n, 171, true, holdNanos);
            UdpLink receiving = new UdpLink("r", loopback(0), n, 171, true, holdNanos);
            Pca200eDevice s = new Pca200eDevice(DeviceSettings.oc3(0), sending);
            Pca200eDevice r = new Pca200eDevice(DeviceSettings.oc3(1), receiving);
            try {
                VirtualChannel tx = s.open(Pca200eDeviceTest.ubr(100));
                r.open(Pca200eDeviceTest.ubr(100));
                java.util.List<ByteBuffer> datagrams = new java.util.ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    byte[] sdu = new byte[1000]; // 21 cells: one PDU per datagram, sent one at a time
                    sdu[0] = (byte) i;
                    tx.send(ByteBuffer.wrap(sdu));
                    ByteBuffer d = ByteBuffer.allocate(65536);
                    network.receive(d);
                    d.flip();
                    assertEquals(UdpLink.SEQUENCE_HEADER_BYTES + 21 * 53, d.remaining(), "header and one PDU");
                    assertEquals(UdpLink.SEQUENCE_MAGIC, d.getInt(0));
                    datagrams.add(d);
                }
                InetSocketAddress to = receiving.localAddress();
                for (int i : new int[] {0, 1, 1, 3, 2}) { // 1 twice, 2 after 3
                    network.send(datagrams.get(i).duplicate(), to);
                }
                java.util.List<Integer> delivered = new java.util.ArrayList<>();
                for (ReceivedPdu pdu = r.receive(2_000_000_000L); pdu != null; pdu = r.receive(300_000_000L)) {
                    delivered.add((int) pdu.data().get(0));
                    pdu.release();
                }
                DeviceStatistics st = r.statistics();
                assertEquals(expectedStale, st.staleDatagrams(), "refused as duplicate or too late: " + st);
                assertEquals(expectedLost, st.lostDatagrams(), "numbers given up: " + st);
                assertEquals(delivered.size() * 21L, st.cellsIn(), "the refused datagrams' cells never reached the card");
                assertEquals(st.cellsIn(), st.cellsInDeliveredPdus());
                return delivered;
            } finally {
                s.close("test over");
                r.close("test over");
            }
        }
    }

    /** HEC by the book, bit by bit: CRC-8 x^8+x^2+x+1 over the 4 header bytes, XOR 0x55 (I.432.1). */
    private static int independentHec(byte[] cell) {
        int crc = 0;
        for (int i = 0; i < 4; i++) {
            crc ^= cell[i] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
            }
        }
        return crc ^ 0x55;
    }

    /** CRC-32/BZIP2 through java.util.zip.CRC32 on bit-reversed bytes (PERFORMANCE.md), not the driver's tables. */
    private static long independentAal5Crc(byte[] data, int length) {
        java.util.zip.CRC32 crc32 = new java.util.zip.CRC32();
        for (int i = 0; i < length; i++) {
            crc32.update(Integer.reverse(data[i] & 0xff) >>> 24);
        }
        return Integer.reverse((int) crc32.getValue()) & 0xffffffffL;
    }
}

package org.drops.atm.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.BufferTooSmallException;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.InetFamily;
import org.drops.atm.api.InetType;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.RxView;
import org.drops.atm.api.TxSlot;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.policing.PolicingPolicy;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.InvalidQosException;
import org.drops.atm.api.scheduling.RealTimeScheduler;
import org.drops.atm.core.internal.CoreSettings;
import org.drops.atm.core.internal.Server;
import org.drops.atm.core.internal.Services;
import org.drops.atm.driver.pca200e.link.MemoryLink;
import org.drops.atm.driver.pca200e.nic.DeviceSettings;
import org.drops.atm.driver.pca200e.nic.Pca200eDevice;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The socket facade over a real server and two emulated interfaces (best effort: no admission control needed). */
class AtmSocketTest {

    private Pca200eDevice itf0;
    private Pca200eDevice itf1;
    private Server server;
    private SocketFactoryComponent sockets;

    @BeforeEach
    void platform() throws Exception {
        itf0 = new Pca200eDevice(DeviceSettings.oc3(0).withLineCellsPerSecond(Double.POSITIVE_INFINITY), new MemoryLink("0", "sock", false, 64));
        itf1 = new Pca200eDevice(new DeviceSettings(1, null, Double.POSITIVE_INFINITY, 2048, 64, 64, 65535, 100_000_000L, true),
                new MemoryLink("1", "sock", false, 64));
        server = new Server(CoreSettings.defaults(), new Services() {
            @Override
            public AdmissionControl admission() {
                return null;
            }

            @Override
            public PolicingPolicy policy() {
                return null;
            }

            @Override
            public RealTimeScheduler scheduler() {
                return null;
            }

            @Override
            public void post(String topic, Map<String, Object> properties) {
            }
        });
        server.addDevice(itf0);
        server.addDevice(itf1);
        sockets = SocketFactoryComponent.of(server, "test");
    }

    @AfterEach
    void down() {
        sockets.deactivate();
        server.shutdown("test over");
        itf0.close("test over");
        itf1.close("test over");
    }

    private AtmSocket[] pair(String qos) throws Exception {
        AtmSocket tx = sockets.createSocket();
        tx.setQos(qos);
        tx.connect(PvcAddress.parse("0.0.100"));
        AtmSocket rx = sockets.createSocket();
        rx.setQos(qos);
        rx.bind(PvcAddress.parse("1.0.100"));
        return new AtmSocket[] {tx, rx};
    }

    @Test
    void writeAndReadCarryOneSduPerCall() throws Exception {
        AtmSocket[] s = pair("ubr:sdu=9180");
        Random random = new Random(11);
        for (int i = 0; i < 100; i++) {
            byte[] sdu = new byte[random.nextInt(9181)];
            random.nextBytes(sdu);
            ByteBuffer out = ByteBuffer.wrap(sdu);
            assertEquals(sdu.length, s[0].write(out));
            assertEquals(sdu.length, out.position(), "write consumes the buffer");
            ByteBuffer in = ByteBuffer.allocate(9180);
            assertEquals(sdu.length, s[1].read(in, 5, TimeUnit.SECONDS));
            assertArrayEquals(sdu, java.util.Arrays.copyOf(in.array(), in.position()));
        }
    }

    @Test
    void zeroCopyTransmitAndViewReceiveAreByteExact() throws Exception {
        AtmSocket[] s = pair("ubr:sdu=65535");
        Random random = new Random(12);
        for (int i = 0; i < 200; i++) {
            int length = random.nextInt(65536);
            TxSlot slot = s[0].claim();
            ByteBuffer b = slot.buffer();
            CRC32 sent = new CRC32();
            for (int j = 0; j < length; j++) {
                byte x = (byte) random.nextInt(256);
                b.put(x);
                sent.update(x);
            }
            slot.commit(); // bytes [0, position)
            assertThrows(IllegalStateException.class, slot::buffer, "a committed slot is gone");
            try (RxView view = s[1].receive(5, TimeUnit.SECONDS)) {
                assertEquals(length, view.length());
                CRC32 got = new CRC32();
                got.update(view.buffer());
                assertEquals(sent.getValue(), got.getValue(), "SDU " + i + " of " + length + " bytes");
                assertTrue(view.buffer().isReadOnly());
            }
        }
    }

    @Test
    void aTooSmallReadBufferLosesNothing() throws Exception {
        AtmSocket[] s = pair("ubr:sdu=1000");
        s[0].write(ByteBuffer.wrap(new byte[500]));
        s[0].write(ByteBuffer.wrap(new byte[] {7}));
        BufferTooSmallException e = assertThrows(BufferTooSmallException.class, () -> s[1].read(ByteBuffer.allocate(100), 5, TimeUnit.SECONDS));
        assertEquals(500, e.requiredBytes());
        assertEquals(500, s[1].read(ByteBuffer.allocate(1000), 5, TimeUnit.SECONDS), "the same SDU, still first");
        ByteBuffer one = ByteBuffer.allocate(10);
        assertEquals(1, s[1].read(one, 5, TimeUnit.SECONDS));
        assertEquals(7, one.get(0));
        assertEquals(-1, s[1].read(ByteBuffer.allocate(10), 10, TimeUnit.MILLISECONDS), "nothing more: timeout");
        assertNull(s[1].receive(10, TimeUnit.MILLISECONDS));
    }

    /** Regression (issue 10): one handle per ring slot let a kept, committed handle commit the slot's next claim. */
    @Test
    void aCommittedSlotHandleCannotCommitALaterClaimOfTheSameSlot() throws Exception {
        AtmSocket[] s = pair("ubr:sdu=100");
        TxSlot stale = s[0].claim();
        stale.commit(1);
        assertEquals(1, s[1].read(ByteBuffer.allocate(100), 5, TimeUnit.SECONDS));
        for (int i = 0; i < 200; i++) { // more claims than the ring has slots: every slot is claimed again
            TxSlot live = s[0].claim();
            assertThrows(IllegalStateException.class, () -> stale.commit(2), "claim " + i + ": the stale handle committed");
            stale.abort(); // a no-op on a spent handle, never the live claim's abort
            live.commit(3);
            assertEquals(3, s[1].read(ByteBuffer.allocate(100), 5, TimeUnit.SECONDS), "claim " + i + ": the live SDU");
        }
    }

    /** Regression (issue 10): one view per ring slot let a second, "harmless" release free the slot's next receive. */
    @Test
    void releasingAViewTwiceNeverReleasesALaterReceiveOfTheSameSlot() throws Exception {
        AtmSocket[] s = pair("ubr:sdu=100");
        s[0].write(ByteBuffer.wrap(new byte[] {1}));
        RxView stale = s[1].receive(5, TimeUnit.SECONDS);
        stale.release();
        for (int i = 0; i < 200; i++) { // more receives than the ring has slots
            s[0].write(ByteBuffer.wrap(new byte[] {(byte) i, 2}));
            RxView live = s[1].receive(5, TimeUnit.SECONDS);
            stale.release();
            assertEquals(2, live.length(), "receive " + i + ": the live view was released by the stale one");
            assertEquals((byte) i, live.buffer().get(0));
            live.release();
        }
    }

    /** Regression (issue 10): a null or read-only buffer was found only at the copy, after the SDU had been taken. */
    @Test
    void readIntoANullOrReadOnlyBufferIsRefusedAndLosesNothing() throws Exception {
        AtmSocket[] s = pair("ubr:sdu=100");
        s[0].write(ByteBuffer.wrap(new byte[] {9, 8, 7}));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s[1].read(null, 5, TimeUnit.SECONDS)).getMessage().contains("null"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s[1].read(ByteBuffer.allocate(10).asReadOnlyBuffer(), 5, TimeUnit.SECONDS))
                .getMessage().contains("read-only"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s[1].read(ByteBuffer.allocate(10), 5, null)).getMessage().contains("unit"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s[0].claim(5, null)).getMessage().contains("unit"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> s[0].write((ByteBuffer) null)).getMessage().contains("null"));
        ByteBuffer in = ByteBuffer.allocate(10);
        assertEquals(3, s[1].read(in, 5, TimeUnit.SECONDS), "the SDU is still there");
        assertEquals(7, in.get(2));
        for (int i = 0; i < 200; i++) { // and no ring slot leaked: the ring keeps turning
            s[0].write(ByteBuffer.wrap(new byte[] {1}));
            assertEquals(1, s[1].read(ByteBuffer.allocate(10), 5, TimeUnit.SECONDS));
        }
    }

    @Test
    void callsInTheWrongStateAreRefusedNamingTheRule() throws Exception {
        AtmSocket socket = sockets.createSocket();
        assertTrue(assertThrows(IllegalStateException.class, () -> socket.write(ByteBuffer.allocate(1))).getMessage().contains("connect it first"));
        assertTrue(assertThrows(IllegalStateException.class, () -> socket.connect(PvcAddress.parse("0.0.100"))).getMessage().contains("setQos first"));
        assertThrows(InvalidQosException.class, () -> socket.setQos("cbr:pcr=bogus"));
        assertTrue(assertThrows(InvalidQosException.class, () -> socket.setQos("aal0,ubr")).getMessage().contains("AAL0"));
        socket.setQos("ubr:tx:none");
        assertTrue(assertThrows(IllegalStateException.class, () -> socket.connect(PvcAddress.parse("0.0.100"))).getMessage().contains("tx"));
        socket.setQos("ubr:sdu=100");
        socket.connect(PvcAddress.parse("0.0.100"));
        assertTrue(assertThrows(IllegalStateException.class, () -> socket.setQos("ubr")).getMessage().contains("before connect"));
        assertThrows(IllegalStateException.class, () -> socket.bind(PvcAddress.parse("0.0.101")));
        assertTrue(assertThrows(IllegalStateException.class, () -> socket.read(ByteBuffer.allocate(1))).getMessage().contains("bind it first"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> socket.write(ByteBuffer.allocate(101))).getMessage().contains("max_sdu 100"));
        AtmSocket second = sockets.createSocket();
        second.setQos("ubr");
        assertTrue(assertThrows(AtmException.class, () -> second.connect(PvcAddress.parse("0.0.100"))).getMessage().contains("already connected"));
        socket.close();
        socket.close(); // harmless
        assertEquals(AtmSocket.State.CLOSED, socket.state());
        assertThrows(ConnectionClosedException.class, () -> socket.write(ByteBuffer.allocate(1)));
        assertThrows(IllegalArgumentException.class, () -> PvcAddress.parse("0.0.5"));
        assertThrows(AtmException.class, () -> sockets.createSocket(Aal.AAL0));
    }

    @Test
    void inetSocketsWithoutTheSrtServerAreRefusedNamingTheCall() {
        AtmException e = assertThrows(AtmException.class, () -> sockets.createInetSocket(InetFamily.INET, InetType.DATAGRAM));
        assertTrue(e.getMessage().contains("createInetSocket(INET, DATAGRAM)") && e.getMessage().contains("SRT server"), e.getMessage());
    }

    /** Found by the reliability suite's chaos run: a call after the connection died said only "write after close". */
    @Test
    void callsAfterTheConnectionDiedSayWhyItDied() throws Exception {
        AtmSocket[] s = pair("ubr");
        server.removeDevice(itf0); // the driver's interface goes away under the open sockets
        ConnectionClosedException write = assertThrows(ConnectionClosedException.class, () -> s[0].write(ByteBuffer.allocate(1)));
        assertTrue(write.getMessage().contains("interface 0"), write.getMessage());
        AtmSocket[] t = pair2();
        sockets.deactivate();
        ConnectionClosedException read = assertThrows(ConnectionClosedException.class, () -> t[1].read(ByteBuffer.allocate(1)));
        assertTrue(read.getMessage().contains("socket service was released"), read.getMessage());
        ConnectionClosedException own = assertThrows(ConnectionClosedException.class, () -> {
            AtmSocket u = SocketFactoryComponent.of(server, "test2").createSocket();
            u.close();
            u.write(ByteBuffer.allocate(1));
        });
        assertTrue(own.getMessage().contains("closed by the application"), own.getMessage());
    }

    /**
     * Found by the reliability suite's chaos run: a closed socket the application kept (its streams keep their last
     * sockets) pinned its connection and the connection's rings, direct memory, for as long as it was kept.
     */
    @Test
    void aClosedSocketTheApplicationKeepsDoesNotPinItsConnection() throws Exception {
        AtmSocket[] s = pair("ubr");
        java.util.List<java.lang.ref.WeakReference<Object>> connections = new java.util.ArrayList<>();
        for (AtmSocket socket : s) {
            connections.add(new java.lang.ref.WeakReference<>(((AtmSocketImpl) socket).connectionOrNull()));
        }
        assertTrue(connections.stream().allMatch(w -> w.get() != null));
        s[0].write(ByteBuffer.allocate(100));
        assertEquals(100, s[1].read(ByteBuffer.allocate(100), 5, TimeUnit.SECONDS));
        s[0].close();
        s[1].close();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (connections.stream().anyMatch(w -> w.get() != null) && System.nanoTime() - deadline < 0) {
            System.gc();
            Thread.onSpinWait();
        }
        assertTrue(connections.stream().allMatch(w -> w.get() == null), "the closed sockets' connections are collectable");
        // the kept sockets still say what they were
        assertEquals(PvcAddress.parse("0.0.100"), s[0].address().orElseThrow());
        assertEquals(PvcAddress.parse("1.0.100"), s[1].statistics().pvc());
        assertEquals(1, s[1].statistics().pdus());
        assertThrows(ConnectionClosedException.class, () -> s[0].write(ByteBuffer.allocate(1)));
    }

    /** A receiving socket on interface 1, which stays up when interface 0 goes away. */
    private AtmSocket[] pair2() throws Exception {
        AtmSocket rx = sockets.createSocket();
        rx.setQos("ubr");
        rx.bind(PvcAddress.parse("1.0.101"));
        return new AtmSocket[] {null, rx};
    }

    @Test
    void releasingTheServiceClosesEverySocketOfTheBundle() throws Exception {
        AtmSocket[] s = pair("ubr");
        sockets.deactivate();
        assertEquals(AtmSocket.State.CLOSED, s[0].state());
        assertEquals(AtmSocket.State.CLOSED, s[1].state());
        assertTrue(server.connections().isEmpty());
        assertThrows(AtmException.class, () -> sockets.createSocket());
    }

    /**
     * Regression (issue 10, found reviewing the stop path for MisbehavingBundlesIT): a bundle that keeps creating and connecting sockets while it is
     * stopped must not be left with a connection; before, a socket created between deactivate's copy of the
     * owner's sockets and its clear was never closed, and its connection outlived the bundle.
     */
    @Test
    void aSocketCreatedWhileTheOwnerStopsIsClosedWithIt() throws Exception {
        for (int round = 0; round < 200; round++) {
            SocketFactoryComponent owner = SocketFactoryComponent.of(server, "greedy");
            int base = 1000 + (round % 50) * 100;
            Thread greedy = new Thread(() -> {
                for (int n = 0; n < 100; n++) {
                    try {
                        AtmSocket s = owner.createSocket();
                        s.setQos("ubr:sdu=100");
                        s.connect(PvcAddress.of(0, 0, base + n));
                    } catch (Exception e) {
                        if (e.getMessage() != null && e.getMessage().contains("released")) {
                            return; // the owner is gone: stop
                        }
                        // closed under our feet (IllegalStateException): go on, as a greedy bundle does
                    }
                }
            }, "greedy-" + round);
            greedy.start();
            for (int spin = 0; spin < round * 50; spin++) {
                Thread.onSpinWait(); // a different moment in the loop each round
            }
            owner.deactivate();
            greedy.join(10_000);
            assertEquals(0, server.connections().size(), "round " + round + ": connections outlived their owner: "
                    + server.connections());
        }
    }
}

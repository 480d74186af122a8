package org.drops.atm.linuxbridge.srt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.drops.atm.api.InetFamily;
import org.drops.atm.api.InetOption;
import org.drops.atm.api.InetType;
import org.drops.atm.api.NativeCallException;
import org.drops.atm.api.srt.Accepted;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Redirected calls on real kernel sockets, on loopback only. */
class NativeSocketsTest {

    static final InetSocketAddress ANY_LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    private final NativeSockets srt = new NativeSockets();

    @AfterEach
    void closeEverything() {
        srt.closeAll();
        assertEquals(0, srt.openCount());
    }

    @Test
    void udpDatagramsTravelBothWaysWithTheirSender() throws Exception {
        int a = srt.socket(InetFamily.INET, InetType.DATAGRAM);
        int b = srt.socket(InetFamily.INET, InetType.DATAGRAM);
        srt.bind(a, ANY_LOOPBACK);
        srt.bind(b, ANY_LOOPBACK);
        InetSocketAddress addressA = srt.localAddress(a);
        InetSocketAddress addressB = srt.localAddress(b);
        assertTrue(addressA.getPort() > 0);
        ByteBuffer out = ByteBuffer.wrap("hello over the SRT server".getBytes(StandardCharsets.US_ASCII));
        assertEquals(25, srt.send(a, out, addressB));
        assertEquals(25, out.position(), "send advances the position");
        ByteBuffer in = ByteBuffer.allocateDirect(100);
        InetSocketAddress from = srt.receiveFrom(b, in);
        assertEquals(addressA, from);
        assertEquals(25, in.position());
        in.flip();
        byte[] got = new byte[in.remaining()];
        in.get(got);
        assertEquals("hello over the SRT server", new String(got, StandardCharsets.US_ASCII));
    }

    @Test
    void linuxOnlyOptionsAreAppliedAndReadBackFromTheKernel() throws Exception {
        int fd = srt.socket(InetFamily.INET, InetType.DATAGRAM);
        assertEquals(-1, srt.getOption(fd, InetOption.SO_MAX_PACING_RATE), "unlimited (~0) before");
        long rate = 5_000_000_000L; // above 2^32: needs the 64-bit option value
        srt.setOption(fd, InetOption.SO_MAX_PACING_RATE, rate);
        assertEquals(rate, srt.getOption(fd, InetOption.SO_MAX_PACING_RATE));
        srt.setOption(fd, InetOption.SO_MAX_PACING_RATE, 125_000);
        assertEquals(125_000, srt.getOption(fd, InetOption.SO_MAX_PACING_RATE));
        srt.setOption(fd, InetOption.SO_PRIORITY, 6);
        assertEquals(6, srt.getOption(fd, InetOption.SO_PRIORITY));
        srt.setOption(fd, InetOption.IP_TOS, 0xb8); // DSCP EF
        assertEquals(0xb8, srt.getOption(fd, InetOption.IP_TOS));
        srt.setOption(fd, InetOption.SO_RCVBUF, 65536);
        assertEquals(131072, srt.getOption(fd, InetOption.SO_RCVBUF), "the kernel doubles what is set");
        int v6 = srt.socket(InetFamily.INET6, InetType.STREAM);
        srt.setOption(v6, InetOption.IPV6_TCLASS, 0x28);
        assertEquals(0x28, srt.getOption(v6, InetOption.IPV6_TCLASS));
        srt.setOption(v6, InetOption.TCP_NODELAY, 1);
        assertEquals(1, srt.getOption(v6, InetOption.TCP_NODELAY));
    }

    @Test
    void kernelErrorsNameTheCallAndTheErrno() throws Exception {
        int fd = srt.socket(InetFamily.INET, InetType.STREAM);
        int port = freePort();
        NativeCallException refused = assertThrows(NativeCallException.class,
                () -> srt.connect(fd, new InetSocketAddress(InetAddress.getLoopbackAddress(), port)));
        assertEquals("ECONNREFUSED", refused.errnoName());
        assertEquals(111, refused.errno());
        assertTrue(refused.call().startsWith("connect "), refused.call());
        assertTrue(refused.getMessage().contains("Connection refused"), refused.getMessage());

        int udp = srt.socket(InetFamily.INET, InetType.DATAGRAM);
        NativeCallException option = assertThrows(NativeCallException.class, () -> srt.setOption(udp, InetOption.TCP_NODELAY, 1));
        assertEquals("setsockopt(TCP_NODELAY)", option.call());
        assertEquals("ENOPROTOOPT", option.errnoName(), "a TCP option on a UDP socket");

        NativeCallException family = assertThrows(NativeCallException.class,
                () -> srt.bind(udp, new InetSocketAddress(InetAddress.getByName("::1"), 0)));
        assertTrue(family.errnoName().equals("EINVAL") || family.errnoName().equals("EAFNOSUPPORT"), family.getMessage());

        NativeCallException stranger = assertThrows(NativeCallException.class, () -> srt.listen(0, 1));
        assertEquals("EBADF", stranger.errnoName(), "descriptor 0 is not one of the SRT server's");
        assertThrows(IllegalArgumentException.class,
                () -> srt.connect(fd, InetSocketAddress.createUnresolved("atm.example", 80)));
    }

    @Test
    void tcpCarriesAMegabyteIntactAndEndOfStreamIsZero() throws Exception {
        int listener = srt.socket(InetFamily.INET6, InetType.STREAM);
        srt.setOption(listener, InetOption.SO_REUSEADDR, 1);
        srt.bind(listener, new InetSocketAddress(InetAddress.getByName("::1"), 0));
        srt.listen(listener, 4);
        InetSocketAddress where = srt.localAddress(listener);
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        CompletableFuture<String> sink = CompletableFuture.supplyAsync(() -> {
            try {
                Accepted a = srt.accept(listener);
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                ByteBuffer in = ByteBuffer.allocate(65536); // a heap buffer: the copying path
                long total = 0;
                for (int n; (n = srt.receive(a.fd(), in.clear())) > 0; total += n) {
                    sha.update(in.array(), 0, n);
                }
                srt.close(a.fd());
                return total + " " + HexFormat.of().formatHex(sha.digest());
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        int client = srt.socket(InetFamily.INET6, InetType.STREAM);
        srt.connect(client, where);
        ByteBuffer out = ByteBuffer.allocateDirect(data.length).put(data).flip();
        while (out.hasRemaining()) {
            srt.send(client, out, null);
        }
        srt.close(client);
        String expected = data.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        assertEquals(expected, sink.get(10, TimeUnit.SECONDS));
    }

    @Test
    void closeWakesBlockedReceiveAndAcceptAtOnceWithAnError() throws Exception {
        int udp = srt.socket(InetFamily.INET, InetType.DATAGRAM);
        srt.bind(udp, ANY_LOOPBACK);
        int listener = srt.socket(InetFamily.INET, InetType.STREAM);
        srt.bind(listener, ANY_LOOPBACK);
        srt.listen(listener, 1);
        CompletableFuture<Throwable> receiver = blockedCall(() -> srt.receiveFrom(udp, ByteBuffer.allocate(10)));
        CompletableFuture<Throwable> acceptor = blockedCall(() -> srt.accept(listener));
        awaitBlocked("srt-blocked");
        long start = System.nanoTime();
        srt.close(udp);
        srt.close(listener);
        Throwable r = receiver.get(5, TimeUnit.SECONDS);
        Throwable a = acceptor.get(5, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(r instanceof NativeCallException && ((NativeCallException) r).call().equals("recvfrom"), String.valueOf(r));
        assertTrue(a instanceof NativeCallException && ((NativeCallException) a).call().equals("accept"), String.valueOf(a));
        assertEquals("EBADF", ((NativeCallException) r).errnoName());
        assertTrue(millis < 1000, "woken after " + millis + " ms");
        srt.close(udp); // harmless twice
        assertThrows(NativeCallException.class, () -> srt.localAddress(udp));
    }

    @Test
    void aDescriptorIsNotReusedWhileABlockedCallStillHoldsIt() throws Exception {
        int udp = srt.socket(InetFamily.INET, InetType.DATAGRAM);
        srt.bind(udp, ANY_LOOPBACK);
        CompletableFuture<Throwable> receiver = blockedCall(() -> srt.receiveFrom(udp, ByteBuffer.allocate(10)));
        awaitBlocked("srt-blocked");
        srt.close(udp);
        receiver.get(5, TimeUnit.SECONDS);
        // every descriptor opened after the close is a new socket, and the closed number serves none of the old calls
        int next = srt.socket(InetFamily.INET, InetType.DATAGRAM);
        srt.bind(next, ANY_LOOPBACK);
        assertTrue(srt.localAddress(next).getPort() > 0);
    }

    @Test
    void closeAllClosesEveryDescriptorAndRefusesNewOnes() throws Exception {
        int a = srt.socket(InetFamily.INET, InetType.DATAGRAM);
        int b = srt.socket(InetFamily.INET6, InetType.STREAM);
        assertEquals(2, srt.openCount());
        srt.closeAll();
        assertEquals(0, srt.openCount());
        assertThrows(NativeCallException.class, () -> srt.localAddress(a));
        assertThrows(NativeCallException.class, () -> srt.localAddress(b));
        NativeCallException e = assertThrows(NativeCallException.class, () -> srt.socket(InetFamily.INET, InetType.DATAGRAM));
        assertTrue(e.getMessage().contains("stopped"), e.getMessage());
    }

    @Test
    void anIpv4AddressOnAnInet6SocketIsV4Mapped() throws Exception {
        int v6 = srt.socket(InetFamily.INET6, InetType.DATAGRAM);
        int v4 = srt.socket(InetFamily.INET, InetType.DATAGRAM);
        srt.bind(v6, new InetSocketAddress(InetAddress.getByName("::"), 0));
        srt.bind(v4, ANY_LOOPBACK);
        int port = srt.localAddress(v6).getPort();
        srt.send(v4, ByteBuffer.wrap(new byte[] {1, 2, 3}), new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        ByteBuffer in = ByteBuffer.allocate(8);
        InetSocketAddress from = srt.receiveFrom(v6, in);
        assertEquals(srt.localAddress(v4).getPort(), from.getPort());
        assertEquals(3, in.position());
        byte[] got = new byte[3];
        in.flip().get(got);
        assertArrayEquals(new byte[] {1, 2, 3}, got);
    }

    interface Call {
        Object run() throws Exception;
    }

    private static CompletableFuture<Throwable> blockedCall(Call call) {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                call.run();
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        }, "srt-blocked");
        t.setDaemon(true);
        t.start();
        return outcome;
    }

    /** Waits until every thread of that name sits in the kernel (state S in /proc), not for a fixed time. */
    private static void awaitBlocked(String name) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            boolean all = true;
            int found = 0;
            try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
                for (var task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                    String comm = java.nio.file.Files.readString(task.resolve("comm")).strip();
                    if (comm.equals(name)) {
                        found++;
                        String stat = java.nio.file.Files.readString(task.resolve("stat"));
                        all &= stat.substring(stat.lastIndexOf(')') + 2).startsWith("S");
                    }
                }
            } catch (java.io.IOException e) {
                all = false; // a task ended while listed
            }
            if (found > 0 && all) {
                return;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError(name + " threads did not block in the kernel within 5 s");
    }

    private static int freePort() throws Exception {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}

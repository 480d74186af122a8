package org.drops.atm.experiments;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The {@code tc tbf} peer's two ends (Table 2), each run in a JVM of its own inside a network namespace
 * ({@code ip netns exec NS java -cp DIR org.drops.atm.experiments.NetnsPeer ...}). Self-contained on purpose: the
 * experiment copies this one class file out of its bundle, so it uses the JDK only and has no nested classes.
 *
 * <pre>
 * NetnsPeer send    WARMUP_MS WINDOW_MS TAIL_MS HOST:PORT:SDU ...   greedy UDP senders, one thread per flow
 * NetnsPeer receive WARMUP_MS WINDOW_MS PORT ...                    counting receivers, one thread per flow
 * </pre>
 *
 * Each prints one line per flow, {@code sent|received PORT BYTES NANOS}: the bytes moved in its window, which
 * starts WARMUP_MS after the start (sender) or after the first datagram of every flow arrived (receiver). The
 * receiver prints {@code ready} once its sockets are bound.
 */
public final class NetnsPeer {

    private NetnsPeer() {
    }

    public static void main(String[] args) throws Exception {
        long warmupMillis = Long.parseLong(args[1]);
        long windowMillis = Long.parseLong(args[2]);
        if (args[0].equals("send")) {
            send(warmupMillis, windowMillis, Long.parseLong(args[3]), List.of(args).subList(4, args.length));
        } else if (args[0].equals("receive")) {
            receive(warmupMillis, windowMillis, List.of(args).subList(3, args.length));
        } else {
            throw new IllegalArgumentException("send or receive, not " + args[0]);
        }
    }

    private static void send(long warmupMillis, long windowMillis, long tailMillis, List<String> flows) throws Exception {
        int n = flows.size();
        AtomicLongArray sent = new AtomicLongArray(n);
        List<Thread> threads = new ArrayList<>();
        List<DatagramChannel> channels = new ArrayList<>();
        int[] ports = new int[n];
        for (int i = 0; i < n; i++) {
            String[] f = flows.get(i).split(":");
            ports[i] = Integer.parseInt(f[1]);
            int sdu = Integer.parseInt(f[2]);
            DatagramChannel c = DatagramChannel.open();
            // a small send buffer: the writer blocks while tbf holds its datagrams instead of overflowing tbf's queue
            c.setOption(StandardSocketOptions.SO_SNDBUF, 512 << 10);
            c.connect(new InetSocketAddress(f[0], ports[i]));
            channels.add(c);
            int index = i;
            Thread t = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(sdu);
                try {
                    while (true) {
                        b.clear();
                        sent.addAndGet(index, c.write(b));
                    }
                } catch (java.io.IOException e) {
                    // closed at the end
                }
            }, "tbf-sender-" + ports[i]);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
        Thread.sleep(warmupMillis); // warm-up before the window
        long[] s0 = new long[n];
        for (int i = 0; i < n; i++) {
            s0[i] = sent.get(i);
        }
        long t0 = System.nanoTime();
        Thread.sleep(windowMillis); // the measurement window
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            System.out.println("sent " + ports[i] + " " + (sent.get(i) - s0[i]) + " " + (t1 - t0));
        }
        System.out.flush();
        Thread.sleep(tailMillis); // keep sending while the receiver's window, started a little later, ends
        for (DatagramChannel c : channels) {
            c.close();
        }
    }

    private static void receive(long warmupMillis, long windowMillis, List<String> portArgs) throws Exception {
        int n = portArgs.size();
        AtomicLongArray received = new AtomicLongArray(n);
        List<DatagramChannel> channels = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            DatagramChannel c = DatagramChannel.open();
            c.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            c.bind(new InetSocketAddress(Integer.parseInt(portArgs.get(i))));
            channels.add(c);
            int index = i;
            Thread t = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(65536);
                try {
                    while (true) {
                        b.clear();
                        c.receive(b);
                        received.addAndGet(index, b.position());
                    }
                } catch (java.io.IOException e) {
                    // closed at the end
                }
            }, "tbf-receiver-" + portArgs.get(i));
            t.setDaemon(true);
            t.start();
        }
        System.out.println("ready");
        System.out.flush();
        long deadline = System.nanoTime() + 30_000_000_000L;
        for (int i = 0; i < n; i++) {
            while (received.get(i) == 0) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("nothing arrived on port " + portArgs.get(i) + " in 30 s");
                }
                Thread.sleep(1); // polling for the first datagram
            }
        }
        Thread.sleep(warmupMillis); // warm-up before the window
        long[] r0 = new long[n];
        for (int i = 0; i < n; i++) {
            r0[i] = received.get(i);
        }
        long t0 = System.nanoTime();
        Thread.sleep(windowMillis); // the measurement window
        long t1 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            System.out.println("received " + portArgs.get(i) + " " + (received.get(i) - r0[i]) + " " + (t1 - t0));
        }
        System.out.flush();
        for (DatagramChannel c : channels) {
            c.close();
        }
    }
}

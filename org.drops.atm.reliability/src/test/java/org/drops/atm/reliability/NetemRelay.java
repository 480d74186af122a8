package org.drops.atm.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code tc netem} in user space, for kernels built without {@code sch_netem} (this CI's VM kernel has
 * {@code # CONFIG_NET_SCH_NETEM is not set}): a UDP relay between two sides of the link, run in a network namespace
 * of its own between the two platforms' namespaces. Each direction impairs datagrams as
 * {@code netem delay D J distribution normal loss L duplicate U reorder R C} does on one interface:
 * a datagram is lost with probability L; else sent after a delay drawn from N(D, J) (at least 0; later datagrams may
 * overtake it, as with netem's jitter), or, with probability R, at once, ahead of the delayed ones (correlation C:
 * the previous decision is repeated with probability C); and with probability U a second copy follows it.
 *
 * <p>{@code java NetemRelay sideA=host:port peerA=host:port sideB=host:port peerB=host:port delayMs jitterMs loss
 * duplicate reorder correlation seed}: datagrams from peerA to sideA go out of sideB to peerB, and back. Only
 * datagrams from the configured peer are relayed. Prints {@code ready}; then answers each stdin line
 * {@code stats} with one line of counters per direction; ends at the end of stdin.
 */
public final class NetemRelay {

    /** Counters of one direction. */
    static final class Counters {
        final AtomicLong received = new AtomicLong();
        final AtomicLong lost = new AtomicLong();
        final AtomicLong duplicated = new AtomicLong();
        final AtomicLong immediate = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong foreign = new AtomicLong();
        final AtomicLong sendErrors = new AtomicLong();

        String line(String name) {
            return String.format(Locale.ROOT, "%s received=%d lost=%d duplicated=%d reordered=%d sent=%d foreign=%d sendErrors=%d",
                    name, received.get(), lost.get(), duplicated.get(), immediate.get(), sent.get(), foreign.get(),
                    sendErrors.get());
        }
    }

    private record Pending(long dueNanos, byte[] data, long order) implements Delayed {
        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(dueNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            Pending p = (Pending) o;
            int c = Long.compare(dueNanos, p.dueNanos);
            return c != 0 ? c : Long.compare(order, p.order);
        }
    }

    public static void main(String[] args) throws Exception {
        InetSocketAddress sideA = address(args[0]);
        InetSocketAddress peerA = address(args[1]);
        InetSocketAddress sideB = address(args[2]);
        InetSocketAddress peerB = address(args[3]);
        double delayMs = Double.parseDouble(args[4]);
        double jitterMs = Double.parseDouble(args[5]);
        double loss = Double.parseDouble(args[6]);
        double duplicate = Double.parseDouble(args[7]);
        double reorder = Double.parseDouble(args[8]);
        double correlation = Double.parseDouble(args[9]);
        long seed = Long.parseLong(args[10]);
        try (DatagramChannel a = DatagramChannel.open().bind(sideA); DatagramChannel b = DatagramChannel.open().bind(sideB)) {
            for (DatagramChannel c : new DatagramChannel[] {a, b}) {
                c.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
                c.setOption(java.net.StandardSocketOptions.SO_SNDBUF, 4 << 20);
            }
            Counters ab = new Counters();
            Counters ba = new Counters();
            start(a, peerA, b, peerB, ab, new Random(seed), delayMs, jitterMs, loss, duplicate, reorder, correlation, "a->b");
            start(b, peerB, a, peerA, ba, new Random(seed + 1), delayMs, jitterMs, loss, duplicate, reorder, correlation, "b->a");
            System.out.println("ready");
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.trim().equals("stats")) {
                    System.out.println(ab.line("a->b") + " | " + ba.line("b->a"));
                    System.out.flush();
                }
            }
        }
    }

    private static void start(DatagramChannel from, SocketAddress expected, DatagramChannel to, SocketAddress target,
            Counters counters, Random random, double delayMs, double jitterMs, double loss, double duplicate,
            double reorder, double correlation, String name) {
        DelayQueue<Pending> queue = new DelayQueue<>();
        AtomicLong order = new AtomicLong();
        Thread receiver = new Thread(() -> {
            ByteBuffer buffer = ByteBuffer.allocateDirect(65536);
            boolean lastReorder = false;
            try {
                while (true) {
                    buffer.clear();
                    SocketAddress sender = from.receive(buffer);
                    if (!expected.equals(sender)) {
                        counters.foreign.incrementAndGet();
                        continue;
                    }
                    counters.received.incrementAndGet();
                    buffer.flip();
                    byte[] data = new byte[buffer.remaining()];
                    buffer.get(data);
                    if (random.nextDouble() < loss) {
                        counters.lost.incrementAndGet();
                        continue;
                    }
                    long now = System.nanoTime();
                    // correlated with the last decision: repeat it with probability C, else draw afresh (netem mixes
                    // the random numbers instead, which makes its reorder rate far below the one asked for)
                    boolean sendAtOnce = random.nextDouble() < correlation ? lastReorder : random.nextDouble() < reorder;
                    lastReorder = sendAtOnce;
                    long due;
                    if (sendAtOnce) {
                        counters.immediate.incrementAndGet();
                        due = now;
                    } else {
                        due = now + (long) (Math.max(0, delayMs + jitterMs * random.nextGaussian()) * 1e6);
                    }
                    queue.add(new Pending(due, data, order.getAndIncrement()));
                    if (random.nextDouble() < duplicate) {
                        counters.duplicated.incrementAndGet();
                        queue.add(new Pending(due, data, order.getAndIncrement()));
                    }
                }
            } catch (IOException e) {
                // the channel closed: the relay ends (a receive error on a cut link is not an IOException here:
                // nothing arrives)
            }
        }, name + "-rx");
        Thread sender = new Thread(() -> {
            try {
                while (to.isOpen()) {
                    Pending p = queue.take();
                    try {
                        to.send(ByteBuffer.wrap(p.data()), target);
                        counters.sent.incrementAndGet();
                    } catch (IOException e) {
                        counters.sendErrors.incrementAndGet(); // the link is cut (no route, no carrier): lost
                    }
                }
            } catch (InterruptedException e) {
                // ends with the relay
            }
        }, name + "-tx");
        receiver.setDaemon(true);
        sender.setDaemon(true);
        receiver.start();
        sender.start();
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}

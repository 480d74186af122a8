package org.drops.atm.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.server.ProtocolServer;
import org.drops.atm.itest.Interfaces;
import org.drops.atm.itest.Platform;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 10, faults: 10⁴ open/close cycles (10⁵ in the long mode) of CBR and UBR sockets, transmit and receive,
 * every 50th with traffic; afterwards the live threads and the direct buffers are back at the baseline taken after a
 * warm-up, no atm-worker thread is left, and admission control holds nothing.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class OpenCloseCyclesIT {

    static final int CYCLES = (int) Mode.pick(10_000, 100_000);
    static final int WARM_UP = 1_000;
    /**
     * Threads outside the platform that may start lazily in the JVM during the run and stay (a JDK cleaner or
     * timer, a ForkJoin worker of the common pool, an Event Admin delivery thread): the platform's own threads are
     * compared by name, exactly.
     */
    static final int FOREIGN_THREAD_TOLERANCE = 2;
    /** Direct buffers allocated lazily outside the rings (NIO's temporary buffer cache of a thread): at most a few. */
    static final int DIRECT_COUNT_TOLERANCE = 4;
    static final long DIRECT_BYTES_TOLERANCE = 256 * 1024;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Inject
    AtmSocketFactory sockets;

    @Inject
    ProtocolServer server;

    @Inject
    AdmissionControl admission;

    @Configuration
    public Option[] configuration() throws IOException {
        return Platform.options();
    }

    static BufferPoolMXBean direct() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream().filter(b -> b.getName().equals("direct"))
                .findFirst().orElseThrow();
    }

    static Set<String> atmThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("atm-")).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(t -> t.getName() + "#" + t.getId())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * Direct buffers after full collections: the rings of closed connections are freed by their cleaners, which run
     * after the collection. Without a baseline, until two readings 200 ms apart agree (the baseline itself must not
     * count garbage of the warm-up); with one, until back within the tolerance. Polled with a deadline.
     */
    static long[] directAfterGc(long[] baseline) throws InterruptedException {
        BufferPoolMXBean d = direct();
        long deadline = System.currentTimeMillis() + 20_000;
        long[] previous = null;
        while (true) {
            System.gc();
            Thread.sleep(200); // the cleaner thread's turn; the condition below is what is waited for
            long[] now = {d.getCount(), d.getMemoryUsed()};
            boolean done = baseline == null
                    ? previous != null && previous[0] == now[0] && previous[1] == now[1]
                    : now[0] <= baseline[0] + DIRECT_COUNT_TOLERANCE && now[1] <= baseline[1] + DIRECT_BYTES_TOLERANCE;
            if (done || System.currentTimeMillis() > deadline) {
                return now;
            }
            previous = now;
        }
    }

    private int traffic = 0;

    /** One cycle: a socket opened and closed; every 50th a pair carrying a few SDUs. */
    private void cycle(int i) throws Exception {
        int vci = 100 + (i % 1000);
        if (i % 50 == 49) {
            String qos = (i / 50) % 2 == 0 ? "cbr:pcr=20000,sdu=1500" : "ubr:sdu=1500";
            try (AtmSocket rx = sockets.createSocket(); AtmSocket tx = sockets.createSocket()) {
                rx.setQos(qos);
                tx.setQos(qos);
                rx.bind(PvcAddress.of(75, 0, vci));
                tx.connect(PvcAddress.of(74, 0, vci));
                ByteBuffer sdu = ByteBuffer.allocate(1500);
                for (int n = 0; n < 4; n++) {
                    sdu.clear();
                    sdu.putInt(0, i * 4 + n);
                    tx.write(sdu);
                }
                ByteBuffer in = ByteBuffer.allocate(1500);
                for (int n = 0; n < 4; n++) {
                    in.clear();
                    assertEquals("cycle " + i + " SDU " + n + " arrived", 1500, rx.read(in, 5, TimeUnit.SECONDS));
                    assertEquals("cycle " + i + " SDU " + n, i * 4 + n, in.getInt(0));
                }
                traffic++;
            }
            return;
        }
        String qos = switch (i % 4) {
            case 0, 1 -> "cbr:pcr=" + (1000 + i % 5000) + ",sdu=" + (64 + i % 9000);
            default -> "ubr:sdu=" + (64 + i % 9000);
        };
        try (AtmSocket s = sockets.createSocket()) {
            s.setQos(qos);
            if (i % 2 == 0) {
                s.connect(PvcAddress.of(74, 0, vci));
            } else {
                s.bind(PvcAddress.of(75, 0, vci));
            }
        }
    }

    @Test
    public void openCloseCyclesLeaveThreadsAndDirectMemoryAtTheBaseline() throws Exception {
        try (Interfaces itfs = Interfaces.backToBack(configurationAdmin, 74, 75, "rel-misbehave-c")) {
            Platform.awaitInterfaces(server, 74, 75);
            for (int i = 0; i < WARM_UP; i++) {
                cycle(i);
            }
            // the baseline, after the warm-up created whatever is created lazily once
            long[] directBefore = directAfterGc(null);
            Set<String> atmBefore = atmThreads();
            Set<String> threadsBefore = liveThreads();
            String booksBefore = books();
            long t0 = System.nanoTime();
            for (int i = 0; i < CYCLES; i++) {
                cycle(WARM_UP + i);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue("no connection left: " + server.connections(), server.connections().isEmpty());
            long deadline = System.currentTimeMillis() + 10_000;
            while (!atmThreads().equals(atmBefore) && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait(); // a worker joined by the close is gone at once; polled with a deadline all the same
            }
            Set<String> atmAfter = atmThreads();
            Set<String> threadsAfter = liveThreads();
            long[] directAfter = directAfterGc(directBefore);
            Set<String> newThreads = new TreeSet<>(threadsAfter);
            newThreads.removeAll(threadsBefore);
            String line = String.format(Locale.ROOT, "%d open/close cycles (%d with traffic) in %.1f s (%.0f µs each): live threads %d -> %d "
                    + "(new: %s), atm threads %d -> %d, direct buffers %d -> %d, direct bytes %d -> %d",
                    CYCLES, traffic, seconds, seconds * 1e6 / CYCLES, threadsBefore.size(), threadsAfter.size(), newThreads,
                    atmBefore.size(), atmAfter.size(), directBefore[0], directAfter[0], directBefore[1], directAfter[1]);
            System.out.println(line);
            assertEquals("the platform's threads are those of the baseline: " + line, atmBefore, atmAfter);
            assertTrue("no worker is left: " + atmAfter, atmAfter.stream().noneMatch(n -> n.startsWith("atm-worker-")));
            assertTrue("live threads back to the baseline: " + line, threadsAfter.size() <= threadsBefore.size() + FOREIGN_THREAD_TOLERANCE);
            assertTrue("direct buffers back to the baseline: " + line, directAfter[0] <= directBefore[0] + DIRECT_COUNT_TOLERANCE);
            assertTrue("direct memory back to the baseline: " + line, directAfter[1] <= directBefore[1] + DIRECT_BYTES_TOLERANCE);
            assertEquals("admission control holds what it held before", booksBefore, books());
            assertNotNull(admission.state(74).orElse(null));
        }
    }

    private String books() {
        StringBuilder b = new StringBuilder();
        for (int itf : new int[] {74, 75}) {
            admission.state(itf).ifPresent(s -> {
                b.append(itf).append(": ");
                s.resources().forEach(r -> b.append(r.resource()).append('=').append(r.reserved()).append(' '));
                b.append(s.reservations().size()).append(" reservations; ");
            });
        }
        return b.toString();
    }
}

package org.drops.atm.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.Resource;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.admission.ResourceState;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficParameters;
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
 * Issue 10, faults: admission control driven by 8 threads through the socket service (not the admission-control
 * service directly, as AdmissionControlIT does): each opens CBR and VBR connections of random rates, SDU sizes and
 * delay-variation tolerances on the same two interfaces, in both directions, and closes them, for 10⁴ rounds per
 * thread in the long mode. After every step, and all the time from a monitor thread, no resource is over-committed
 * (bandwidth per interface, the buffer budget, CPU utilisation); at quiescent checkpoints (a barrier every 100
 * rounds) and at the end, admission control's reservations are exactly the connections the threads believe open,
 * and their sums are what it reports reserved.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConcurrentAdmissionIT {

    static final int THREADS = 8;
    static final int ROUNDS = (int) Mode.pick(2_000, 10_000);
    static final int CHECKPOINT_EVERY = 100;
    static final int ITF_A = 76;
    static final int ITF_B = 77;
    static final int[] SDUS = {48, 1500, 4096, 8192, 9180};

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

    /** What a thread believes it holds: the socket and what it asked for. */
    record Held(AtmSocket socket, PvcAddress pvc, Direction direction, Qos qos) {
        String key() {
            return direction + " " + pvc + " " + qos;
        }
    }

    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();
    /** The highest share of each resource's capacity seen reserved, by "itf resource". */
    private final Map<String, Double> peaks = new ConcurrentHashMap<>();

    private void count(String what) {
        counters.computeIfAbsent(what, k -> new AtomicLong()).incrementAndGet();
    }

    /** Over-commitment check of one snapshot: every resource's reserved amount within its capacity. */
    private void checkNotOverCommitted(String when) {
        for (int itf : new int[] {ITF_A, ITF_B}) {
            AdmissionState s = admission.state(itf).orElse(null);
            if (s == null) {
                violations.add(when + ": itf " + itf + " unknown to admission control");
                continue;
            }
            for (ResourceState r : s.resources()) {
                peaks.merge(itf + " " + r.resource(), r.reserved() / r.capacity(), Math::max);
                if (r.reserved() > r.capacity() + 1e-9 || r.reserved() < -1e-9) {
                    violations.add(when + ": itf " + itf + " " + r + " over-committed");
                }
            }
            // per direction, from the reservations themselves
            for (Direction d : Direction.values()) {
                double sum = s.reservations().stream().filter(r -> r.request().direction() == d)
                        .mapToDouble(Reservation::bandwidthCellsPerSecond).sum();
                double capacity = s.resources().stream().filter(r -> r.resource() == Resource.BANDWIDTH).findFirst().orElseThrow().capacity();
                if (sum > capacity) {
                    violations.add(when + ": itf " + itf + " " + d + " reservations sum to " + sum + " cells/s of " + capacity);
                }
            }
        }
    }

    /**
     * A random guaranteed contract. One in three is buffer-heavy (a modest rate, 9180-byte SDUs and a long delay-
     * variation tolerance: the jitter-constrained receive ring is large), so the buffer budget binds as well as the
     * bandwidth; the others range up to a third of OC-3.
     */
    static Qos randomContract(Random random) {
        int sdu = SDUS[random.nextInt(SDUS.length)];
        int cdv = 1_000 + random.nextInt(60_000);
        int pcr = 500 + random.nextInt(120_000);
        if (random.nextInt(3) == 0) {
            sdu = 9180;
            cdv = 100_000 + random.nextInt(900_000);
            pcr = 2_000 + random.nextInt(20_000);
        }
        switch (random.nextInt(3)) {
            case 0:
                return Qos.parse("cbr:pcr=" + pcr + ",sdu=" + sdu + ",cdv=" + cdv);
            case 1:
                return Qos.parse("rt-vbr:pcr=" + pcr + ",scr=" + (1 + random.nextInt(pcr)) + ",mbs=" + (1 + random.nextInt(200))
                        + ",sdu=" + sdu + ",cdv=" + cdv);
            default:
                return Qos.parse("nrt-vbr:pcr=" + pcr + ",scr=" + (1 + random.nextInt(pcr)) + ",mbs=" + (1 + random.nextInt(200))
                        + ",sdu=" + sdu + ",cdv=" + cdv);
        }
    }

    /** The bandwidth admission control reserves for a contract: CBR its peak, VBR its sustainable rate. */
    static double reservedRate(TrafficParameters tp) {
        return tp.trafficClass().isVariableBitRate() ? tp.scrCps() : tp.topPcrCps();
    }

    /** At a quiescent point: the reservations are exactly what the threads hold, and their sums are the reserved amounts. */
    private void checkBooks(String when, List<List<Held>> held) {
        Set<String> believed = new TreeSet<>();
        Map<Integer, Double> believedRate = new HashMap<>();
        for (List<Held> list : held) {
            for (Held h : list) {
                believed.add(h.key());
                believedRate.merge(h.pvc().itf(), reservedRate(h.qos().direction(h.direction())), Double::sum);
            }
        }
        Set<String> booked = new TreeSet<>();
        double buffer = 0;
        double cpu = 0;
        Map<Integer, ResourceState> bufferState = new HashMap<>();
        Map<Integer, ResourceState> cpuState = new HashMap<>();
        for (int itf : new int[] {ITF_A, ITF_B}) {
            AdmissionState s = admission.state(itf).orElseThrow();
            for (Reservation r : s.reservations()) {
                booked.add(r.request().direction() + " " + r.request().pvc() + " " + r.request().qos());
                buffer += r.bufferBytes();
                cpu += r.cpuUtilisation();
            }
            ResourceState bw = s.resources().stream().filter(r -> r.resource() == Resource.BANDWIDTH).findFirst().orElseThrow();
            double expected = believedRate.getOrDefault(itf, 0.0);
            if (bw.reserved() != expected) {
                violations.add(when + ": itf " + itf + " reserves " + bw.reserved() + " cells/s; the open contracts sum to " + expected);
            }
            s.resources().stream().filter(r -> r.resource() == Resource.BUFFER).forEach(r -> bufferState.put(itf, r));
            s.resources().stream().filter(r -> r.resource() == Resource.CPU).forEach(r -> cpuState.put(itf, r));
        }
        if (!believed.equals(booked)) {
            Set<String> missing = new TreeSet<>(believed);
            missing.removeAll(booked);
            Set<String> extra = new TreeSet<>(booked);
            extra.removeAll(believed);
            violations.add(when + ": reservations differ from the open connections: not booked " + missing + ", booked but not open " + extra);
        }
        // buffers and CPU are host-wide: what the reservations on these interfaces hold, over the baseline
        double bufferReserved = bufferState.get(ITF_A).reserved() - baselineBuffer;
        double cpuReserved = cpuState.get(ITF_A).reserved() - baselineCpu;
        if (bufferReserved != buffer) {
            violations.add(when + ": buffer reserved " + bufferReserved + " bytes over the baseline; the reservations hold " + buffer);
        }
        if (Math.abs(cpuReserved - cpu) > 1e-6) {
            violations.add(when + ": CPU reserved " + cpuReserved + " over the baseline; the reservations hold " + cpu);
        }
    }

    private double baselineBuffer;
    private double baselineCpu;

    @Test
    public void eightThreadsOpeningAndClosingThroughTheSocketServiceNeverOverCommitAnyResource() throws Exception {
        try (Interfaces itfs = Interfaces.backToBack(configurationAdmin, ITF_A, ITF_B, "rel-misbehave-d")) {
            Platform.awaitInterfaces(server, ITF_A, ITF_B);
            AdmissionState before = admission.state(ITF_A).orElseThrow();
            assertTrue("nothing reserved on the test's interfaces yet: " + before, before.reservations().isEmpty()
                    && admission.state(ITF_B).orElseThrow().reservations().isEmpty());
            baselineBuffer = before.resources().stream().filter(r -> r.resource() == Resource.BUFFER).findFirst().orElseThrow().reserved();
            baselineCpu = before.resources().stream().filter(r -> r.resource() == Resource.CPU).findFirst().orElseThrow().reserved();

            List<List<Held>> held = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                held.add(new ArrayList<>());
            }
            AtomicLong checkpoints = new AtomicLong();
            CyclicBarrier barrier = new CyclicBarrier(THREADS, () -> {
                checkpoints.incrementAndGet();
                checkBooks("checkpoint " + checkpoints.get(), held); // every thread waits at the barrier: quiescent
            });
            stopMonitor = false;
            Thread monitor = new Thread(() -> {
                while (!stopMonitor) {
                    checkNotOverCommitted("monitor");
                    count("monitor snapshots");
                }
            }, "rel-misbehave-monitor");
            monitor.start();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> errors = new CopyOnWriteArrayList<>();
            long t0 = System.nanoTime();
            for (int t = 0; t < THREADS; t++) {
                int id = t;
                Thread thread = new Thread(() -> {
                    try {
                        drive(id, held.get(id), barrier);
                    } catch (Throwable e) {
                        errors.add(e);
                        barrier.reset();
                    }
                }, "rel-misbehave-admit-" + t);
                threads.add(thread);
                thread.start();
            }
            for (Thread t : threads) {
                t.join(600_000);
            }
            stopMonitor = true;
            monitor.join(10_000);
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertTrue("no thread failed: " + errors, errors.isEmpty());
            checkBooks("the end", held);
            Map<String, Long> c = new java.util.TreeMap<>();
            counters.forEach((k, v) -> c.put(k, v.get()));
            System.out.println(String.format(Locale.ROOT, "%d threads x %d rounds in %.1f s, %d quiescent checkpoints: %s; violations %d; "
                    + "peak share of capacity reserved: %s; state at the end: %s",
                    THREADS, ROUNDS, seconds, checkpoints.get(), c, violations.size(), new java.util.TreeMap<>(peaks),
                    admission.state(ITF_A).orElseThrow().resources()));
            assertTrue("violations: " + violations.stream().limit(20).collect(Collectors.toList()), violations.isEmpty());
            // Bandwidth binds in every run; whether the buffer budget binds first for some request depends on the
            // random mix and the interleaving (0 to 5 buffer refusals per run were seen), so it is reported, not
            // required: the monitor checks the buffer account on every snapshot either way, and the peak share of
            // the buffer budget reserved (printed above, 99.4 % in the runs so far) shows it was approached.
            assertTrue("the rounds were meaningful: admissions and bandwidth refusals seen: " + c,
                    c.getOrDefault("admitted", 0L) > THREADS * ROUNDS / 4 && c.getOrDefault("refused BANDWIDTH", 0L) > 0);
            assertTrue("the buffer budget was approached (over half reserved at a peak): " + peaks,
                    peaks.entrySet().stream().anyMatch(p -> p.getKey().contains("BUFFER") && p.getValue() > 0.5));
            for (List<Held> list : held) {
                for (Held h : list) {
                    h.socket().close();
                }
                list.clear();
            }
            checkBooks("after closing everything", held);
            assertTrue("violations: " + violations, violations.isEmpty());
            assertTrue(admission.state(ITF_A).orElseThrow().reservations().isEmpty());
        }
    }

    private volatile boolean stopMonitor;

    private void drive(int id, List<Held> mine, CyclicBarrier barrier) throws Exception {
        Random random = new Random(2026L * 31 + id);
        int next = 0;
        for (int round = 0; round < ROUNDS; round++) {
            boolean open = mine.isEmpty() || (mine.size() < 6 && random.nextInt(100) < 55);
            if (open) {
                Qos qos = randomContract(random);
                boolean transmit = random.nextBoolean();
                int itf = random.nextBoolean() ? ITF_A : ITF_B;
                PvcAddress pvc = PvcAddress.of(itf, 0, 1000 + id * 1000 + (next++ % 1000));
                while (inUse(mine, pvc, transmit)) {
                    pvc = PvcAddress.of(itf, 0, 1000 + id * 1000 + (next++ % 1000));
                }
                AtmSocket s = sockets.createSocket();
                s.setQos(qos);
                try {
                    if (transmit) {
                        s.connect(pvc);
                    } else {
                        s.bind(pvc);
                    }
                    synchronized (mine) {
                        mine.add(new Held(s, pvc, transmit ? Direction.TRANSMIT : Direction.RECEIVE, qos));
                    }
                    count("admitted");
                } catch (AdmissionException e) {
                    count("refused " + e.resource());
                    s.close();
                }
            } else {
                Held h;
                synchronized (mine) {
                    h = mine.remove(random.nextInt(mine.size()));
                }
                h.socket().close();
                count("closed");
            }
            checkNotOverCommitted("thread " + id + " round " + round);
            if (round % CHECKPOINT_EVERY == CHECKPOINT_EVERY - 1) {
                barrier.await();
            }
        }
    }

    private static boolean inUse(List<Held> mine, PvcAddress pvc, boolean transmit) {
        Direction d = transmit ? Direction.TRANSMIT : Direction.RECEIVE;
        return mine.stream().anyMatch(h -> h.pvc().equals(pvc) && h.direction() == d);
    }
}

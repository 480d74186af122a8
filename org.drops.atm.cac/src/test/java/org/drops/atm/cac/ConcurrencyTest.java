package org.drops.atm.cac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.admission.AdmissionRequest;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.admission.ResourceState;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.junit.jupiter.api.Test;

/**
 * Eight threads admit and release at random against the same books while a ninth reads the accounts. The
 * threads keep their own ledger of what they hold, independent of the books: a thread adds a reservation's
 * amounts after admit returns and subtracts them before it calls release, so the ledger never exceeds what the
 * books hold. If the books ever granted more than a capacity, that ledger would show it.
 */
class ConcurrencyTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 10_000;
    private static final long RESERVE = 10_000;
    private static final long BUDGET_BYTES = 1024 * 1024;
    private static final int[] SDU_SIZES = {40, 1500, 8192, 9180, 65535};

    private final AtomicLong[] heldCellsPerSecond = {new AtomicLong(), new AtomicLong()};
    private final AtomicLong heldBytes = new AtomicLong();
    private final AtomicLong heldCpuNanos = new AtomicLong();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    @Test
    void eightThreadsAdmittingAndReleasingForTenThousandRoundsNeverOverCommit() throws Exception {
        AdmissionSettings settings = Fixtures.settings(RESERVE, BUDGET_BYTES, 65535, 2, 4, 0.8);
        Ledger ledger = Fixtures.ledger(settings, Fixtures.cpu(5000, 20, 5000, 20));
        long bandwidthCapacity = Fixtures.OC3 - RESERVE;
        long cpuCapacityNanos = settings.cpuCapacityNanosPerSecond();
        CountDownLatch start = new CountDownLatch(1);
        AtomicLong attempts = new AtomicLong();
        AtomicLong admitted = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            long seed = 4711L * (t + 1);
            workers.add(new Thread(() -> run(() -> {
                start.await();
                Random random = new Random(seed);
                List<Reservation> mine = new ArrayList<>();
                for (int round = 0; round < ROUNDS; round++) {
                    if (mine.isEmpty() || random.nextInt(100) < 55) {
                        attempts.incrementAndGet();
                        try {
                            Reservation r = ledger.admit(randomRequest(random));
                            admitted.incrementAndGet();
                            mine.add(r);
                            add(r, +1, bandwidthCapacity, cpuCapacityNanos);
                        } catch (AdmissionException refused) {
                            // contention or limits: expected
                        }
                    } else {
                        Reservation r = mine.remove(random.nextInt(mine.size()));
                        add(r, -1, bandwidthCapacity, cpuCapacityNanos);
                        assertTrue(ledger.release(r), "held reservation " + r.id());
                        if (random.nextInt(100) == 0) {
                            assertFalse(ledger.release(r), "second release of " + r.id());
                        }
                    }
                }
                for (Reservation r : mine) {
                    add(r, -1, bandwidthCapacity, cpuCapacityNanos);
                    assertTrue(ledger.release(r));
                }
            }), "admitter-" + t));
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong snapshots = new AtomicLong();
        Thread monitor = new Thread(() -> run(() -> {
            start.await();
            while (!done.get()) {
                LedgerPropertiesTest.assertWithinCapacities(ledger);
                snapshots.incrementAndGet();
            }
        }), "monitor");
        workers.forEach(Thread::start);
        monitor.start();
        start.countDown();
        for (Thread w : workers) {
            w.join(TimeUnit.SECONDS.toMillis(120));
            assertFalse(w.isAlive(), w.getName() + " did not finish");
        }
        done.set(true);
        monitor.join(TimeUnit.SECONDS.toMillis(10));
        if (failure.get() != null) {
            throw new AssertionError("a thread failed", failure.get());
        }

        assertEquals(0, heldCellsPerSecond[0].get() + heldCellsPerSecond[1].get() + heldBytes.get() + heldCpuNanos.get());
        for (AdmissionState state : ledger.states()) {
            for (ResourceState resource : state.resources()) {
                assertEquals(0.0, resource.reserved(), resource.toString());
                assertEquals(resource.capacity(), resource.free());
            }
        }
        AdmissionCounters counters = ledger.counters();
        assertEquals(admitted.get(), counters.admitted());
        assertEquals(counters.admitted(), counters.released());
        assertEquals(attempts.get(), counters.admitted() + counters.refused());
        // the run is only a test if the limits were reached often, and the monitor really looked
        assertTrue(counters.refusedBandwidth() > 1000 && counters.refusedBuffer() > 100 && counters.refusedCpu() > 100,
                counters.toString());
        assertTrue(snapshots.get() > 100, snapshots.get() + " snapshots");
    }

    /** Adds (sign +1) or removes (−1) a reservation from the threads' own ledger and checks it against capacity. */
    private void add(Reservation r, int sign, long bandwidthCapacity, long cpuCapacityNanos) {
        long cells = heldCellsPerSecond[r.request().pvc().itf()].addAndGet(sign * (long) r.bandwidthCellsPerSecond());
        long bytes = heldBytes.addAndGet(sign * r.bufferBytes());
        long cpu = heldCpuNanos.addAndGet(sign * Math.round(r.cpuUtilisation() * 1e9));
        if (sign > 0) {
            assertTrue(cells <= bandwidthCapacity, "itf " + r.request().pvc().itf() + " holds " + cells + " cells/s");
            assertTrue(bytes <= BUDGET_BYTES, "held " + bytes + " bytes");
            assertTrue(cpu <= cpuCapacityNanos, "held " + cpu + " CPU ns/s");
        }
    }

    private static AdmissionRequest randomRequest(Random random) {
        int itf = random.nextInt(2);
        Direction direction = random.nextBoolean() ? Direction.TRANSMIT : Direction.RECEIVE;
        int sdu = SDU_SIZES[random.nextInt(SDU_SIZES.length)];
        int rate = 1 + random.nextInt(120_000);
        int cdv = random.nextInt(30_000);
        TrafficParameters tp = switch (random.nextInt(4)) {
            case 0, 1 -> TrafficParameters.builder(TrafficClass.CBR).pcrCps(rate).maxSduBytes(sdu).maxCdvMicros(cdv).build();
            case 2 -> TrafficParameters.builder(random.nextBoolean() ? TrafficClass.RT_VBR : TrafficClass.NRT_VBR)
                    .pcrCps(rate + random.nextInt(100_000)).scrCps(rate).mbsCells(1 + random.nextInt(2000))
                    .maxSduBytes(sdu).maxCdvMicros(cdv).build();
            default -> TrafficParameters.builder(TrafficClass.UBR).maxSduBytes(sdu).build();
        };
        Qos qos = direction == Direction.TRANSMIT ? Qos.transmit(tp) : Qos.receive(tp);
        return new AdmissionRequest(new PvcAddress(itf, 0, 100), qos, direction);
    }

    private interface Body {
        void run() throws Exception;
    }

    private void run(Body body) {
        try {
            body.run();
        } catch (Throwable t) {
            failure.compareAndSet(null, t);
        }
    }
}

package org.drops.atm.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.inject.Inject;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.scheduling.RealTimeScheduler;
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
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 10, the soak of the paper's five pre-scheduled writers (Figure 7 and 8: CBR 10, 20, 30 and 40 Mbit/s of
 * 8192-byte SDUs set up and torn down on a schedule, a UBR writer throughout), over a memory wire between
 * interfaces 82 and 83 at OC-3. Per phase: every CBR connection delivers its contracted rate within ±0.5 %, every
 * SDU of a CBR connection arrives in order and intact (sequence number and CRC-32 in each), the UBR connection
 * loses only SDUs the platform counted, admission control's books match the open connections, and threads and
 * direct memory do not grow. Short mode: three phases in about 30 s; long mode
 * ({@code -Dreliability.long=true}): three rounds of all fifteen combinations, one hour.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SoakIT {

    static final int ITF_TX = 82;
    static final int ITF_RX = 83;
    static final String WIRE = "rel-chaos-soak";
    static final int[] MBITS = {10, 20, 30, 40};
    /** The rate bound of a CBR connection per phase. */
    static final double TOLERANCE = 0.005;
    /** Time after a phase's set-up and teardowns before its measurement window opens. */
    static final long SETTLE_MILLIS = 2_000;

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Inject
    ProtocolServer server;

    @Configuration
    public Option[] configuration() throws IOException {
        return Platform.options();
    }

    /**
     * The schedule: sets of running CBR connections (by Mbit/s). Figure 7 runs the connections separately first,
     * then as many combinations as possible; the long mode does all fifteen, three times over (an hour). The short
     * mode compresses it to three phases that tear down and set up again and repeat their first set at the end (so
     * that memory can be compared between equal sets).
     */
    static List<Set<Integer>> schedule() {
        if (!Mode.isLong()) {
            return List.of(Set.of(10, 20, 30, 40), Set.of(10, 30), Set.of(10, 20, 30, 40));
        }
        List<Set<Integer>> round = new ArrayList<>();
        for (int size = 1; size <= 4; size++) {
            for (int mask = 1; mask < 16; mask++) {
                if (Integer.bitCount(mask) == size) {
                    Set<Integer> set = new TreeSet<>();
                    for (int i = 0; i < 4; i++) {
                        if ((mask & (1 << i)) != 0) {
                            set.add(MBITS[i]);
                        }
                    }
                    round.add(set);
                }
            }
        }
        List<Set<Integer>> all = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            all.addAll(round);
        }
        return all;
    }

    @Test
    public void theFiveWriterScheduleKeepsEveryRateAndDeliversEverySduInOrderWithoutGrowth() throws Exception {
        List<Set<Integer>> schedule = schedule();
        long phaseMillis = Mode.pick(9_000, 80_000); // short: 3 phases of 9 s; long: 45 phases of 80 s, one hour
        long windowMillis = phaseMillis - SETTLE_MILLIS;
        org.osgi.service.cm.Configuration core = configurationAdmin.getConfiguration("org.drops.atm.core", "?");
        Dictionary<String, Object> coreProperties = new Hashtable<>();
        coreProperties.put("policy.name", "interval-credit");
        core.update(coreProperties);
        try (Interfaces itfs = Interfaces.backToBack(configurationAdmin, ITF_TX, ITF_RX, WIRE)) {
            Platform.awaitInterfaces(server, ITF_TX, ITF_RX);
            AtmSocketFactory sockets = PlatformChecks.service(context, AtmSocketFactory.class, 10_000);
            AdmissionControl cac = PlatformChecks.service(context, AdmissionControl.class, 10_000);
            assertNotNull(sockets);
            assertNotNull(cac);
            RealTimeScheduler scheduler = PlatformChecks.service(context, RealTimeScheduler.class, 0);
            long directBefore = PlatformChecks.directBytesAfterGc();
            List<String> atmBefore = PlatformChecks.atmThreads();

            Map<Integer, SequencedStream> cbr = new LinkedHashMap<>();
            int vci = 200;
            for (int m : MBITS) {
                cbr.put(m, SequencedStream.cbr(m, ITF_TX, ITF_RX, vci++));
            }
            SequencedStream ubr = SequencedStream.ubr(ITF_TX, ITF_RX, vci);
            ubr.receiveDeviceDrops = PlatformChecks.receiveDrops(context, ITF_RX);
            Set<Integer> running = new TreeSet<>();
            List<String> failures = new ArrayList<>();
            List<String> steadyThreads = null;
            Map<Set<Integer>, Long> directBySet = new HashMap<>();
            long started = System.nanoTime();
            try {
                ubr.open(sockets, scheduler);
                for (int phase = 1; phase <= schedule.size(); phase++) {
                    Set<Integer> wanted = schedule.get(phase - 1);
                    // tear down, then set up, as the schedule says
                    for (int m : new ArrayList<>(running)) {
                        if (!wanted.contains(m)) {
                            SequencedStream s = cbr.get(m);
                            String left = s.deliveryProblems();
                            s.close();
                            running.remove(m);
                            if (!left.isEmpty()) {
                                failures.add("phase " + phase + ", " + s.name + " at its teardown:" + left);
                            }
                        }
                    }
                    for (int m : wanted) {
                        if (running.add(m)) {
                            cbr.get(m).open(sockets, scheduler);
                        }
                    }
                    Thread.sleep(SETTLE_MILLIS); // the schedule's settling time before the measurement window
                    Map<Integer, long[]> at0 = new HashMap<>();
                    for (int m : running) {
                        at0.put(m, new long[] {cbr.get(m).rx.statistics().bytes()});
                    }
                    long u0 = ubr.rx.statistics().bytes();
                    long t0 = System.nanoTime();
                    Thread.sleep(windowMillis); // the phase's measurement window
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "soak phase %2d %-16s", phase, running));
                    for (int m : running) {
                        SequencedStream s = cbr.get(m);
                        double rate = (s.rx.statistics().bytes() - at0.get(m)[0]) / seconds;
                        double error = rate / s.contractedBytesPerSecond - 1;
                        line.append(String.format(Locale.ROOT, " | %d Mbit/s %+.3f %%", m, error * 100));
                        if (Math.abs(error) > TOLERANCE) {
                            failures.add(String.format(Locale.ROOT, "phase %d %s: %s delivered %.0f B/s, contracted %.0f B/s, error %+.3f %% (bound ±%.1f %%)",
                                    phase, running, s.name, rate, s.contractedBytesPerSecond, error * 100, TOLERANCE * 100));
                        }
                        String p = s.survivorProblems(new long[] {0, 0, 0, 0});
                        if (!p.isEmpty()) {
                            failures.add("phase " + phase + ": " + p);
                        }
                    }
                    double ubrRate = (ubr.rx.statistics().bytes() - u0) / seconds;
                    String ubrProblems = ubr.survivorProblems(new long[] {0, 0, 0, 0});
                    if (!ubrProblems.isEmpty()) {
                        failures.add("phase " + phase + ": " + ubrProblems);
                    }
                    String books = PlatformChecks.admissionInconsistencies(cac, server, ITF_TX, ITF_RX);
                    if (!books.isEmpty()) {
                        failures.add("phase " + phase + ": admission books: " + books);
                    }
                    // threads: the platform's and the test's own, without those of the connections open now
                    List<String> threads = PlatformChecks.threadNames();
                    threads.removeIf(n -> n.startsWith("atm-worker-") || n.startsWith("rel-chaos-reader-") || n.startsWith("rel-chaos-writer-"));
                    if (steadyThreads == null) {
                        steadyThreads = threads;
                    } else if (!PlatformChecks.difference(steadyThreads, threads).isEmpty()) {
                        failures.add("phase " + phase + ": threads beside the connections' changed since phase 1: "
                                + PlatformChecks.difference(steadyThreads, threads));
                    }
                    // direct memory: never above what the same set of connections used the first time
                    Long reference = directBySet.get(running);
                    long[] direct = {0};
                    PlatformChecks.await(reference == null ? 0 : 5_000, () -> {
                        try {
                            direct[0] = PlatformChecks.directBytesAfterGc();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                        return reference == null || direct[0] <= reference;
                    });
                    if (reference == null) {
                        directBySet.put(Set.copyOf(running), direct[0]);
                    } else if (direct[0] > reference) {
                        failures.add("phase " + phase + ": direct memory grew: " + direct[0] + " bytes, " + reference + " the first time "
                                + running + " ran");
                    }
                    line.append(String.format(Locale.ROOT, " | UBR %.1f Mbit/s | SDUs %s | threads %d, direct %d B%s",
                            ubrRate * 8 / 1e6, delivered(cbr, running, ubr), threads.size(), direct[0],
                            reference == null ? "" : " (first time " + reference + ")"));
                    System.out.println(line);
                    if (!failures.isEmpty()) {
                        break; // the first phase that fails ends the soak
                    }
                }
            } finally {
                for (SequencedStream s : cbr.values()) {
                    if (s.tx != null) {
                        s.close();
                    }
                }
                ubr.close();
            }
            System.out.printf(Locale.ROOT, "soak: %d phases in %.1f s (load %s); kernel scheduling %s%n", schedule.size(),
                    (System.nanoTime() - started) / 1e9, PlatformChecks.loadAverage(), PlatformChecks.kernelScheduling("atm-"));
            assertEquals("soak failures (load " + PlatformChecks.loadAverage() + ")", List.of(), failures);
            assertTrue("no connection left: " + server.connections(), PlatformChecks.await(5_000,
                    () -> server.connections().stream().noneMatch(c -> c.pvc().itf() == ITF_TX || c.pvc().itf() == ITF_RX)));
            assertEquals("admission books after the soak", "", PlatformChecks.admissionInconsistencies(cac, server, ITF_TX, ITF_RX));
            PlatformChecks.await(5_000, () -> PlatformChecks.atmThreads().equals(atmBefore));
            assertEquals("atm-* threads after the soak", atmBefore, PlatformChecks.atmThreads());
            long[] direct = {0};
            PlatformChecks.await(10_000, () -> {
                try {
                    direct[0] = PlatformChecks.directBytesAfterGc();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return direct[0] <= directBefore;
            });
            assertTrue("direct memory after the soak " + direct[0] + ", before " + directBefore, direct[0] <= directBefore);
        } finally {
            core.delete();
        }
    }

    private static String delivered(Map<Integer, SequencedStream> cbr, Set<Integer> running, SequencedStream ubr) {
        List<Long> n = new ArrayList<>();
        for (int m : running) {
            n.add(cbr.get(m).reader.sdus.get());
        }
        n.add(ubr.reader.sdus.get());
        return n.toString();
    }
}

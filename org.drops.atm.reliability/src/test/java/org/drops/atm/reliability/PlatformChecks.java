package org.drops.atm.reliability;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.server.ProtocolServer;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** What the chaos run and the soak check on the platform: threads, direct memory, admission books, services. */
final class PlatformChecks {

    /**
     * Thread-name prefixes of pools that grow on demand and whose threads do not belong to connections: Event
     * Admin's delivery pool (the shell's event log subscribes), the JDK's common pool and reference handling, and
     * the framework's refresh thread that FileInstall's updates start.
     */
    static final List<String> ON_DEMAND_POOLS = List.of("EventAdmin", "ForkJoinPool", "FelixFrameworkWiring",
            "Common-Cleaner", "process reaper", "Attach Listener", "surefire-forkedjvm-ping", "RMI ",
            // Felix's resolver pool: started for a resolve, its threads time out when idle (SoakIT saw them go)
            "FelixResolver-");

    private PlatformChecks() {
    }

    /** Polls {@code condition} until it holds or {@code millis} pass (a deadline, not a sleep standing in for a mechanism). */
    static boolean await(long millis, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(5); // polling interval of the condition
        }
        return true;
    }

    static Bundle bundle(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }

    /** The service, waiting up to {@code millis} for it; null if it did not appear. */
    static <S> S service(BundleContext context, Class<S> type, long millis) throws InterruptedException {
        Object[] found = new Object[1];
        await(millis, () -> {
            ServiceReference<S> ref = context.getServiceReference(type);
            found[0] = ref == null ? null : context.getService(ref);
            return found[0] != null;
        });
        return type.cast(found[0]);
    }

    /**
     * PDUs the driver of interface {@code itf} dropped on receive (best-effort pool empty, reassembly timeout, CRC
     * or length error), read from its AtmDevice service at each call; 0 while it has none.
     */
    static java.util.function.LongSupplier receiveDrops(BundleContext context, int itf) {
        return () -> {
            try {
                for (ServiceReference<org.drops.atm.api.device.AtmDevice> ref
                        : context.getServiceReferences(org.drops.atm.api.device.AtmDevice.class, "(atm.itf=" + itf + ")")) {
                    org.drops.atm.api.device.AtmDevice d = context.getService(ref);
                    if (d == null) {
                        continue;
                    }
                    try {
                        org.drops.atm.api.device.DeviceStatistics s = d.statistics();
                        return s.bestEffortPoolDrops() + s.timeoutDrops() + s.crcErrors() + s.lengthErrors();
                    } finally {
                        context.ungetService(ref);
                    }
                }
            } catch (org.osgi.framework.InvalidSyntaxException | RuntimeException e) {
                // the interface is going away
            }
            return 0;
        };
    }

    // ------------------------------------------------------------------ threads

    static List<Thread> liveThreads() {
        Thread[] all = new Thread[Thread.activeCount() + 50];
        int n = Thread.enumerate(all);
        return new ArrayList<>(Arrays.asList(all).subList(0, n));
    }

    /** Names of live threads, sorted, without the on-demand pools (a multiset as a sorted list). */
    static List<String> threadNames() {
        List<String> names = new ArrayList<>();
        for (Thread t : liveThreads()) {
            if (ON_DEMAND_POOLS.stream().noneMatch(p -> t.getName().startsWith(p))) {
                names.add(t.getName());
            }
        }
        names.sort(null);
        return names;
    }

    /** Names of the platform's data-path threads (atm-*), sorted. */
    static List<String> atmThreads() {
        List<String> names = new ArrayList<>();
        for (Thread t : liveThreads()) {
            if (t.getName().startsWith("atm-")) {
                names.add(t.getName());
            }
        }
        names.sort(null);
        return names;
    }

    /** The difference of two multisets of names: what {@code now} has more than {@code before}, and less. */
    static String difference(List<String> before, List<String> now) {
        TreeMap<String, Integer> count = new TreeMap<>();
        now.forEach(n -> count.merge(n, 1, Integer::sum));
        before.forEach(n -> count.merge(n, -1, Integer::sum));
        List<String> more = new ArrayList<>();
        List<String> less = new ArrayList<>();
        count.forEach((n, c) -> {
            for (int i = 0; i < Math.abs(c); i++) {
                (c > 0 ? more : less).add(n);
            }
        });
        return more.isEmpty() && less.isEmpty() ? "" : "new: " + more + ", gone: " + less;
    }

    /**
     * The kernel's scheduling of this JVM's threads whose (15-character) names start with {@code prefix}:
     * name=policy/priority (policy 0 time-sharing, 1 FIFO), from /proc/self/task/N/stat.
     */
    static List<String> kernelScheduling(String prefix) {
        List<String> out = new ArrayList<>();
        try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
            for (java.nio.file.Path task : (Iterable<java.nio.file.Path>) tasks::iterator) {
                try {
                    String comm = read(task.resolve("comm")).trim();
                    if (!comm.startsWith(prefix)) {
                        continue;
                    }
                    String stat = read(task.resolve("stat"));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    // after the command: field 3 is f[0]; rt_priority is field 40, policy field 41
                    out.add(comm + "=" + (f[38].equals("1") ? "FIFO " : f[38].equals("0") ? "OTHER " : "policy " + f[38] + " ") + f[37]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            out.add("unreadable: " + e);
        }
        out.sort(null);
        return out;
    }

    /**
     * A small file's text through a FileInputStream: the NIO Files calls would leave temporary direct buffers in
     * the calling thread's cache, and the direct-memory checks would count them.
     */
    static String read(java.nio.file.Path file) throws IOException {
        try (java.io.FileInputStream in = new java.io.FileInputStream(file.toFile())) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** /proc/loadavg, for messages about rates and losses on a loaded machine. */
    static String loadAverage() {
        try {
            return read(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    // ------------------------------------------------------------------ direct memory

    static BufferPoolMXBean directPool() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).findFirst().orElseThrow();
    }

    /** Direct memory in use after asking for a collection (direct buffers are freed when collected). */
    static long directBytesAfterGc() throws InterruptedException {
        System.gc();
        Thread.sleep(20); // lets the cleaner thread run the freed buffers' cleaners; callers poll with a deadline
        return directPool().getMemoryUsed();
    }

    // ------------------------------------------------------------------ admission books

    /**
     * Where admission control's books and the protocol server's connection list disagree on these interfaces:
     * every open connection must hold exactly one reservation for its PVC and direction, and no reservation may
     * be held for a connection that is not open; the bandwidth reserved must be the sum of the reservations.
     * Empty if they agree.
     */
    static String admissionInconsistencies(AdmissionControl cac, ProtocolServer server, int... itfs) {
        List<String> problems = new ArrayList<>();
        List<ConnectionStatistics> open = server.connections();
        for (int itf : itfs) {
            List<String> connections = new ArrayList<>();
            for (ConnectionStatistics c : open) {
                if (c.pvc().itf() == itf) {
                    connections.add(c.pvc() + "/" + c.direction());
                }
            }
            connections.sort(null);
            Optional<AdmissionState> state = cac.state(itf);
            if (state.isEmpty()) {
                problems.add("itf " + itf + ": admission control does not know the interface");
                continue;
            }
            List<String> reserved = new ArrayList<>();
            double bandwidth = 0;
            for (Reservation r : state.get().reservations()) {
                reserved.add(r.request().pvc() + "/" + r.request().direction());
                bandwidth += r.bandwidthCellsPerSecond();
            }
            reserved.sort(null);
            if (!reserved.equals(connections)) {
                problems.add("itf " + itf + ": reservations " + reserved + " but open connections " + connections);
            }
            double booked = state.get().resources().stream().filter(s -> s.resource() == org.drops.atm.api.Resource.BANDWIDTH)
                    .findFirst().orElseThrow().reserved();
            if (Math.abs(booked - bandwidth) > 1e-6) {
                problems.add("itf " + itf + ": bandwidth booked " + booked + " cells/s, reservations sum to " + bandwidth);
            }
        }
        return String.join("; ", problems);
    }

    static <T> String describe(Supplier<T> s) {
        try {
            return String.valueOf(s.get());
        } catch (RuntimeException e) {
            return e.toString();
        }
    }
}

package org.drops.atm.experiments;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ordinary time-sharing work (the paper's AIM load, §4): CPU-bound threads that do a fixed unit of work per
 * job and count jobs, and optionally an allocation storm that forces garbage collections. Every thread runs
 * at the JVM's default time-sharing priority and stops when the load is closed (the threads are joined).
 */
final class Load implements AutoCloseable {

    /** Iterations of one job: about a tenth of a millisecond of integer work on this machine. */
    static final int JOB_ITERATIONS = 50_000;

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong jobs = new AtomicLong();
    private final AtomicLong allocatedBytes = new AtomicLong();
    private volatile boolean stop;
    private final long gcCount0;
    private final long gcMillis0;

    /**
     * @param cpuThreads      CPU-bound job threads
     * @param allocationStorm one more thread allocating short-lived arrays as fast as it can
     */
    Load(int cpuThreads, boolean allocationStorm) {
        gcCount0 = gcCount();
        gcMillis0 = gcMillis();
        for (int i = 0; i < cpuThreads; i++) {
            threads.add(new Thread(this::runJobs, "lab-load-cpu-" + i));
        }
        if (allocationStorm) {
            threads.add(new Thread(this::allocate, "lab-load-alloc"));
        }
        threads.forEach(t -> {
            t.setDaemon(true);
            t.start();
        });
    }

    /** Jobs completed so far by all CPU-bound threads. */
    long jobs() {
        return jobs.get();
    }

    /** The ids of the load's threads. */
    java.util.Set<Long> threadIds() {
        java.util.Set<Long> ids = new java.util.HashSet<>();
        threads.forEach(t -> ids.add(t.getId()));
        return ids;
    }

    long allocatedBytes() {
        return allocatedBytes.get();
    }

    /** Garbage collections since the load started (all collectors). */
    long collections() {
        return gcCount() - gcCount0;
    }

    /** Milliseconds spent in garbage collection since the load started (all collectors). */
    long collectionMillis() {
        return gcMillis() - gcMillis0;
    }

    private void runJobs() {
        long x = Thread.currentThread().getId() | 1;
        while (!stop) {
            x = job(x);
            jobs.incrementAndGet();
        }
        if (x == 42) {
            System.out.print(""); // keeps the work observable, so the JIT cannot drop it
        }
    }

    /** One job: a fixed amount of integer work (xorshift), the same every time. */
    static long job(long seed) {
        long x = seed;
        for (int i = 0; i < JOB_ITERATIONS; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
        }
        return x;
    }

    private void allocate() {
        Object[] keep = new Object[64]; // a few survive a while, so collections have something to trace
        int i = 0;
        while (!stop) {
            byte[] b = new byte[64 * 1024];
            b[i & 1023] = 1;
            keep[i++ & 63] = b;
            allocatedBytes.addAndGet(b.length);
        }
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionTime());
        }
        return n;
    }

    /** Stops every load thread and waits for it to end. */
    @Override
    public void close() throws InterruptedException {
        stop = true;
        for (Thread t : threads) {
            t.join(10_000);
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not stop");
            }
        }
    }
}

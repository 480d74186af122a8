package org.drops.atm.experiments;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's own wake-up latency, measured beside an experiment by {@code cyclictest} (rt-tests): one thread per
 * processor at SCHED_FIFO 80, above every platform thread, waking on an absolute 1-ms schedule. A wake-up it gets
 * late by milliseconds is a stall of the machine (on this VM: both virtual processors stop at once, no timer fires,
 * no scheduling event happens, see docs/EVALUATION.md), not of the JVM or the platform, so an experiment can tell a
 * gap in its stream that the host caused from one of its own. The peer is a separate native process: a JVM-based
 * meter would share the platform's safepoints and could not tell the two apart.
 *
 * <p>cyclictest runs with {@code --laptop} (it leaves {@code /dev/cpu_dma_latency} alone: setting it to 0 keeps idle
 * processors polling, which would change the machine the experiment measures) and {@code -v}, one line per wake-up
 * ({@code thread: cycle: latency µs}). One late wake-up of {@code L} µs covers {@code [due, due + L]}: cyclictest
 * does not replay the cycles that fell due meanwhile. The due times are recovered from the stop ({@link
 * Samples#report}), to half an interval.
 */
final class HostLatency {

    /** Scheduling priority of the meter: above the platform's real-time threads (10–12). */
    static final int PRIORITY = 80;
    static final long INTERVAL_MICROS = 1_000;
    /** A wake-up this late is a stall of the machine; below it is ordinary wake-up latency of this VM. */
    static final long STALL_MICROS = 2_000;
    /**
     * cyclictest stops by itself after this long ({@code -D}), should its JVM die without stopping it (a kill -9): a
     * watched experiment runs minutes (Figure 8's full schedule about five).
     */
    static final String MAX_DURATION = "2h";

    /** Where the machine stalled, in System.nanoTime (CLOCK_MONOTONIC, cyclictest's clock). */
    record Window(long startNanos, long endNanos, long worstMicros) {

        long lengthNanos() {
            return endNanos - startNanos;
        }
    }

    /**
     * What the meter saw: nothing with a reason (not installed, no real-time permission), or the per-thread worst
     * latency and the stalls merged over all threads.
     */
    record Report(String unavailable, long[] worstMicrosPerThread, long wakeUps, List<Window> stalls) {

        static Report unavailable(String why) {
            return new Report(why, new long[0], 0, List.of());
        }

        boolean measured() {
            return unavailable == null;
        }

        /**
         * True if {@code [fromNanos, toNanos]} overlaps a stall, widened by {@code slackNanos} on each side (the
         * meter's alignment) and after its end by {@code recovery} times its length (the time a stream needs to
         * catch up the backlog a stall left).
         */
        boolean stalledDuring(long fromNanos, long toNanos, long slackNanos, double recovery) {
            for (Window w : stalls) {
                long end = w.endNanos() + (long) (recovery * w.lengthNanos());
                if (w.startNanos() <= toNanos + slackNanos && end >= fromNanos - slackNanos) {
                    return true;
                }
            }
            return false;
        }

        long worstMicros() {
            long worst = 0;
            for (long m : worstMicrosPerThread) {
                worst = Math.max(worst, m);
            }
            return worst;
        }

        /** One line for a report: the worst wake-up and the stalls, their times from {@code originNanos}. */
        String summary(long originNanos) {
            if (!measured()) {
                return "host wake-up latency: not measured (" + unavailable + ")";
            }
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT,
                    "host wake-up latency (cyclictest, SCHED_FIFO %d, %d-us period, %d thread(s), %d wake-ups): worst %.2f ms;"
                            + " stalls of the machine (a wake-up %.0f ms late or more): %d",
                    PRIORITY, INTERVAL_MICROS, worstMicrosPerThread.length, wakeUps, worstMicros() / 1e3,
                    STALL_MICROS / 1e3, stalls.size()));
            List<Window> longest = new ArrayList<>(stalls);
            longest.sort(Comparator.comparingLong(Window::lengthNanos).reversed());
            for (int i = 0; i < Math.min(5, longest.size()); i++) {
                Window w = longest.get(i);
                b.append(i == 0 ? ", longest " : ", ").append(String.format(Locale.ROOT, "%.1f ms at %.2f s",
                        w.lengthNanos() / 1e6, (w.startNanos() - originNanos) / 1e9));
            }
            return b.toString();
        }
    }

    private final Process process;
    private final Thread reader;
    private final Samples samples = new Samples();
    private final String unavailable;
    private Report report;
    private Thread shutdownHook;

    private HostLatency(Process process, String unavailable) {
        this.process = process;
        this.unavailable = unavailable;
        if (process == null) {
            reader = null;
            return;
        }
        reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII))) {
                for (String line; (line = in.readLine()) != null; ) {
                    samples.accept(line);
                }
            } catch (IOException e) {
                samples.error = e.toString();
            }
        }, "host-latency-reader");
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts the meter, one thread per processor; never throws: a meter that cannot run reports why. */
    static HostLatency start() {
        int threads = Runtime.getRuntime().availableProcessors();
        List<String> command = List.of("cyclictest", "--laptop", "-m", "-q", "-v", "-p", String.valueOf(PRIORITY),
                "-t", String.valueOf(threads), "-a", "-d", "0", "-i", String.valueOf(INTERVAL_MICROS), "-D", MAX_DURATION);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            HostLatency meter = new HostLatency(p, null);
            // a JVM that exits mid-experiment (stop 0, a signal) takes its real-time peer with it
            Thread stopAtExit = new Thread(p::destroyForcibly, "host-latency-stop");
            try {
                Runtime.getRuntime().addShutdownHook(stopAtExit);
                meter.shutdownHook = stopAtExit;
            } catch (IllegalStateException shuttingDown) {
                p.destroyForcibly();
                return new HostLatency(null, "the JVM is shutting down");
            }
            return meter;
        } catch (IOException e) {
            return new HostLatency(null, "cyclictest (Debian package rt-tests) is not installed: " + e.getMessage());
        }
    }

    /** Stops the meter and reports what it saw; idempotent. */
    synchronized Report stop() {
        if (report == null) {
            report = stopProcess();
        }
        return report;
    }

    private Report stopProcess() {
        if (process == null) {
            return Report.unavailable(unavailable);
        }
        long stopNanos = System.nanoTime();
        // SIGTERM through the handle: cyclictest finishes its loop, prints the samples it still holds and its summary,
        // and exits. (Process.destroy() would also close the pipe, losing that tail.)
        process.toHandle().destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Report.unavailable("cyclictest did not stop within 10 s");
            }
            reader.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return Report.unavailable("interrupted");
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway; the process is gone or going
            }
        }
        return samples.report(stopNanos, process.exitValue());
    }

    /** Due times a wake-up {@code micros} late passed over: cyclictest's next due time is the first after it woke. */
    static long skipped(long micros) {
        return Math.max(0, (micros - 1) / INTERVAL_MICROS);
    }

    /** Parses cyclictest's verbose output (one line per wake-up, "thread: cycle: latency"); the rest is kept as text. */
    static final class Samples {
        /** cyclictest's closing line per thread: "T: 0 ( 7941) P:80 I:1000 C:   2002 Min: …". */
        private static final Pattern SUMMARY = Pattern.compile("^T:\\s*(\\d+)\\s*\\(\\s*\\d+\\)\\s*P:\\s*\\d+\\s*I:\\s*\\d+\\s*C:\\s*(\\d+)");
        /** What one cyclictest thread printed. */
        private static final class MeterThread {
            long lastCycle;
            long worstMicros;
            long wakeUps;
            /** Wake-ups a whole interval late or more (they moved the schedule on), in cycle order: cycle, µs. */
            final List<long[]> late = new ArrayList<>();
        }

        private final TreeMap<Integer, MeterThread> threads = new TreeMap<>();
        private final StringBuilder other = new StringBuilder();
        volatile String error;

        void accept(String line) {
            Matcher summary = SUMMARY.matcher(line);
            if (summary.find()) {
                // the last cycles' samples may not be printed (verbose output is flushed from a buffer): the summary
                // counts them all
                MeterThread t = threads.computeIfAbsent(Integer.parseInt(summary.group(1)), k -> new MeterThread());
                t.lastCycle = Math.max(t.lastCycle, Long.parseLong(summary.group(2)) - 1);
                return;
            }
            String[] f = line.trim().split("\\s*:\\s*");
            if (f.length == 3) {
                try {
                    int thread = Integer.parseInt(f[0]);
                    long cycle = Long.parseLong(f[1]);
                    long micros = Long.parseLong(f[2]);
                    MeterThread t = threads.computeIfAbsent(thread, k -> new MeterThread());
                    t.lastCycle = Math.max(t.lastCycle, cycle);
                    t.worstMicros = Math.max(t.worstMicros, micros);
                    t.wakeUps++;
                    if (micros >= INTERVAL_MICROS) {
                        t.late.add(new long[] {cycle, micros});
                    }
                    return;
                } catch (NumberFormatException notASample) {
                    // a header or summary line
                }
            }
            if (other.length() < 2_000) {
                other.append(line).append('\n');
            }
        }

        /**
         * The report, given when the meter was told to stop. A wake-up late by {@code L} does not replay the cycles
         * that fell due meanwhile: cyclictest moves its next due time past the present, so cycle numbers run behind
         * the clock by {@code ⌊(L − 1 µs) / interval⌋} after it. Each thread's base is the stop less its last cycle
         * (from the closing summary's count: the last few samples may go unprinted), those skipped intervals and
         * half an interval (the stop came between the last cycle and the next).
         */
        Report report(long stopNanos, int exitValue) {
            if (threads.isEmpty()) {
                String why = error != null ? error : other.toString().trim().replace('\n', ' ');
                return Report.unavailable("cyclictest exited with " + exitValue + " and no samples"
                        + (why.isEmpty() ? "" : ": " + why));
            }
            long intervalNanos = INTERVAL_MICROS * 1_000;
            List<Window> windows = new ArrayList<>();
            for (MeterThread t : threads.values()) {
                long skipped = 0;
                for (long[] l : t.late) {
                    skipped += skipped(l[1]);
                }
                long base = stopNanos - (t.lastCycle + skipped) * intervalNanos - intervalNanos / 2;
                skipped = 0;
                for (long[] l : t.late) {
                    long due = base + (l[0] + skipped) * intervalNanos;
                    if (l[1] >= STALL_MICROS) {
                        windows.add(new Window(due, due + l[1] * 1_000, l[1]));
                    }
                    skipped += skipped(l[1]);
                }
            }
            windows.sort(Comparator.comparingLong(Window::startNanos));
            List<Window> merged = new ArrayList<>();
            for (Window w : windows) {
                Window last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
                if (last != null && w.startNanos() <= last.endNanos()) {
                    merged.set(merged.size() - 1, new Window(last.startNanos(), Math.max(last.endNanos(), w.endNanos()),
                            Math.max(last.worstMicros(), w.worstMicros())));
                } else {
                    merged.add(w);
                }
            }
            long[] worst = threads.values().stream().mapToLong(t -> t.worstMicros).toArray();
            long wakeUps = threads.values().stream().mapToLong(t -> t.wakeUps).sum();
            return new Report(null, worst, wakeUps, List.copyOf(merged));
        }
    }
}

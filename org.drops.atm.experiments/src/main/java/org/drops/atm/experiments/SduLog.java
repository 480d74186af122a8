package org.drops.atm.experiments;

import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.RxView;

/**
 * A time-stamped log of SDUs: for each SDU the instant it was written or arrived and the bytes moved up to and
 * including it. Rates are then computed after the run over any window, in particular over a whole number of a
 * connection's control intervals, so that the interval-credit scheme's bursts (paper §2.5: a connection's whole
 * credit goes out at each interval start) do not quantise the measured rate (see {@link #bytesBetween}).
 *
 * <p>One thread appends (the connection's writer or reader); the others read the log only after that thread has
 * ended ({@link Thread#join}), or read {@link #bytes()} (a volatile) for progress lines.
 */
final class SduLog {

    private long[] nanos = new long[4096];
    private long[] cumulativeBytes = new long[4096];
    private int size;
    private volatile long bytes;

    /** Records one SDU of {@code length} bytes at {@code atNanos} ({@link System#nanoTime()} time base). */
    void add(long atNanos, int length) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
            cumulativeBytes = Arrays.copyOf(cumulativeBytes, size * 2);
        }
        long total = bytes + length;
        nanos[size] = atNanos;
        cumulativeBytes[size] = total;
        size++;
        bytes = total;
    }

    /** Bytes logged so far (any thread). */
    long bytes() {
        return bytes;
    }

    int size() {
        return size;
    }

    long firstNanos() {
        return size == 0 ? Long.MAX_VALUE : nanos[0];
    }

    /**
     * Bytes of the SDUs logged at instants in [{@code fromNanos}, {@code toNanos}). Over a window whose length is a
     * whole number n of a connection's control intervals, the partial bursts at the two edges add up to one burst,
     * so the count is n credits exactly, up to the difference in timing of the two edge bursts (the worker's wake-up
     * jitter), instead of n ± 1 credits over an arbitrary window.
     */
    long bytesBetween(long fromNanos, long toNanos) {
        return cumulativeBefore(toNanos) - cumulativeBefore(fromNanos);
    }

    /** Bytes per second over [{@code fromNanos}, {@code toNanos}). */
    double bytesPerSecond(long fromNanos, long toNanos) {
        return bytesBetween(fromNanos, toNanos) * 1e9 / (toNanos - fromNanos);
    }

    /** Bytes of the SDUs logged before {@code t}. */
    private long cumulativeBefore(long t) {
        int lo = 0;
        int hi = size; // first index with nanos >= t
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (nanos[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo == 0 ? 0 : cumulativeBytes[lo - 1];
    }

    /**
     * The window to measure a connection with control interval {@code intervalNanos} over, inside
     * [{@code fromNanos}, {@code toNanos}]: starts at {@code fromNanos} and lasts the largest whole number of
     * intervals that fits (the whole span if the connection has no intervals, as under GCRA).
     *
     * @return {start, end}
     */
    static long[] wholeIntervals(long fromNanos, long toNanos, long intervalNanos) {
        long span = toNanos - fromNanos;
        if (intervalNanos <= 0 || intervalNanos > span) {
            return new long[] {fromNanos, toNanos};
        }
        return new long[] {fromNanos, fromNanos + span / intervalNanos * intervalNanos};
    }

    /** Relative error of a measured rate against the requested one, in percent. */
    static double errorPercent(double measured, double requested) {
        return (measured / requested - 1) * 100;
    }

    /** A counting thread that logs each SDU; runs until interrupted or its socket closes. */
    abstract static class Logger extends Thread {
        final SduLog log = new SduLog();
        volatile Throwable ended;

        Logger(String name) {
            super(name);
            setDaemon(true);
        }

        abstract void step() throws Exception;

        @Override
        public final void run() {
            try {
                while (!isInterrupted()) {
                    step();
                }
            } catch (Throwable t) {
                ended = t; // a closed socket ends it (ConnectionClosedException): expected at teardown
            }
        }
    }

    /** The paper's dumb writer (write(): one copy into the ring), logging when each write returned. */
    static Logger writer(AtmSocket socket, int sduBytes, String name) {
        java.nio.ByteBuffer sdu = java.nio.ByteBuffer.allocateDirect(sduBytes);
        return new Logger(name) {
            @Override
            void step() throws Exception {
                sdu.clear();
                socket.write(sdu);
                log.add(System.nanoTime(), sduBytes);
            }
        };
    }

    /**
     * A reader (receive(): the ring slot itself, released at once) logging each SDU at its arrival: the driver's
     * reassembly completion time ({@link RxView#receivedAtNanos}), so the reader's own scheduling does not shift
     * the log.
     */
    static Logger reader(AtmSocket socket, String name) {
        return new Logger(name) {
            @Override
            void step() throws Exception {
                RxView v = socket.receive(200, TimeUnit.MILLISECONDS);
                if (v != null) {
                    try {
                        log.add(v.receivedAtNanos(), v.length());
                    } finally {
                        v.release();
                    }
                }
            }
        };
    }
}

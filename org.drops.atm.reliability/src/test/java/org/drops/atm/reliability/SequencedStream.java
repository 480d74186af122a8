package org.drops.atm.reliability;

import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.scheduling.GrantedPriority;
import org.drops.atm.api.scheduling.RealTimeScheduler;
import org.drops.atm.api.scheduling.SchedulingRequest;

/**
 * One connection carrying checked traffic: a transmit socket on {@code txItf.0.vci}, a receive socket on
 * {@code rxItf.0.vci} (the two interfaces joined by a memory wire), a writer thread that writes as fast as the
 * socket takes SDUs, and a reader thread that checks every SDU. Each SDU carries a sequence number (bytes 0–7)
 * and the CRC-32 of everything but the CRC field (bytes 8–11); the reader counts gaps, duplicates and
 * corrupted SDUs. Each {@link #open} starts a new incarnation (sequence from 0); the counters belong to it.
 */
final class SequencedStream {

    static final int SDU_BYTES = 8192;
    /** The delay-variation tolerance the applications state (50 ms, as in GuaranteedRateIT): it sizes the receive ring. */
    static final int CDV_MICROS = 50_000;

    final String name;
    final String qos;
    final int txItf;
    final int rxItf;
    final int vci;
    final boolean guaranteed;
    final double contractedBytesPerSecond;

    /**
     * PDUs the receiving interface's driver dropped (best-effort pool empty, reassembly timeout, CRC or length
     * error): counted per interface, not per connection. Best effort may lose SDUs there; 0 if unknown.
     */
    volatile java.util.function.LongSupplier receiveDeviceDrops = () -> 0;
    volatile AtmSocket tx;
    volatile AtmSocket rx;
    volatile Writer writer;
    volatile Reader reader;
    int incarnations;

    private SequencedStream(String name, String qos, int txItf, int rxItf, int vci, boolean guaranteed, double bytesPerSecond) {
        this.name = name;
        this.qos = qos;
        this.txItf = txItf;
        this.rxItf = rxItf;
        this.vci = vci;
        this.guaranteed = guaranteed;
        this.contractedBytesPerSecond = bytesPerSecond;
    }

    /** A CBR connection of {@code mbits} Mbit/s of 8192-byte SDUs. */
    static SequencedStream cbr(int mbits, int txItf, int rxItf, int vci) {
        int pcr = CellRates.aal5CellsPerSecond(mbits * 1_000_000L / 8, SDU_BYTES);
        double bytesPerSecond = (double) pcr / CellRates.aal5CellsPerSdu(SDU_BYTES) * SDU_BYTES;
        return new SequencedStream("CBR " + mbits + " Mbit/s", "cbr:pcr=" + pcr + ",sdu=" + SDU_BYTES + ",cdv=" + CDV_MICROS,
                txItf, rxItf, vci, true, bytesPerSecond);
    }

    /** A UBR connection of 8192-byte SDUs (it gets the best-effort share). */
    static SequencedStream ubr(int txItf, int rxItf, int vci) {
        return new SequencedStream("UBR", "ubr:sdu=" + SDU_BYTES, txItf, rxItf, vci, false, Double.NaN);
    }

    PvcAddress txPvc() {
        return PvcAddress.parse(txItf + ".0." + vci);
    }

    PvcAddress rxPvc() {
        return PvcAddress.parse(rxItf + ".0." + vci);
    }

    /**
     * The static SCHED_FIFO priority writers and readers of guaranteed connections ask for: below the core's worker
     * (10), pseudo-interrupt (11) and the driver's line (12) threads.
     */
    static final int READER_PRIORITY = 9;

    /**
     * Binds the receiver, connects the sender and starts both threads: a new incarnation. The writer and reader of
     * a guaranteed connection are a real-time application: they ask {@code scheduler} (the Linux bridge's, if
     * present) for SCHED_FIFO, as the paper's applications were real-time tasks, so a loaded machine keeps neither
     * from its contract (a time-sharing writer left its transmit ring empty; a time-sharing reader its receive ring
     * full for longer than the contract's delay-variation tolerance).
     */
    void open(AtmSocketFactory sockets, RealTimeScheduler scheduler) throws AtmException {
        AtmSocket r = sockets.createSocket();
        AtmSocket t = sockets.createSocket();
        try {
            r.setQos(qos);
            r.bind(rxPvc());
            t.setQos(qos);
            t.connect(txPvc());
        } catch (AtmException | RuntimeException e) {
            t.close();
            r.close();
            throw e;
        }
        rx = r;
        tx = t;
        incarnations++;
        reader = new Reader(r, guaranteed ? scheduler : null, "rel-chaos-reader-" + vci + "-" + incarnations);
        writer = new Writer(t, vci, guaranteed ? scheduler : null, "rel-chaos-writer-" + vci + "-" + incarnations);
        reader.start();
        writer.start();
    }

    /** Closes both sockets and waits for the threads to end. */
    void close() throws InterruptedException {
        AtmSocket t = tx;
        AtmSocket r = rx;
        if (t != null) {
            t.close();
        }
        if (r != null) {
            r.close();
        }
        join(5_000);
    }

    /** Waits up to {@code millis} for both threads; true if both ended. */
    boolean join(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        Writer w = writer;
        Reader rd = reader;
        if (w != null) {
            w.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
        if (rd != null) {
            rd.join(Math.max(1, deadline - System.currentTimeMillis()));
        }
        return (w == null || !w.isAlive()) && (rd == null || !rd.isAlive());
    }

    /** The loss counters now (missing, duplicates, corrupted, dropped at the receiver), for {@link #survivorProblems(long[])}. */
    long[] mark() {
        Reader r = reader;
        return new long[] {r.missing.get(), r.duplicates.get(), r.corrupted.get(), rx.statistics().dropped()};
    }

    /**
     * What went wrong since {@code mark} for a connection that must survive (empty if nothing): a thread that
     * ended, a gap, a duplicate, a corrupted SDU, a PDU dropped at the receiver (for best effort: a gap not counted
     * as a drop). A connection's first moments (its reader's JIT warm-up) are not part of a step: see {@link #mark()}.
     */
    String survivorProblems(long[] mark) {
        StringBuilder b = new StringBuilder();
        Writer w = writer;
        Reader r = reader;
        if (w.ended != null) {
            b.append(" writer ended: ").append(w.ended);
        }
        if (r.ended != null) {
            b.append(" reader ended: ").append(r.ended);
        }
        long[] now = mark();
        long missing = now[0] - mark[0];
        long duplicates = now[1] - mark[1];
        long corrupted = now[2] - mark[2];
        long dropped = now[3] - mark[3];
        // best effort: every SDU missing in this incarnation must be one the receiver counted as dropped (totals:
        // the reader sees the gap of a drop counted before the mark only after it)
        boolean uncounted = !guaranteed && now[0] > now[3] + receiveDeviceDrops.getAsLong();
        if (duplicates != 0 || corrupted != 0 || (guaranteed ? missing != 0 || dropped != 0 : uncounted)) {
            b.append(" since the mark: ").append(missing).append(" missing, ").append(duplicates).append(" duplicate, ")
                    .append(corrupted).append(" corrupted, ").append(dropped).append(" dropped at the receiver, ")
                    .append(receiveDeviceDrops.getAsLong()).append(" by the receiving driver (first problem of this incarnation: ")
                    .append(r.firstProblem).append("; ").append(rx.statistics()).append("; sender ").append(tx.statistics()).append(")");
        }
        return b.length() == 0 ? "" : name + " (" + rxPvc() + "):" + b;
    }

    /**
     * Gaps, duplicates, corrupted SDUs and receive drops of this incarnation (empty if none); best effort may lose
     * SDUs to a full receive ring, but only counted ones.
     */
    String deliveryProblems() {
        StringBuilder b = new StringBuilder();
        Reader r = reader;
        long dropped = rx.statistics().dropped();
        if (guaranteed) {
            b.append(r.integrityProblems());
            if (dropped != 0) {
                b.append(" ").append(dropped).append(" PDU(s) dropped at the receiver: ").append(rx.statistics());
            }
        } else {
            // best effort has no guarantee: a reader slower than the share loses SDUs to a full ring, but every
            // gap must be a counted drop (the reader may not have seen the gap of the latest drop yet: <=)
            long device = receiveDeviceDrops.getAsLong();
            if (r.duplicates.get() != 0 || r.corrupted.get() != 0 || r.missing.get() > dropped + device) {
                b.append(r.integrityProblems()).append(", ").append(dropped).append(" counted as dropped by the connection and ")
                        .append(device).append(" by the receiving driver: ").append(rx.statistics());
            }
        }
        return b.toString();
    }

    @Override
    public String toString() {
        Reader r = reader;
        Writer w = writer;
        return name + " " + txPvc() + "->" + rxPvc() + (w == null ? "" : " written " + w.sdus.get()) + (r == null ? ""
                : " read " + r.sdus.get() + " gaps " + r.missing.get() + " dup " + r.duplicates.get() + " corrupt " + r.corrupted.get());
    }

    // ------------------------------------------------------------------ threads

    /** Writes numbered, checksummed SDUs as fast as the socket takes them until the socket closes. */
    static final class Writer extends Thread {
        final AtomicLong sdus = new AtomicLong();
        private final AtmSocket socket;
        private final int seed;
        private final RealTimeScheduler scheduler;
        volatile Throwable ended;
        volatile long endedAtNanos;

        Writer(AtmSocket socket, int seed, RealTimeScheduler scheduler, String name) {
            super(name);
            this.socket = socket;
            this.seed = seed;
            this.scheduler = scheduler;
            setDaemon(true);
        }

        @Override
        public void run() {
            if (scheduler != null) {
                try {
                    scheduler.applyToCurrentThread(SchedulingRequest.fifo(READER_PRIORITY));
                } catch (RuntimeException e) {
                    // runs at time-sharing priority
                }
            }
            ByteBuffer sdu = ByteBuffer.allocateDirect(SDU_BYTES);
            byte[] payload = new byte[SDU_BYTES];
            new Random(seed).nextBytes(payload);
            sdu.put(payload).clear();
            CRC32 crc = new CRC32();
            try {
                for (long seq = 0; !isInterrupted(); seq++) {
                    sdu.putLong(0, seq);
                    sdu.putInt(8, (int) checksum(crc, sdu, SDU_BYTES));
                    sdu.clear();
                    socket.write(sdu);
                    sdus.incrementAndGet();
                }
            } catch (Throwable t) {
                endedAtNanos = System.nanoTime();
                ended = t;
            }
        }
    }

    /** Reads SDUs until the socket closes and checks each: length, checksum, sequence. */
    static final class Reader extends Thread {
        final AtomicLong sdus = new AtomicLong();
        final AtomicLong missing = new AtomicLong();
        final AtomicLong duplicates = new AtomicLong();
        final AtomicLong corrupted = new AtomicLong();
        /** Arrival time of the latest SDU and how many had arrived by then, for rate measurements. */
        volatile long lastArrivalNanos;
        volatile long arrivedAtLast;
        volatile String firstProblem = "";
        private final AtmSocket socket;
        private final RealTimeScheduler scheduler;
        volatile GrantedPriority priority;
        volatile Throwable ended;
        volatile long endedAtNanos;

        Reader(AtmSocket socket, RealTimeScheduler scheduler, String name) {
            super(name);
            this.socket = socket;
            this.scheduler = scheduler;
            setDaemon(true);
        }

        @Override
        public void run() {
            if (scheduler != null) {
                try {
                    priority = scheduler.applyToCurrentThread(SchedulingRequest.fifo(READER_PRIORITY));
                } catch (RuntimeException e) {
                    priority = GrantedPriority.unchanged("the scheduler failed: " + e);
                }
            }
            ByteBuffer in = ByteBuffer.allocateDirect(SDU_BYTES);
            CRC32 crc = new CRC32();
            long expected = 0;
            try {
                while (!isInterrupted()) {
                    in.clear();
                    int n = socket.read(in);
                    long now = System.nanoTime();
                    long count = sdus.incrementAndGet();
                    lastArrivalNanos = now;
                    arrivedAtLast = count;
                    if (n != SDU_BYTES || (int) checksum(crc, in, n) != in.getInt(8)) {
                        corrupted.incrementAndGet();
                        problem("SDU " + count + " corrupted: " + n + " bytes, checksum mismatch");
                        continue;
                    }
                    long seq = in.getLong(0);
                    if (seq == expected) {
                        expected++;
                    } else if (seq > expected) {
                        missing.addAndGet(seq - expected);
                        problem("gap: SDU " + seq + " after " + (expected - 1));
                        expected = seq + 1;
                    } else {
                        duplicates.incrementAndGet();
                        problem("duplicate or out of order: SDU " + seq + " after " + (expected - 1));
                    }
                }
            } catch (Throwable t) {
                endedAtNanos = System.nanoTime();
                ended = t;
            }
        }

        private void problem(String what) {
            if (firstProblem.isEmpty()) {
                firstProblem = what;
            }
        }

        String integrityProblems() {
            if (missing.get() == 0 && duplicates.get() == 0 && corrupted.get() == 0) {
                return "";
            }
            return " " + missing.get() + " missing, " + duplicates.get() + " duplicate, " + corrupted.get()
                    + " corrupted (first: " + firstProblem + ")";
        }
    }

    /** CRC-32 of the SDU's first {@code length} bytes except the CRC field (bytes 8–11). */
    static long checksum(CRC32 crc, ByteBuffer sdu, int length) {
        crc.reset();
        sdu.limit(8).position(0);
        crc.update(sdu);
        sdu.limit(length).position(12);
        crc.update(sdu);
        sdu.clear();
        return crc.getValue();
    }

    /** True if {@code t} is a ConnectionClosedException (what a user of a dead connection must get). */
    static boolean closedCleanly(Throwable t) {
        return t instanceof ConnectionClosedException;
    }
}

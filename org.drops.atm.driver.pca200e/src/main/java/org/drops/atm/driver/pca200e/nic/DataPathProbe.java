package org.drops.atm.driver.pca200e.nic;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.drops.atm.api.device.PduCostProbe.DataPathCost;
import org.drops.atm.api.device.ReceivedPdu;
import org.drops.atm.api.device.VcParameters;
import org.drops.atm.api.device.VcService;
import org.drops.atm.api.device.VirtualChannel;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.driver.pca200e.aal5.Aal5Trailer;
import org.drops.atm.driver.pca200e.link.MemoryLink;

/**
 * Measures what one PDU costs the host on the whole data path, for admission control's CPU model: a real
 * {@link Pca200eDevice} on a memory link at the line rate, a CBR VC paced so that every PDU pays its own
 * wake-ups, and threads shaped like the protocol server's around it. Thread CPU time (not wall time) of every
 * thread involved counts, so other work on the machine changes the result little.
 *
 * <pre>
 *  writer --ring (2 slots)--> sender: CBR pacing, segmentation --FIFO--> line thread: paced batches
 *     --memory link--> receive engine (on the line thread) --queue--> interrupt thread: copy into a ring slot
 *     --ring (2 slots)--> reader: copy out
 * </pre>
 *
 * One run per call, looped back. The memory link runs the receive engine (HEC, reassembly) on the sending line
 * thread, so the line thread's CPU is split ({@link #split}): the receive engine's share is what the caller measured
 * that work to cost alone (cell checking and reassembly on scratch memory, in one thread); the rest of the line
 * thread, the writer and the sender are the transmit cost; the interrupt thread, the reader and the receive
 * engine's share are the receive cost. (A transmit-only run on a wire without a peer, subtracted from the loop,
 * doubled the calibration time and its noise.) The hand-offs between the writer and sender and between the interrupt thread and reader stand for the
 * protocol server's rings (they too park and unpark); its policing calls and bookkeeping are not included (tens
 * of nanoseconds against the wake-ups' tens of microseconds).
 */
public final class DataPathProbe {

    /** PDUs sent before the measured ones: the path reaches its steady state (and the JIT its compiled code). */
    static final int WARM_UP_PDUS = 4;
    /**
     * The gap between PDUs is at least this, so every PDU's threads park in between and wake with caches others
     * used meanwhile, as at a guaranteed connection's rates (8192-byte SDUs: 0.66 ms at 100 Mbit/s, 6.6 ms at 10;
     * the longer the gap, the dearer each wake-up: about 140 µs per PDU measured at 100 Mbit/s, 200 µs at 10). With
     * gaps of 0.25 ms the whole path measured 25-45 % below what such connections used, with 1 ms 10-45 %.
     */
    public static final long MIN_PDU_INTERVAL_NANOS = 2_000_000L;
    /** The gap is also at least this multiple of the PDU's time on the line: the line idles between PDUs. */
    static final double LINE_TIME_FACTOR = 2;
    /** Longest a run may take before the path counts as broken. */
    private static final long TIMEOUT_NANOS = 10_000_000_000L;
    private static final int SLOTS = 2;

    private final double lineCellsPerSecond;
    private final int cellsPerTransmit;

    /**
     * @param lineCellsPerSecond the line rate the card paces at (OC-3 for the memory link by default)
     * @param cellsPerTransmit   the link's batch bound (the memory link's 64 cells by default)
     */
    public DataPathProbe(double lineCellsPerSecond, int cellsPerTransmit) {
        if (!(lineCellsPerSecond > 0) || Double.isInfinite(lineCellsPerSecond)) {
            throw new IllegalArgumentException("a finite positive line rate is needed, not " + lineCellsPerSecond);
        }
        if (cellsPerTransmit < 1) {
            throw new IllegalArgumentException("cellsPerTransmit must be positive, not " + cellsPerTransmit);
        }
        this.lineCellsPerSecond = lineCellsPerSecond;
        this.cellsPerTransmit = cellsPerTransmit;
    }

    /** Whether this JVM measures thread CPU time; without it there is nothing to measure. */
    public static boolean supported() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        return threads.isThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled();
    }

    /** The gap between two PDUs of {@code sduBytes} in the measurement. */
    long pduIntervalNanos(int sduBytes) {
        return pduIntervalNanos(sduBytes, MIN_PDU_INTERVAL_NANOS);
    }

    /** The gap between two PDUs of {@code sduBytes} when they are to be at least {@code minGapNanos} apart. */
    long pduIntervalNanos(int sduBytes, long minGapNanos) {
        double lineNanos = Aal5Trailer.cells(sduBytes) * 1e9 / lineCellsPerSecond;
        return Math.max(minGapNanos, (long) Math.ceil(LINE_TIME_FACTOR * lineNanos));
    }

    /** The CBR peak cell rate that spaces PDUs of {@code sduBytes} by {@link #pduIntervalNanos(int)}. */
    int pacingCellsPerSecond(int sduBytes) {
        return pacingCellsPerSecond(sduBytes, MIN_PDU_INTERVAL_NANOS);
    }

    /** The CBR peak cell rate that spaces PDUs of {@code sduBytes} by {@link #pduIntervalNanos(int, long)}. */
    int pacingCellsPerSecond(int sduBytes, long minGapNanos) {
        return (int) Math.max(1, Math.floor(Aal5Trailer.cells(sduBytes) * 1e9 / pduIntervalNanos(sduBytes, minGapNanos)));
    }

    /**
     * CPU nanoseconds per PDU of each direction for {@code pdus} SDUs of {@code sduBytes}; the receive engine (cell
     * checking and reassembly) costs {@code receiveEngineNanosPerPdu} alone, as the caller measured.
     *
     * @throws IllegalStateException if thread CPU time is not available or the path did not carry the PDUs in time
     */
    public DataPathCost measure(int sduBytes, int pdus, double receiveEngineNanosPerPdu) throws InterruptedException {
        return measure(sduBytes, pdus, receiveEngineNanosPerPdu, MIN_PDU_INTERVAL_NANOS);
    }

    /**
     * As {@link #measure(int, int, double)} with the PDUs at least {@code minGapNanos} apart (never closer than
     * {@link #MIN_PDU_INTERVAL_NANOS}).
     */
    public DataPathCost measure(int sduBytes, int pdus, double receiveEngineNanosPerPdu, long minGapNanos)
            throws InterruptedException {
        if (minGapNanos <= 0) {
            throw new IllegalArgumentException("minGapNanos must be positive, not " + minGapNanos);
        }
        if (sduBytes < 0 || sduBytes > 65535) {
            throw new IllegalArgumentException("sduBytes must be 0..65535, not " + sduBytes);
        }
        if (pdus < 1) {
            throw new IllegalArgumentException("pdus must be at least 1, not " + pdus);
        }
        if (!supported()) {
            throw new IllegalStateException("this JVM does not measure thread CPU time");
        }
        return split(run(sduBytes, pdus, Math.max(MIN_PDU_INTERVAL_NANOS, minGapNanos)), receiveEngineNanosPerPdu);
    }

    /**
     * Transmit: the writer, the sender and the line thread less the receive engine's share (never below nothing).
     * Receive: the interrupt thread, the reader and the receive engine's share ({@code receiveEngineNanosPerPdu},
     * at most what the line thread used).
     */
    static DataPathCost split(Run loop, double receiveEngineNanosPerPdu) {
        double line = loop.lineNanos / (double) loop.pdus;
        double engine = Math.min(line, Math.max(0, receiveEngineNanosPerPdu));
        double tx = loop.senderNanos / (double) loop.pdus + line - engine;
        double rx = loop.receiverNanos / (double) loop.pdus + engine;
        return new DataPathCost(tx, rx);
    }

    /**
     * CPU nanoseconds of one run.
     *
     * @param senderNanos   the writer and the sending thread
     * @param lineNanos     the card's line thread (the looped-back memory link runs the receive engine on it)
     * @param receiverNanos the interrupt thread and the reader
     * @param pdus          the PDUs the reader read meanwhile
     */
    record Run(long senderNanos, long lineNanos, long receiverNanos, long pdus) {
    }

    private Run run(int sduBytes, int pdus, long minGapNanos) throws InterruptedException {
        MemoryLink link = new MemoryLink("cost-probe", null, true, cellsPerTransmit);
        DeviceSettings settings = new DeviceSettings(0, "cost-probe", lineCellsPerSecond, 2048, SLOTS + 2, 1,
                Math.max(1, sduBytes), 100_000_000L, true);
        Pca200eDevice device;
        try {
            device = new Pca200eDevice(settings, link);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cost probe: the emulated card did not start: " + e, e);
        }
        Path path = new Path(device, sduBytes);
        try {
            long lineThread = path.lineThreadId();
            TrafficParameters tp = TrafficParameters.builder(TrafficClass.CBR).pcrCps(pacingCellsPerSecond(sduBytes, minGapNanos))
                    .maxSduBytes(Math.max(1, sduBytes)).maxCdvMicros(0).build();
            VirtualChannel vc = device.open(new VcParameters(0, 100, Qos.symmetric(tp), Aal.AAL5, VcService.GUARANTEED));
            path.start(vc);
            // The window is counted in PDUs the reader read between two CPU readings; the
            // threads run on meanwhile, and this thread may be descheduled for a while on a loaded machine, so the
            // count is read with each reading, not assumed. At most one PDU's work lies across each end.
            AtomicLong marker = path.read;
            long deadline = System.nanoTime() + TIMEOUT_NANOS + (pdus + WARM_UP_PDUS) * minGapNanos;
            path.awaitCount(marker, WARM_UP_PDUS, deadline);
            long[] before = path.cpu(lineThread);
            long first = marker.get();
            path.awaitCount(marker, first + pdus, deadline);
            long[] after = path.cpu(lineThread);
            long last = marker.get();
            return new Run(after[0] - before[0], after[1] - before[1], after[2] - before[2], last - first);
        } catch (org.drops.atm.api.AtmException e) {
            throw new IllegalStateException("cost probe: the calibration VC did not open: " + e, e);
        } finally {
            device.close("cost probe done");
            path.stop();
        }
    }

    /**
     * The four threads around the card. They run until stopped (a finished thread's CPU time can no longer be
     * read); the window is set by the counters.
     */
    private static final class Path {
        final Pca200eDevice device;
        final int sduBytes;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong read = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final ByteBuffer[] txSlots = new ByteBuffer[SLOTS];
        final ByteBuffer[] rxSlots = new ByteBuffer[SLOTS];
        final BlockingQueue<Integer> txFree = new ArrayBlockingQueue<>(SLOTS);
        final BlockingQueue<Integer> txFull = new ArrayBlockingQueue<>(SLOTS);
        final BlockingQueue<Integer> rxFree = new ArrayBlockingQueue<>(SLOTS);
        final BlockingQueue<Integer> rxFull = new ArrayBlockingQueue<>(SLOTS);
        final int[] rxLengths = new int[SLOTS];
        final Thread writer;
        final Thread sender;
        final Thread interrupt;
        final Thread reader;
        VirtualChannel vc;

        Path(Pca200eDevice device, int sduBytes) {
            this.device = device;
            this.sduBytes = sduBytes;
            for (int i = 0; i < SLOTS; i++) {
                txSlots[i] = ByteBuffer.allocateDirect(Math.max(1, sduBytes));
                rxSlots[i] = ByteBuffer.allocateDirect(Math.max(1, sduBytes));
                txFree.add(i);
                rxFree.add(i);
            }
            writer = thread("writer", this::write);
            sender = thread("sender", this::send);
            interrupt = thread("interrupt", this::takeFromCard);
            reader = thread("reader", this::readOut);
        }

        private Thread thread(String role, Body body) {
            Thread t = new Thread(() -> {
                try {
                    body.run();
                } catch (InterruptedException | java.io.InterruptedIOException e) {
                    // stopped
                } catch (org.drops.atm.api.ConnectionClosedException e) {
                    // the card closed at the end
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "atm-cost-probe-" + role);
            t.setDaemon(true);
            return t;
        }

        interface Body {
            void run() throws Exception;
        }

        void start(VirtualChannel channel) {
            vc = channel;
            writer.start();
            sender.start();
            interrupt.start();
            reader.start();
        }

        /** The dumb writer: copies its SDU into a free ring slot, waiting while both are full. */
        private void write() throws InterruptedException {
            ByteBuffer app = ByteBuffer.allocateDirect(Math.max(1, sduBytes));
            for (int i = 0; i < sduBytes; i++) {
                app.put(i, (byte) i);
            }
            while (true) {
                int slot = txFree.take();
                ByteBuffer s = txSlots[slot].clear();
                app.clear().limit(sduBytes);
                s.put(app).flip();
                txFull.put(slot);
            }
        }

        /** The connection's sending thread: takes a slot, sends it (paced, segmented into the FIFO), frees it. */
        private void send() throws Exception {
            while (true) {
                int slot = txFull.take();
                vc.send(txSlots[slot]);
                txFree.put(slot);
                sent.incrementAndGet();
            }
        }

        /** The pseudo-interrupt thread: takes a reassembled PDU from the card, copies it into a ring slot. */
        private void takeFromCard() throws Exception {
            while (true) {
                ReceivedPdu pdu = device.receive(100_000_000L);
                if (pdu == null) {
                    continue;
                }
                try {
                    int slot = rxFree.take();
                    ByteBuffer s = rxSlots[slot].clear();
                    s.put(pdu.data().duplicate()).flip();
                    rxLengths[slot] = pdu.length();
                    rxFull.put(slot);
                } finally {
                    pdu.release();
                }
            }
        }

        /** The reader: copies each SDU out of its slot. */
        private void readOut() throws InterruptedException {
            ByteBuffer app = ByteBuffer.allocateDirect(Math.max(1, sduBytes));
            while (true) {
                int slot = rxFull.take();
                app.clear();
                app.put(rxSlots[slot].duplicate());
                if (rxLengths[slot] != sduBytes) {
                    throw new IllegalStateException("cost probe: a PDU of " + rxLengths[slot] + " bytes arrived, "
                            + sduBytes + " sent");
                }
                rxFree.put(slot);
                read.incrementAndGet();
            }
        }

        long lineThreadId() throws InterruptedException {
            long[] id = new long[1];
            CountDownLatch done = new CountDownLatch(1);
            device.runOnLineThread(() -> {
                id[0] = Thread.currentThread().getId();
                done.countDown();
            });
            if (!done.await(5, TimeUnit.SECONDS)) {
                throw new IllegalStateException("cost probe: the line thread did not answer");
            }
            return id[0];
        }

        void check(long deadline) {
            Throwable t = failure.get();
            if (t != null) {
                throw new IllegalStateException("cost probe: the data path failed: " + t, t);
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IllegalStateException("cost probe: " + sduBytes + "-byte PDUs did not pass in time (sent "
                        + sent.get() + ", read " + read.get() + ")");
            }
        }

        void awaitCount(AtomicLong counter, long target, long deadline) {
            while (counter.get() < target) {
                check(deadline);
                LockSupport.parkNanos(100_000L);
            }
        }

        /** CPU nanoseconds so far: {writer + sender, line thread, interrupt thread + reader}. */
        long[] cpu(long lineThread) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            return new long[] {cpu(threads, writer) + cpu(threads, sender), Math.max(0, threads.getThreadCpuTime(lineThread)),
                    cpu(threads, interrupt) + cpu(threads, reader)};
        }

        private static long cpu(ThreadMXBean threads, Thread t) {
            return Math.max(0, threads.getThreadCpuTime(t.getId()));
        }

        void stop() throws InterruptedException {
            for (Thread t : new Thread[] {writer, sender, interrupt, reader}) {
                t.interrupt();
            }
            for (Thread t : new Thread[] {writer, sender, interrupt, reader}) {
                if (t.isAlive()) {
                    t.join(2000);
                }
            }
        }
    }
}

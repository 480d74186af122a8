package org.drops.atm.shell.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.drops.atm.api.device.AtmDevice;
import org.drops.atm.api.device.PduTap;
import org.drops.atm.api.qos.Direction;

/**
 * One {@code atm:dump}: a {@link PduTap} on an interface that copies the PDUs of one VC (or of all) into a
 * bounded in-memory queue, and a writer thread that appends them to a pcap file ({@link PcapFormat}). The tap
 * never blocks the driver: when the queue holds {@code bufferBytes}, further PDUs are counted as lost, as
 * libpcap's {@code ps_drop} counts them. Ends when the PDU count is reached, the time is up or
 * {@link #stop()} is called; then the tap is detached and the file closed.
 */
public final class Capture implements PduTap {

    private static final Logger LOG = Logger.getLogger(Capture.class.getName());
    private static final int WRITE_BUFFER_BYTES = 256 * 1024;

    /** Where a capture is. */
    public enum State { RUNNING, DONE, STOPPED, FAILED }

    private record Captured(long epochMicros, Direction direction, int vpi, int vci, byte[] sdu) {
    }

    private static final Captured END = new Captured(0, null, 0, 0, null);

    private final int id;
    private final String target;
    private final int vpi; // -1: every VC of the interface
    private final int vci;
    private final Path file;
    private final long maxPdus;
    private final long durationNanos;
    private final long bufferBytes;
    private final long baseEpochMicros = System.currentTimeMillis() * 1000;
    private final long baseNanos = System.nanoTime();
    private final LinkedBlockingQueue<Captured> queue = new LinkedBlockingQueue<>();
    private final AtomicLong taken = new AtomicLong(); // PDUs accepted into the queue (at most maxPdus)
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong transmitted = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong wideVpi = new AtomicLong();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final FileChannel channel;
    private volatile AutoCloseable tap;
    private volatile boolean accepting = true;
    private volatile State state = State.RUNNING;
    private volatile String ending = "";
    private volatile long written;
    private volatile long writtenBytes;
    private volatile long endNanos;
    private Thread writer;

    /**
     * Creates (or truncates) the file and writes its header; {@link #start(AtmDevice)} attaches the tap.
     *
     * @param vpi            the VC's VPI, or -1 for every VC of the interface
     * @param maxPdus        PDUs to capture, or {@link Long#MAX_VALUE}
     * @param durationNanos  how long to capture, or 0 for no limit
     * @param bufferBytes    SDU bytes the queue may hold before PDUs are lost
     */
    public Capture(int id, String target, int vpi, int vci, Path file, long maxPdus, long durationNanos,
            long bufferBytes) throws IOException {
        this.id = id;
        this.target = target;
        this.vpi = vpi;
        this.vci = vci;
        this.file = file;
        this.maxPdus = maxPdus;
        this.durationNanos = durationNanos;
        this.bufferBytes = bufferBytes;
        this.channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE);
        ByteBuffer header = ByteBuffer.allocate(PcapFormat.FILE_HEADER_BYTES);
        PcapFormat.fileHeader(header);
        header.flip();
        try {
            while (header.hasRemaining()) {
                channel.write(header);
            }
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Attaches the tap to the device and starts the writer; from return on, every PDU is seen. */
    public void start(AtmDevice device) {
        writer = new Thread(this::write, "atm-shell-dump-" + id);
        writer.setDaemon(true);
        writer.start();
        tap = device.attachTap(this);
    }

    // ------------------------------------------------------------------ the tap (driver threads)

    @Override
    public void pdu(Direction direction, int vpi, int vci, ByteBuffer pdu, long nanoTime) {
        if (!accepting || (this.vpi >= 0 && (vpi != this.vpi || vci != this.vci))) {
            return;
        }
        int limit = pdu.limit();
        if (limit < 8) {
            return;
        }
        // the CPCS-PDU's trailer holds the SDU length (ITU-T I.363.5): 2 bytes at 6 from the end
        int length = Math.min(pdu.getShort(limit - 6) & 0xffff, limit - 8);
        if (queuedBytes.get() + length > bufferBytes) {
            lost.incrementAndGet();
            return;
        }
        long n;
        do {
            n = taken.get();
            if (n >= maxPdus) {
                return;
            }
        } while (!taken.compareAndSet(n, n + 1));
        byte[] sdu = new byte[length];
        pdu.get(0, sdu);
        queuedBytes.addAndGet(length);
        if (vpi > 255) {
            wideVpi.incrementAndGet();
        }
        (direction == Direction.TRANSMIT ? transmitted : received).incrementAndGet();
        queue.offer(new Captured(baseEpochMicros + (nanoTime - baseNanos) / 1000, direction, vpi, vci, sdu));
        if (n + 1 == maxPdus) {
            accepting = false;
            queue.offer(END); // the count is reached: the writer finishes after this PDU
        }
    }

    // ------------------------------------------------------------------ the writer thread

    private void write() {
        ByteBuffer out = ByteBuffer.allocateDirect(WRITE_BUFFER_BYTES + PcapFormat.RECORD_HEADER_BYTES + PcapFormat.SNAPLEN);
        long deadline = durationNanos > 0 ? baseNanos + durationNanos : Long.MAX_VALUE;
        String reason = "count reached";
        try {
            while (true) {
                Captured c;
                if (deadline == Long.MAX_VALUE) {
                    c = queue.take();
                } else {
                    c = queue.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                }
                if (c == null) {
                    reason = "time up";
                    break;
                }
                if (c == END) {
                    reason = ending.isEmpty() ? "count reached" : ending;
                    break;
                }
                append(out, c);
                if (queue.isEmpty()) {
                    flush(out); // a running capture is readable up to its last PDU
                }
            }
            accepting = false;
            detach();
            for (Captured c = queue.poll(); c != null; c = queue.poll()) {
                if (c != END) {
                    append(out, c);
                }
            }
            flush(out);
            ending = reason;
            state = reason.equals("stopped") ? State.STOPPED : State.DONE;
        } catch (InterruptedException e) {
            ending = "stopped";
            state = State.STOPPED;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "atm:dump into " + file + " failed", e);
            ending = "failed: " + e;
            state = State.FAILED;
        } finally {
            accepting = false;
            detach();
            try {
                channel.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "closing " + file, e);
            }
            endNanos = System.nanoTime();
            finished.countDown();
        }
    }

    private void append(ByteBuffer out, Captured c) throws IOException {
        int length = c.sdu().length;
        if (out.remaining() < PcapFormat.RECORD_HEADER_BYTES + PcapFormat.SUNATM_HEADER_BYTES + length) {
            flush(out);
        }
        PcapFormat.record(out, c.epochMicros(), c.direction(), c.vpi() & 0xff, c.vci(), ByteBuffer.wrap(c.sdu()), 0, length);
        queuedBytes.addAndGet(-length);
        written++;
        writtenBytes += length;
    }

    private void flush(ByteBuffer out) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            channel.write(out);
        }
        out.clear();
    }

    private void detach() {
        AutoCloseable t = tap;
        tap = null;
        if (t != null) {
            try {
                t.close();
            } catch (Exception e) {
                LOG.log(Level.WARNING, "detaching the tap of " + file, e);
            }
        }
    }

    // ------------------------------------------------------------------ control

    /** Ends the capture early; the PDUs taken so far are written. */
    public void stop() {
        accepting = false;
        ending = "stopped";
        queue.offer(END);
    }

    /** Waits until the capture has ended and its file is closed. */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        return finished.await(timeout, unit);
    }

    public boolean running() {
        return finished.getCount() > 0;
    }

    public State state() {
        return state;
    }

    public int id() {
        return id;
    }

    public Path file() {
        return file;
    }

    /** PDUs written to the file so far. */
    public long written() {
        return written;
    }

    /** What the capture did: PDUs per direction, the file, losses, how it ended. */
    public String report() {
        long elapsed = (running() ? System.nanoTime() : endNanos) - baseNanos;
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT,
                "atm:dump %s: %d PDUs (%d tx, %d rx, %d SDU bytes) into %s in %s s; link type SUNATM (%d)%n",
                target, written, transmitted.get(), received.get(), writtenBytes, file, seconds(elapsed),
                PcapFormat.LINKTYPE_SUNATM));
        if (lost.get() > 0) {
            out.append("  ").append(lost.get()).append(" PDUs lost: the capture buffer was full (capture.buffer.bytes)\n");
        }
        if (wideVpi.get() > 0) {
            out.append("  ").append(wideVpi.get()).append(" PDUs had a VPI above 255, which SUNATM records as its low 8 bits\n");
        }
        out.append("  ").append(running() ? "running" : ending).append('\n');
        return out.toString();
    }

    /** One line for listings. */
    public String line() {
        return String.format(Locale.ROOT, "#%d  %-9s  %-8s  %6d PDUs  %s", id, target, running() ? "running" : state.name().toLowerCase(Locale.ROOT),
                written, file);
    }

    private static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.3f", nanos / 1e9);
    }
}

package org.drops.atm.shell.internal;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.RxView;

/**
 * {@code atm:aread}: receives SDUs on a bound socket (the view receive: no copy beyond the ring) until a count or a
 * time is reached, measures the rate between the first and the last arrival at the interface (the driver's
 * completion times, so SDUs that waited in the ring do not inflate it), and checks the sequence numbers of test SDUs ({@link TestSdu}): how many are
 * missing, how many came out of order (a duplicate counts as out of order), how many had a damaged filler.
 */
public final class Reader extends TrafficJob {

    /** Bytes of the first SDU shown with {@code -x}. */
    static final int DUMP_BYTES = 64;

    private final long count;
    private final long durationNanos;
    private final boolean dumpFirst;

    private volatile long sdus;
    private volatile long bytes;
    private volatile long firstNanos;
    private volatile long firstBytes;
    private volatile long lastNanos;
    private volatile long startNanos;
    private volatile long endNanos;
    private volatile long testSdus;
    private volatile long firstSequence = -1;
    private volatile long nextSequence = -1;
    private volatile long missing;
    private volatile long outOfOrder;
    private volatile long corrupted;
    private volatile String firstHex;
    private volatile ConnectionStatistics before;
    private volatile ConnectionStatistics after;

    /**
     * @param count         SDUs to read, or {@link Long#MAX_VALUE}
     * @param durationNanos how long to read, or 0 for no limit
     * @param dumpFirst     keep the first SDU's first bytes for the report
     */
    public Reader(PvcAddress pvc, AtmSocket socket, long count, long durationNanos, boolean dumpFirst) {
        super("atm:aread", pvc, socket);
        this.count = count;
        this.durationNanos = durationNanos;
        this.dumpFirst = dumpFirst;
    }

    @Override
    protected String traffic() throws Exception {
        before = socket.statistics();
        long start = System.nanoTime();
        startNanos = start;
        long deadline = durationNanos > 0 ? start + durationNanos : Long.MAX_VALUE;
        String ending = "count reached";
        while (sdus < count) {
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                ending = "time up";
                break;
            }
            // the view receive: the SDU in its ring slot, with the time the driver completed it
            RxView view = deadline == Long.MAX_VALUE ? socket.receive() : socket.receive(deadline - now, TimeUnit.NANOSECONDS);
            if (view == null) {
                ending = "time up";
                break;
            }
            try {
                int n = view.length();
                long arrived = view.receivedAtNanos();
                ByteBuffer sdu = view.buffer();
                if (sdus == 0) {
                    firstNanos = arrived;
                    firstBytes = n;
                    if (dumpFirst) {
                        byte[] head = new byte[Math.min(n, DUMP_BYTES)];
                        sdu.get(0, head);
                        firstHex = HexFormat.ofDelimiter(" ").formatHex(head);
                    }
                }
                lastNanos = arrived;
                long sequence = TestSdu.sequence(sdu);
                check(sequence);
                if (sequence >= 0 && !TestSdu.fillerIntact(sdu)) {
                    corrupted++;
                }
                bytes += n;
                sdus++;
            } finally {
                view.release();
            }
        }
        return ending;
    }

    private void check(long sequence) {
        if (sequence < 0) {
            return;
        }
        testSdus++;
        if (nextSequence < 0) {
            firstSequence = sequence;
            nextSequence = sequence + 1;
        } else if (sequence >= nextSequence) {
            missing += sequence - nextSequence;
            nextSequence = sequence + 1;
        } else {
            outOfOrder++;
            missing = Math.max(0, missing - 1); // an SDU counted missing arrived late
        }
    }

    @Override
    protected void finished() {
        after = socket.statistics();
        endNanos = System.nanoTime();
    }

    @Override
    public String progress() {
        return sdus + " SDUs received, " + Units.mbps(socket.statistics().recentSduBitsPerSecond()) + " Mbit/s";
    }

    @Override
    public String report() {
        long n = sdus;
        StringBuilder out = new StringBuilder();
        long span = lastNanos - firstNanos;
        out.append(String.format(Locale.ROOT, "%s %s: received %d SDUs (%d bytes) in %s s", command, pvc, n, bytes,
                Units.seconds((running() ? System.nanoTime() : endNanos) - startNanos)));
        if (n > 1 && span > 0) {
            out.append(String.format(Locale.ROOT, "; %s Mbit/s SDU payload between the first and the last",
                    Units.mbps((bytes - firstBytes) * 8e9 / span)));
            out.append(" (arrival at the interface)");
        }
        out.append('\n');
        if (testSdus > 0) {
            out.append(String.format(Locale.ROOT, "  test SDUs: %d, sequence %d..%d, %d missing, %d out of order, %d corrupted%n",
                    testSdus, firstSequence, nextSequence - 1, missing, outOfOrder, corrupted));
        } else if (n > 0) {
            out.append("  no test SDUs (not sent by atm:awrite): no sequence check\n");
        }
        ConnectionStatistics b = before;
        ConnectionStatistics a = running() ? socket.statistics() : after;
        if (b != null && a != null) {
            out.append(String.format(Locale.ROOT, "  connection dropped %d non-conforming, %d for a full ring%n",
                    a.droppedNonConforming() - b.droppedNonConforming(), a.droppedRingFull() - b.droppedRingFull()));
        }
        if (firstHex != null) {
            out.append("  first SDU: ").append(firstHex).append(firstBytes > DUMP_BYTES ? " ..." : "").append('\n');
        }
        out.append("  ").append(running() ? "running" : ending()).append('\n');
        return out.toString();
    }
}

package org.drops.atm.shell.internal;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.TxSlot;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficParameters;

/**
 * {@code atm:awrite}: sends test SDUs ({@link TestSdu}) on a connected socket through the zero-copy interface,
 * as fast as the socket takes them (policing holds the writer to its contract) or paced to an offered rate on
 * an absolute schedule, until a count or a time is reached. Then waits until the worker has sent every committed
 * SDU, so that the report covers what reached the wire and closing the socket discards nothing.
 */
public final class Writer extends TrafficJob {

    /** How often the end of the send is looked for: the socket API offers no completion signal to wait on. */
    static final long DRAIN_POLL_NANOS = 1_000_000L;
    /** How long to wait for committed SDUs to leave, beyond what the contract's rate needs for a full ring. */
    static final long DRAIN_MARGIN_NANOS = 5_000_000_000L;

    private final long count;
    private final long durationNanos;
    private final int sduBytes;
    private final boolean llc;
    private final double sdusPerSecond;

    private volatile long committed;
    private volatile long startNanos;
    private volatile long endNanos;
    private volatile ConnectionStatistics before;
    private volatile ConnectionStatistics after;
    private volatile long undrained;

    /**
     * @param count          SDUs to send, or {@link Long#MAX_VALUE}
     * @param durationNanos  how long to send, or 0 for no limit
     * @param sdusPerSecond  offered rate, or 0 for as fast as the socket takes them
     */
    public Writer(PvcAddress pvc, AtmSocket socket, long count, long durationNanos, int sduBytes, boolean llc,
            double sdusPerSecond) {
        super("atm:awrite", pvc, socket);
        this.count = count;
        this.durationNanos = durationNanos;
        this.sduBytes = sduBytes;
        this.llc = llc;
        this.sdusPerSecond = sdusPerSecond;
    }

    @Override
    protected String traffic() throws Exception {
        byte[] template = TestSdu.template(sduBytes, llc);
        before = socket.statistics();
        long start = System.nanoTime();
        startNanos = start;
        long deadline = durationNanos > 0 ? start + durationNanos : Long.MAX_VALUE;
        String ending = "count reached";
        for (long i = 0; i < count; i++) {
            if (sdusPerSecond > 0) {
                long due = start + (long) (i * 1e9 / sdusPerSecond);
                if (due - deadline >= 0) {
                    ending = "time up";
                    break;
                }
                parkUntil(due);
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                ending = "time up";
                break;
            }
            TxSlot slot = deadline == Long.MAX_VALUE ? socket.claim() : socket.claim(deadline - now, TimeUnit.NANOSECONDS);
            if (slot == null) {
                ending = "time up";
                break;
            }
            ByteBuffer b = slot.buffer();
            b.clear();
            b.put(template);
            TestSdu.setSequence(b, llc, i);
            slot.commit(sduBytes);
            committed = i + 1;
        }
        drain();
        return ending;
    }

    /** Waits until the worker has sent every committed SDU (or the connection closed, or a bounded time passed). */
    private void drain() throws InterruptedException {
        long target = before.pdus() + committed;
        TrafficParameters tp = socket.qos().map(q -> q.direction(Direction.TRANSMIT)).orElse(null);
        long ringNanos = 0;
        if (tp != null && tp.topPcrCps() > 0) {
            ringNanos = (long) (1e9 * CellRates.aal5CellsPerSdu(sduBytes) * Math.max(committed, 1) / tp.topPcrCps());
        }
        long deadline = System.nanoTime() + Math.min(ringNanos, 60_000_000_000L) + DRAIN_MARGIN_NANOS;
        ConnectionStatistics s = socket.statistics();
        while (s.pdus() < target && System.nanoTime() - deadline < 0 && socket.state() != AtmSocket.State.CLOSED) {
            LockSupport.parkNanos(this, DRAIN_POLL_NANOS);
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                after = socket.statistics();
                endNanos = System.nanoTime();
                throw new InterruptedException();
            }
            s = socket.statistics();
        }
        after = s;
        endNanos = System.nanoTime();
        undrained = Math.max(0, target - s.pdus());
    }

    private static void parkUntil(long due) throws InterruptedException {
        for (long now = System.nanoTime(); now - due < 0; now = System.nanoTime()) {
            LockSupport.parkNanos(due - now);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    @Override
    protected void finished() {
        if (after == null) {
            after = socket.statistics();
        }
        if (endNanos == 0) {
            endNanos = System.nanoTime();
        }
    }

    @Override
    public void socketClosed() {
        if (!running()) {
            after = socket.statistics();
        }
    }

    @Override
    public String progress() {
        ConnectionStatistics now = socket.statistics();
        ConnectionStatistics b = before;
        long sent = b == null ? 0 : now.pdus() - b.pdus();
        return sent + " SDUs sent, " + Units.mbps(now.recentSduBitsPerSecond()) + " Mbit/s";
    }

    @Override
    public String report() {
        ConnectionStatistics b = before;
        ConnectionStatistics a = running() ? socket.statistics() : after;
        if (b == null || a == null) {
            return command + " " + pvc + ": starting";
        }
        long sent = a.pdus() - b.pdus();
        long bytes = a.bytes() - b.bytes();
        long cells = a.cells() - b.cells();
        long elapsed = (running() ? System.nanoTime() : endNanos) - startNanos;
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%s %s: sent %d SDUs of %d bytes (%d bytes, %d cells) in %s s",
                command, pvc, sent, sduBytes, bytes, cells, Units.seconds(elapsed)));
        if (elapsed > 0 && sent > 0) {
            out.append(String.format(Locale.ROOT, ": %s Mbit/s SDU payload, %s cells/s", Units.mbps(bytes * 8e9 / elapsed),
                    Units.cps(cells * 1e9 / elapsed)));
        }
        out.append('\n');
        if (sdusPerSecond > 0) {
            out.append(String.format(Locale.ROOT, "  offered %.1f SDUs/s (%s Mbit/s)%n", sdusPerSecond,
                    Units.mbps(sdusPerSecond * sduBytes * 8)));
        }
        socket.qos().ifPresent(q -> {
            TrafficParameters tp = q.direction(Direction.TRANSMIT);
            out.append("  contract ").append(tp.trafficClass()).append(' ').append(Reports.contract(tp));
            if (tp.topPcrCps() > 0) {
                out.append(String.format(Locale.ROOT, " (%s Mbit/s SDU payload at this SDU size)",
                        Units.mbps(CellRates.aal5SduBitsPerSecond(tp.topPcrCps(), sduBytes))));
            }
            out.append('\n');
        });
        out.append(String.format(Locale.ROOT, "  policy %s: suspended %d times for credit (%s s)%n",
                a.policyName().isEmpty() ? "none" : a.policyName(), a.suspensions() - b.suspensions(),
                Units.seconds(a.suspendedNanos() - b.suspendedNanos())));
        if (undrained > 0) {
            out.append("  ").append(undrained).append(" committed SDUs had not left when the report was made\n");
        }
        out.append("  ").append(running() ? "running" : ending()).append('\n');
        return out.toString();
    }
}

package org.drops.atm.driver.pca200e.nic;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.LockSupport;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.device.VcParameters;
import org.drops.atm.api.device.VcService;
import org.drops.atm.api.device.VcStatistics;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.driver.pca200e.aal5.Aal5Trailer;
import org.drops.atm.driver.pca200e.aal5.Reassembler;
import org.drops.atm.driver.pca200e.cell.CellHeader;

/**
 * An open virtual channel: its transmit rate control and counters, and its receive reassembly state (which
 * only the receive engine touches, under its lock).
 */
final class Channel implements org.drops.atm.api.device.VirtualChannel {

    private final Pca200eDevice device;
    private volatile VcParameters parameters;
    private final int vpi;
    private final int vci;
    final int headerWord;
    private final boolean cbrRateControl;
    private volatile int txMaxSduBytes;
    /**
     * The transmit contract is guaranteed (CBR, VBR): its cells use the guaranteed FIFO. Not {@link #guaranteed()},
     * which is the receive pool: the core opens a transmit-only VC with the best-effort pool, and its CBR cells went
     * through the best-effort FIFO behind UBR traffic until this was told apart.
     */
    private volatile boolean txGuaranteed;
    private volatile long toleranceNanos;
    volatile BufferPool pool;

    // ---- transmit: used by the one sending thread; the rate may be changed from any thread.
    private volatile double nanosPerCell; // 0: no per-VC rate control
    private double theoreticalArrivalNanos; // GCRA(T, tau) virtual scheduling of PDUs (I.371), sender's thread
    private volatile long cellsOut;
    private volatile long pdusOut;
    // the FIFO of the last PDU sent and the index past its last cell: written by the sender, read by close
    private volatile TransmitFifo lastFifo;
    private volatile long lastFifoEnd;

    // ---- receive: the receive engine's, under its lock.
    Reassembler reassembler;
    /** Set by {@link #reconfigure}; the receive engine switches to it between PDUs. */
    volatile Reassembler nextReassembler;
    PduDescriptor filling;
    int pduCells; // cells of the PDU being reassembled
    long cellsIn;
    long pdusIn;
    long crcErrors;
    long lengthErrors;
    long oversizeDrops;
    long timeoutDrops;
    long poolDrops;
    long droppedCells;

    private volatile boolean closed;

    Channel(Pca200eDevice device, VcParameters parameters, BufferPool pool, boolean cbrRateControl) {
        this.device = device;
        this.parameters = parameters;
        this.vpi = parameters.vpi();
        this.vci = parameters.vci();
        this.headerWord = CellHeader.uni(0, vpi, vci, 0, 0);
        this.cbrRateControl = cbrRateControl;
        this.pool = pool;
        this.reassembler = new Reassembler(Math.min(parameters.rxMaxSduBytes(), device.maxSduBytes()));
        applyTransmit(parameters);
    }

    private void applyTransmit(VcParameters p) {
        TrafficParameters tx = p.qos().tx();
        this.txMaxSduBytes = p.txMaxSduBytes();
        this.txGuaranteed = tx.trafficClass().isGuaranteed();
        // the sender may use only its share of τ: the FIFO and the link add the rest (DeviceSettings)
        this.toleranceNanos = (long) (tx.effectiveMaxCdvMicros() * 1_000L * device.settings().txShapingCdvFraction());
        int pcr = tx.topPcrCps();
        // fore200e.c paces CBR VCs with max_pcr > 0 by a data/idle cell ratio of 255; here the rate is the
        // contract's exact peak (the board's ratio rounds down, which would undershoot the contract by up to
        // 1/255). Other classes are paced only when the protocol sets a rate (the best-effort share).
        this.nanosPerCell = cbrRateControl && tx.trafficClass() == TrafficClass.CBR && pcr > 0 ? 1e9 / pcr : 0;
    }

    @Override
    public void reconfigure(VcParameters next) {
        VcParameters now = parameters;
        if (next.vpi() != now.vpi() || next.vci() != now.vci() || next.aal() != now.aal()) {
            throw new IllegalArgumentException("reconfigure: VPI, VCI and AAL must stay " + now.vpi() + "." + now.vci()
                    + " " + now.aal() + ", not " + next.vpi() + "." + next.vci() + " " + next.aal());
        }
        if (next.qos().rx().maxSduBytes() > device.maxSduBytes()) {
            throw new IllegalArgumentException("reconfigure: rx max_sdu " + next.qos().rx().maxSduBytes()
                    + " exceeds the receive buffers' " + device.maxSduBytes() + " bytes");
        }
        parameters = next;
        applyTransmit(next);
        pool = device.pool(next.service());
        nextReassembler = new Reassembler(Math.min(next.rxMaxSduBytes(), device.maxSduBytes()));
    }

    int vpi() {
        return vpi;
    }

    int vci() {
        return vci;
    }

    /** Receives into the guaranteed pool. */
    boolean guaranteed() {
        return parameters.service() == VcService.GUARANTEED;
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public VcParameters parameters() {
        return parameters;
    }

    @Override
    public int send(ByteBuffer sdu) throws IOException {
        checkOpen();
        int length = sdu.remaining();
        if (length > txMaxSduBytes) {
            throw new IllegalArgumentException("send: SDU of " + length + " bytes exceeds max_sdu " + txMaxSduBytes
                    + " of VC " + vpi + "." + vci + " on itf " + device.interfaceNumber());
        }
        int cells = Aal5Trailer.cells(length);
        pace(cells);
        TransmitFifo fifo = device.fifo(txGuaranteed);
        if (lastFifo != null && lastFifo != fifo) {
            lastFifo.awaitDrained(this, lastFifoEnd); // the service changed: the earlier PDUs leave first
        }
        lastFifoEnd = fifo.put(this, sdu);
        lastFifo = fifo;
        cellsOut += cells; // one sending thread per channel: the volatile only publishes
        pdusOut++;
        return cells;
    }

    /**
     * Per-VC cell-rate control: GCRA virtual scheduling at PDU granularity with the sender's share of the
     * contract's CDV tolerance ({@link DeviceSettings#txShapingCdvFraction()}).
     * The sender waits (parked, with a deadline) until the PDU conforms; the long-run rate is exact because the
     * theoretical arrival time advances by exactly the PDU's cells at the configured rate.
     */
    private void pace(int cells) throws IOException {
        double npc = nanosPerCell;
        if (npc == 0) {
            return;
        }
        long now = System.nanoTime();
        double tat = Math.max(theoreticalArrivalNanos, now);
        while (tat - toleranceNanos > now) {
            LockSupport.parkNanos(this, (long) (tat - toleranceNanos) - now + 1);
            checkOpen();
            if (Thread.interrupted()) {
                throw new InterruptedIOException("interrupted while paced on VC " + vpi + "." + vci);
            }
            now = System.nanoTime();
        }
        theoreticalArrivalNanos = tat + cells * npc;
    }

    @Override
    public void setTransmitCellRate(double cellsPerSecond) {
        if (!(cellsPerSecond > 0)) {
            throw new IllegalArgumentException("cellsPerSecond must be positive, not " + cellsPerSecond);
        }
        nanosPerCell = Double.isInfinite(cellsPerSecond) ? 0 : 1e9 / cellsPerSecond;
    }

    /** The rate control in force, cells/s; infinite if none. */
    double transmitCellRate() {
        double npc = nanosPerCell;
        return npc == 0 ? Double.POSITIVE_INFINITY : 1e9 / npc;
    }

    void checkOpen() throws ConnectionClosedException {
        if (closed) {
            throw new ConnectionClosedException("VC " + vpi + "." + vci + " on itf " + device.interfaceNumber(),
                    device.isDown() ? device.downReason() : "closed");
        }
        device.checkUp();
    }

    @Override
    public VcStatistics statistics() {
        return device.channelStatistics(this);
    }

    VcStatistics snapshot() {
        return new VcStatistics(cellsOut, pdusOut, cellsIn, pdusIn, crcErrors, lengthErrors, oversizeDrops,
                timeoutDrops, poolDrops, droppedCells);
    }

    /** The longest {@link #close()} waits for the VC's last PDU to leave the transmit FIFO. */
    static final long CLOSE_DRAIN_NANOS = 1_000_000_000L;

    /**
     * Closes the VC. The PDUs already sent (in the card's transmit FIFO) leave for the line first, as a socket's
     * close sends what was written: otherwise they left after the close, and a connection opened on the same PVC
     * at the far end right after received SDUs of the closed one (issue 10, the chaos run: one SDU of the old
     * connection at the head of the new one). Waits at most {@link #CLOSE_DRAIN_NANOS}, and not at all once the
     * device is down (its line thread then discards the FIFOs).
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            awaitSent(CLOSE_DRAIN_NANOS);
            device.closeChannel(this);
        }
    }

    /** Waits until the last PDU sent on this VC has left its FIFO, the device is down, or the time is up. */
    private void awaitSent(long timeoutNanos) {
        TransmitFifo fifo = lastFifo;
        if (fifo == null) {
            return;
        }
        long end = lastFifoEnd;
        long deadline = System.nanoTime() + timeoutNanos;
        while (fifo.consumed.get() - end < 0 && !device.isDown() && System.nanoTime() - deadline < 0) {
            fifo.wakeLine();
            LockSupport.parkNanos(this, 100_000L);
        }
    }

    /** Marks the channel closed without unregistering it (the device is going down). */
    void markClosed() {
        closed = true;
    }
}

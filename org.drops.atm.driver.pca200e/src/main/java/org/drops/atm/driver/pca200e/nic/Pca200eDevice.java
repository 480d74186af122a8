package org.drops.atm.driver.pca200e.nic;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.InterfaceInfo;
import org.drops.atm.api.device.AtmDevice;
import org.drops.atm.api.device.DeviceStatistics;
import org.drops.atm.api.device.ReceivedPdu;
import org.drops.atm.api.device.VcParameters;
import org.drops.atm.api.device.VcService;
import org.drops.atm.api.device.VcStatistics;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.driver.pca200e.aal5.Aal5Trailer;
import org.drops.atm.driver.pca200e.link.Link;

/**
 * One emulated FORE PCA-200E (paper §2.6, ATM-FACTS §6): a transmit FIFO drained at the line rate, per-VC
 * cell-rate control, and a receive side reassembling into two buffer pools, over a {@link Link}. Plain Java:
 * the OSGi component wraps it, tests build it directly. Threads: one line thread, plus whatever the link
 * needs (the UDP link's receive thread).
 */
public final class Pca200eDevice implements AtmDevice {

    private final DeviceSettings settings;
    private final Link link;
    private final VcTable vcs = new VcTable();
    private final BufferPool guaranteedPool;
    private final BufferPool bestEffortPool;
    private final ReceiveQueue queue;
    private final ReceiveEngine receiver;
    private final TransmitFifo guaranteedFifo;
    private final TransmitFifo bestEffortFifo;
    private final LineThread line;
    private final Taps taps;
    private final Thread lineThread;
    private volatile String downReason;

    /** Builds the card and starts it: the link delivers, the line thread runs. */
    public Pca200eDevice(DeviceSettings settings, Link link) throws IOException {
        this.settings = settings;
        this.link = link;
        int bufferBytes = Aal5Trailer.pduBytes(settings.maxSduBytes());
        guaranteedPool = new BufferPool(VcService.GUARANTEED, settings.guaranteedPoolBuffers(), bufferBytes);
        bestEffortPool = new BufferPool(VcService.BEST_EFFORT, settings.bestEffortPoolBuffers(), bufferBytes);
        queue = new ReceiveQueue(settings.guaranteedPoolBuffers() + settings.bestEffortPoolBuffers());
        taps = new Taps(settings.maxSduBytes());
        receiver = new ReceiveEngine(vcs, guaranteedPool, bestEffortPool, queue, settings.reassemblyTimeoutNanos(), taps);
        guaranteedFifo = new TransmitFifo("guaranteed", settings.txGuaranteedFifoCells(), taps);
        bestEffortFifo = new TransmitFifo("best-effort", settings.txFifoCells(), taps);
        line = new LineThread(guaranteedFifo, bestEffortFifo, link, receiver, settings.lineCellsPerSecond(),
                Math.max(1_000_000L, settings.reassemblyTimeoutNanos() / 4));
        lineThread = new Thread(line, "atm-" + settings.name() + "-line");
        lineThread.setDaemon(true);
        link.start(receiver);
        lineThread.start();
    }

    /**
     * Runs {@code work} once on the line thread, soon (the driver asks the real-time scheduler for the line thread's
     * priority this way: such requests apply to the calling thread).
     */
    public void runOnLineThread(Runnable work) {
        line.runOnLineThread(work);
    }

    @Override
    public int interfaceNumber() {
        return settings.itf();
    }

    @Override
    public InterfaceInfo info() {
        return new InterfaceInfo(settings.itf(), settings.name(), link.describe(), settings.lineCellsPerSecond(),
                downReason == null);
    }

    /** The settings the card was built with. */
    public DeviceSettings settings() {
        return settings;
    }

    BufferPool pool(VcService service) {
        return service == VcService.GUARANTEED ? guaranteedPool : bestEffortPool;
    }

    int maxSduBytes() {
        return settings.maxSduBytes();
    }

    @Override
    public Channel open(VcParameters parameters) throws AtmException {
        checkUp();
        if (parameters.aal() != Aal.AAL5) {
            throw new AtmException("open: " + parameters.aal() + " is not supported by the PCA-200E model; use AAL5");
        }
        if (parameters.vpi() > 255) {
            throw new AtmException("open: VPI " + parameters.vpi() + " exceeds the UNI's 255 on itf " + settings.itf());
        }
        // An explicit rx max_sdu must fit the receive buffers; an unspecified one means "as large as they hold".
        if (parameters.qos().rx().maxSduBytes() > settings.maxSduBytes()) {
            throw new AtmException("open: rx max_sdu " + parameters.rxMaxSduBytes() + " exceeds the receive buffers' "
                    + settings.maxSduBytes() + " bytes on itf " + settings.itf());
        }
        BufferPool pool = parameters.service() == VcService.GUARANTEED ? guaranteedPool : bestEffortPool;
        Channel channel = new Channel(this, parameters, pool, settings.cbrRateControl());
        if (!vcs.add(channel)) {
            throw new AtmException("open: VC " + parameters.vpi() + "." + parameters.vci() + " is already open on itf "
                    + settings.itf());
        }
        if (downReason != null) { // went down while opening
            vcs.remove(channel);
            checkUp();
        }
        return channel;
    }

    /** The transmit FIFO for a channel's transmit contract: guaranteed cells have their own, served first. */
    TransmitFifo fifo(boolean guaranteedTransmit) {
        return guaranteedTransmit ? guaranteedFifo : bestEffortFifo;
    }

    void closeChannel(Channel channel) {
        vcs.remove(channel);
        receiver.closed(channel);
    }

    @Override
    public ReceivedPdu receive(long timeoutNanos) throws ConnectionClosedException, InterruptedException {
        checkUp();
        PduDescriptor d = queue.poll(timeoutNanos);
        if (d == null) {
            checkUp();
        }
        return d;
    }

    void checkUp() throws ConnectionClosedException {
        String reason = downReason;
        if (reason != null) {
            throw new ConnectionClosedException("itf " + settings.itf(), reason);
        }
    }

    boolean isDown() {
        return downReason != null;
    }

    String downReason() {
        return downReason;
    }

    @Override
    public AutoCloseable attachTap(org.drops.atm.api.device.PduTap tap) {
        return taps.attach(tap);
    }

    @Override
    public DeviceStatistics statistics() {
        ReceiveEngine r = receiver;
        r.lock.lock();
        try {
            return new DeviceStatistics(line.cellsOut(), guaranteedFifo.pdus + bestEffortFifo.pdus, r.cellsIn, r.pdusIn,
                    r.cellsInDeliveredPdus, r.droppedCells, r.hec().correctedCells(), r.hec().discardedCells(),
                    r.idleCells, r.unknownVcCells, r.oamCells, r.crcErrors, r.lengthErrors, r.oversizeDrops,
                    r.timeoutDrops, r.guaranteedPoolDrops, r.bestEffortPoolDrops, r.malformedDatagrams,
                    r.foreignDatagrams, r.datagramsIn, r.staleDatagrams, r.lostDatagrams, r.cellsInReassembly, guaranteedPool.capacity(), guaranteedPool.freeBuffers(),
                    bestEffortPool.capacity(), bestEffortPool.freeBuffers(), Aal5Trailer.pduBytes(settings.maxSduBytes()));
        } finally {
            r.lock.unlock();
        }
    }

    VcStatistics channelStatistics(Channel channel) {
        receiver.lock.lock();
        try {
            return channel.snapshot();
        } finally {
            receiver.lock.unlock();
        }
    }

    /** How often a guaranteed sender found the guaranteed FIFO full and waited (tests). */
    long guaranteedFifoFullWaits() {
        return guaranteedFifo.fullWaits;
    }

    /** Whether a sender waits for room in a transmit FIFO (tests). */
    boolean fifoProducerWaiting() {
        return guaranteedFifo.producerWaiting() != null || bestEffortFifo.producerWaiting() != null;
    }

    /** Cells lost on the wire (no carrier, or the link could not send). */
    public long cellsLostOnWire() {
        return line.cellsLost();
    }

    /**
     * Takes the interface down: every blocked and later call fails with {@link ConnectionClosedException}
     * naming the reason; the line thread stops, the link closes. Idempotent.
     */
    public void close(String reason) {
        synchronized (this) {
            if (downReason != null) {
                return;
            }
            downReason = reason;
        }
        for (Channel c : vcs.all()) {
            c.markClosed();
        }
        queue.close();
        guaranteedFifo.wakeAll();
        bestEffortFifo.wakeAll();
        line.stop();
        link.close();
        try {
            lineThread.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

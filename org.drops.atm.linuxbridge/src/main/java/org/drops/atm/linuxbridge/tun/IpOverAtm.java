package org.drops.atm.linuxbridge.tun;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.NativeCallException;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.server.Connection;
import org.drops.atm.api.server.ProtocolServer;
import org.drops.atm.api.server.RxRing;
import org.drops.atm.api.server.TxRing;
import org.drops.atm.linuxbridge.IpOverAtmInterface;
import org.drops.atm.linuxbridge.IpOverAtmStatistics;
import org.drops.atm.linuxbridge.libc.DirectMemory;
import org.drops.atm.linuxbridge.libc.Errno;

/**
 * Linux uses the ATM stack as a network device (paper §2.7, "L4Linux Interface"): a TUN interface whose IP
 * packets travel as AAL5 SDUs on one PVC, RFC 2684 LLC/SNAP routed encapsulation, one transmit and one receive
 * connection on the PVC opened through the protocol server.
 *
 * <p>Threads: a transmit pump ({@code atm-tun-<name>-tx}) waits for the TUN to be readable, claims a transmit
 * ring slot (blocking while the ring is full: the PVC's flow control reaches back into the kernel's queue), reads
 * the packet straight into the slot behind room for the header, writes the header and commits: no copy in Java.
 * A receive pump ({@code atm-tun-<name>-rx}) takes each received SDU's slot, checks the header and the packet,
 * and writes the packet from the slot into the TUN; as in the paper, Linux buffers its own traffic, so a
 * packet the kernel refuses is dropped and counted, not queued. A link thread ({@code atm-tun-<name>-link})
 * opens the PVC, and opens it again whenever the ATM interface comes back after it was lost; all attaching and
 * detaching happens on it, so the pumps of one attachment are gone before the next starts.
 */
public final class IpOverAtm implements IpOverAtmInterface, AutoCloseable {

    private static final Logger LOG = Logger.getLogger(IpOverAtm.class.getName());
    private static final long JOIN_MILLIS = 10_000;

    private final TunSettings settings;
    private final ProtocolServer server;
    private final String owner;
    private final TunDevice tun;
    private final ExecutorService link;
    private final boolean carrierControl;

    private volatile State state = State.WAITING;
    private volatile String stateReason = "not attached yet";
    private Attachment attachment; // link thread only
    private boolean closed; // link thread only

    // Counters: each has a single writer (the tx or the rx pump; pumps of successive attachments are joined in
    // between), volatile only to publish them to readers.
    private volatile long txPackets;
    private volatile long txBytes;
    private volatile long txDroppedNotWholeIp;
    private volatile long txDroppedPvcLost;
    private volatile long rxPackets;
    private volatile long rxBytes;
    private volatile long rxDroppedUnknownHeader;
    private volatile long rxDroppedMalformed;
    private volatile long rxDroppedTunWrite;
    private volatile long attachments;
    private volatile int lastTunWriteErrno;

    private IpOverAtm(TunSettings settings, ProtocolServer server, String owner, TunDevice tun, boolean carrierControl) {
        this.settings = settings;
        this.server = server;
        this.owner = owner;
        this.tun = tun;
        this.carrierControl = carrierControl;
        this.link = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "atm-tun-" + settings.name() + "-link");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Creates the TUN interface, moves it into its namespace, sets MTU and addresses and brings it up, without
     * carrier until the PVC is open. {@link #attach()} then opens the PVC.
     *
     * @throws IOException naming the call or command that failed; nothing is left behind
     */
    public static IpOverAtm start(TunSettings settings, ProtocolServer server, String owner) throws IOException {
        if (!settings.netnsExists()) {
            throw new IOException("netns: no network namespace \"" + settings.netns() + "\" (" + TunSettings.NETNS_DIR
                    + " has no such entry; create it with: ip netns add " + settings.netns() + ")");
        }
        TunDevice tun = TunDevice.create(settings.name());
        try {
            int carrier = tun.setCarrier(false);
            if (carrier != 0) {
                LOG.info(settings.name() + ": the kernel cannot switch the carrier of TUN devices (TUNSETCARRIER: "
                        + Errno.name(carrier) + "); the interface shows carrier while the PVC is not open");
            }
            IpCommand ip = new IpCommand(settings.ipCommand());
            String name = settings.name();
            if (!settings.netns().isEmpty()) {
                ip.run("", "link", "set", "dev", name, "netns", settings.netns());
            }
            ip.run(settings.netns(), "link", "set", "dev", name, "mtu", Integer.toString(settings.mtuBytes()));
            for (String address : settings.addresses()) {
                ip.run(settings.netns(), "addr", "add", address, "dev", name);
            }
            ip.run(settings.netns(), "link", "set", "dev", name, "up");
            return new IpOverAtm(settings, server, owner, tun, carrier == 0);
        } catch (IOException | RuntimeException e) {
            tun.close();
            throw e;
        }
    }

    /**
     * Opens the PVC in the background ({@link #state()} says how it went). Call it after subscribing to
     * {@link #interfaceUp}: an interface that comes up before the subscription is then found by this attempt, one
     * that comes up later by the event.
     */
    public void attach() {
        submit(this::tryAttach);
    }

    /** The ATM interface {@code itf} came up (Event Admin, from the core): attach if it is ours and we wait. */
    public void interfaceUp(int itf) {
        if (itf == settings.pvc().itf()) {
            submit(this::tryAttach);
        }
    }

    /** Detaches from the PVC and removes the interface; returns when both pumps have ended. Idempotent. */
    @Override
    public void close() {
        submit(() -> {
            closed = true;
            if (attachment != null) {
                detach(attachment);
            }
        });
        link.shutdown();
        try {
            if (!link.awaitTermination(JOIN_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warning(settings.name() + ": the link thread did not stop within " + JOIN_MILLIS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tun.close();
        state = State.STOPPED;
        stateReason = "the interface was removed";
    }

    private void submit(Runnable task) {
        try {
            link.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: nothing more to do
        }
    }

    // ---------------------------------------------------------------- attaching (link thread)

    private void tryAttach() {
        if (closed || attachment != null || state == State.FAILED) {
            return;
        }
        Connection rx = null;
        Connection tx = null;
        try {
            // receive first, so the peer's first packet after our first transmission finds us bound
            rx = server.open(settings.pvc(), settings.qos(), Direction.RECEIVE, Aal.AAL5, owner);
            tx = server.open(settings.pvc(), settings.qos(), Direction.TRANSMIT, Aal.AAL5, owner);
        } catch (AtmException | RuntimeException e) {
            if (rx != null) {
                rx.close();
            }
            waiting("cannot open PVC " + settings.pvc() + ": " + e.getMessage());
            return;
        }
        Attachment a = new Attachment(tx, rx);
        attachment = a;
        attachments++;
        tun.clearWake();
        a.txPump.start();
        a.rxPump.start();
        if (carrierControl) {
            tun.setCarrier(true);
        }
        state = State.ATTACHED;
        stateReason = "";
        LOG.info(settings.name() + (settings.netns().isEmpty() ? "" : " (netns " + settings.netns() + ")")
                + " carries IP over ATM on PVC " + settings.pvc() + ", " + settings.qos() + ", MTU " + settings.mtuBytes());
    }

    private void waiting(String reason) {
        if (!reason.equals(stateReason)) {
            LOG.info(settings.name() + " waits: " + reason + "; it attaches when ATM interface " + settings.pvc().itf()
                    + " comes up");
        }
        state = State.WAITING;
        stateReason = reason;
    }

    /** Stops an attachment's pumps and closes its connections. Link thread. */
    private void detach(Attachment a) {
        if (carrierControl) {
            tun.setCarrier(false);
        }
        a.stopping = true;
        a.tx.close(); // wakes the tx pump blocked in claim
        a.rx.close(); // wakes the rx pump blocked in take
        tun.wake(); // wakes the tx pump waiting for a packet
        join(a.txPump);
        join(a.rxPump);
        attachment = null;
    }

    /** A pump found its connection closed under it: the ATM interface or the core went away. */
    private void lost(Attachment a, String reason) {
        submit(() -> {
            if (attachment != a) {
                return;
            }
            detach(a);
            LOG.warning(settings.name() + ": PVC " + settings.pvc() + " lost (" + reason + ")");
            waiting("PVC " + settings.pvc() + " lost: " + reason);
            tryAttach();
        });
    }

    /** The TUN device failed: nothing can flow until the configuration is applied again. */
    private void failed(Attachment a, NativeCallException e) {
        submit(() -> {
            if (attachment == a) {
                detach(a);
            }
            state = State.FAILED;
            stateReason = e.getMessage();
            LOG.log(Level.SEVERE, settings.name() + ": the TUN device failed; IP over ATM stops until the "
                    + "configuration is applied again", e);
        });
    }

    private void join(Thread t) {
        try {
            t.join(JOIN_MILLIS);
            if (t.isAlive()) {
                LOG.warning(t.getName() + " did not stop within " + JOIN_MILLIS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- pumps

    /** One opening of the PVC: its connections, the rings' native addresses and the two pumps. */
    private final class Attachment {
        final Connection tx;
        final Connection rx;
        final long[] txSlotAddresses;
        final long[] rxSlotAddresses;
        final Thread txPump;
        final Thread rxPump;
        volatile boolean stopping; // set by detach before it wakes the pumps

        Attachment(Connection tx, Connection rx) {
            this.tx = tx;
            this.rx = rx;
            TxRing txRing = tx.txRing();
            RxRing rxRing = rx.rxRing();
            txSlotAddresses = new long[txRing.slotCount()];
            for (int i = 0; i < txSlotAddresses.length; i++) {
                txSlotAddresses[i] = DirectMemory.address(txRing.slot(i));
            }
            rxSlotAddresses = new long[rxRing.slotCount()];
            for (int i = 0; i < rxSlotAddresses.length; i++) {
                rxSlotAddresses[i] = DirectMemory.address(rxRing.slot(i));
            }
            txPump = new Thread(this::transmit, "atm-tun-" + settings.name() + "-tx");
            rxPump = new Thread(this::receive, "atm-tun-" + settings.name() + "-rx");
            txPump.setDaemon(true);
            rxPump.setDaemon(true);
        }

        /** TUN → PVC. Allocates nothing per packet. */
        private void transmit() {
            TxRing ring = tx.txRing();
            int capacity = ring.slotBytes() - LlcSnap.HEADER_BYTES;
            try {
                while (!stopping) {
                    if (tun.awaitReadable() == TunDevice.WOKEN) {
                        return;
                    }
                    while (!stopping) {
                        // flow control: blocks while every slot is committed and not yet sent
                        int slot = ring.claim(Long.MAX_VALUE);
                        long n = tun.read(txSlotAddresses[slot] + LlcSnap.HEADER_BYTES, capacity);
                        if (n < 0) {
                            ring.abort(slot);
                            break; // nothing waiting: back to poll
                        }
                        ByteBuffer sdu = ring.slot(slot);
                        int version = LlcSnap.wholePacketVersion(sdu, LlcSnap.HEADER_BYTES, (int) n);
                        if (version == 0) {
                            ring.abort(slot);
                            txDroppedNotWholeIp++;
                            continue;
                        }
                        sdu.putLong(0, LlcSnap.headerFor(version));
                        try {
                            ring.commit(slot, (int) n + LlcSnap.HEADER_BYTES);
                        } catch (ConnectionClosedException e) {
                            txDroppedPvcLost++;
                            throw e;
                        }
                        txPackets++;
                        txBytes += n;
                    }
                }
            } catch (ConnectionClosedException e) {
                if (!stopping) {
                    lost(this, e.reason());
                }
            } catch (InterruptedException e) {
                if (!stopping) {
                    lost(this, "the transmit pump was interrupted");
                }
            } catch (NativeCallException e) {
                if (!stopping) {
                    failed(this, e);
                }
            }
        }

        /** PVC → TUN. Allocates nothing per packet. */
        private void receive() {
            RxRing ring = rx.rxRing();
            try {
                while (!stopping) {
                    int slot = ring.take(Long.MAX_VALUE);
                    if (slot < 0) {
                        continue;
                    }
                    try {
                        int length = ring.length(slot);
                        int kind = LlcSnap.classify(ring.slot(slot), length);
                        if (kind == LlcSnap.UNKNOWN_HEADER) {
                            rxDroppedUnknownHeader++;
                        } else if (kind == LlcSnap.MALFORMED) {
                            rxDroppedMalformed++;
                        } else {
                            int packetBytes = length - LlcSnap.HEADER_BYTES;
                            int errno = tun.write(rxSlotAddresses[slot] + LlcSnap.HEADER_BYTES, packetBytes);
                            if (errno == 0) {
                                rxPackets++;
                                rxBytes += packetBytes;
                            } else {
                                rxDroppedTunWrite++;
                                lastTunWriteErrno = errno;
                            }
                        }
                    } finally {
                        ring.release(slot);
                    }
                }
            } catch (ConnectionClosedException e) {
                if (!stopping) {
                    lost(this, e.reason());
                }
            } catch (InterruptedException e) {
                if (!stopping) {
                    lost(this, "the receive pump was interrupted");
                }
            }
        }
    }

    // ---------------------------------------------------------------- IpOverAtmInterface

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public String netns() {
        return settings.netns();
    }

    @Override
    public PvcAddress pvc() {
        return settings.pvc();
    }

    @Override
    public Qos qos() {
        return settings.qos();
    }

    @Override
    public int mtuBytes() {
        return settings.mtuBytes();
    }

    @Override
    public List<String> addresses() {
        return settings.addresses();
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public String stateReason() {
        int errno = lastTunWriteErrno;
        String reason = stateReason;
        return errno == 0 ? reason : (reason.isEmpty() ? "" : reason + "; ") + "last refused write: " + Errno.name(errno);
    }

    @Override
    public IpOverAtmStatistics statistics() {
        return new IpOverAtmStatistics(txPackets, txBytes, txDroppedNotWholeIp, txDroppedPvcLost, rxPackets, rxBytes,
                rxDroppedUnknownHeader, rxDroppedMalformed, rxDroppedTunWrite, attachments);
    }

    @Override
    public String toString() {
        return settings.name() + " on " + settings.pvc() + " (" + state + ")";
    }
}

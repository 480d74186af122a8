package org.drops.atm.driver.pca200e.link;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The UDP link: cells carried in UDP datagrams between two platforms (like Linux-ATM's {@code atmtcp}, which
 * emulates ATM over TCP). A datagram is nothing but whole 53-byte cells back to back, header with HEC first,
 * so any independent decoder can read the wire. The socket is not connected, so the receive thread sees every
 * sender: datagrams from any address but the configured peer are counted and dropped, as are datagrams that
 * are not a whole number of cells. Nothing a datagram contains can throw out of the receive thread.
 *
 * <p>Sequenced datagrams (sent when {@code sequenced}, the platform's default): an 8-byte header, the magic
 * {@code "DATM"} and a 32-bit big-endian sequence number, before the cells. UDP may reorder and duplicate
 * datagrams, a line never does, and ATM keeps cell order on a VC: so the receiver puts datagrams back in order,
 * holding those behind a gap for at most the hold time, and refuses (and counts) the ones that come twice or after
 * their gap was given up ({@link Resequencer}); the cells above the link are in order, some missing, which AAL5's
 * CRC and length catch. Without the header, a datagram of whole cells is accepted as it is (a sender
 * that does not number its datagrams, such as an independent tool); both kinds are told apart by length
 * (a multiple of 53, or 8 more) and the magic.
 */
public final class UdpLink implements Link {

    private static final Logger LOG = Logger.getLogger(UdpLink.class.getName());
    /** The largest UDP payload over IPv4. */
    private static final int MAX_DATAGRAM_BYTES = 65507;
    private static final int CELL_BYTES = 53;
    /** How long a send waits for room in the socket's buffer before the datagram counts as lost. */
    private static final long SEND_WAIT_NANOS = 100_000_000L;
    /** Bytes before the cells of a sequenced datagram: magic and sequence number. */
    public static final int SEQUENCE_HEADER_BYTES = 8;
    /** "DATM", the first four bytes of a sequenced datagram. */
    public static final int SEQUENCE_MAGIC = 0x4441544D;

    private final String owner;
    private final InetSocketAddress local;
    private final InetSocketAddress peer;
    private final int maxCellsPerDatagram;
    private final DatagramChannel channel;
    private final boolean sequenced;
    // Sequenced sending (line thread only): header and cells copied into one buffer, the next number.
    private final ByteBuffer sequencedSend;
    private int nextSequence;
    // Receive thread only.
    private final Resequencer resequencer;
    private final java.nio.channels.Selector selector;
    // The line thread's own view of the FIFO memory: reused so a transmit allocates nothing.
    private ByteBuffer sendView;
    private ByteBuffer sendViewOf;
    private Thread receiver;
    private volatile boolean closed;
    private volatile long sendErrors;

    /**
     * Binds the local socket at once, so a configuration error (address in use, not a local address) surfaces
     * when the interface is configured.
     */
    public UdpLink(String owner, InetSocketAddress local, InetSocketAddress peer, int maxCellsPerDatagram)
            throws IOException {
        this(owner, local, peer, maxCellsPerDatagram, false, 0);
    }

    /**
     * @param sequenced  number the datagrams sent (an 8-byte header), so the peer can put them back in order and
     *                   refuse duplicates; received datagrams are resequenced whenever they carry the header,
     *                   whatever this says
     * @param holdNanos  how long a received datagram behind a gap waits for the gap to fill (0: refuse late ones)
     */
    public UdpLink(String owner, InetSocketAddress local, InetSocketAddress peer, int maxCellsPerDatagram,
            boolean sequenced, long holdNanos) throws IOException {
        int header = sequenced ? SEQUENCE_HEADER_BYTES : 0;
        if (maxCellsPerDatagram < 1 || maxCellsPerDatagram * CELL_BYTES + header > MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("udp.cells.per.datagram must be 1.." + (MAX_DATAGRAM_BYTES - header) / CELL_BYTES
                    + (sequenced ? " (sequenced)" : "") + ", not " + maxCellsPerDatagram);
        }
        if (peer.isUnresolved()) {
            throw new IllegalArgumentException("udp.peer: cannot resolve " + peer.getHostString());
        }
        this.owner = owner;
        this.local = local;
        this.peer = peer;
        this.maxCellsPerDatagram = maxCellsPerDatagram;
        this.sequenced = sequenced;
        this.sequencedSend = sequenced ? ByteBuffer.allocateDirect(SEQUENCE_HEADER_BYTES + maxCellsPerDatagram * CELL_BYTES) : null;
        // a restarted peer starts somewhere else, so the receiver resyncs instead of taking it for late datagrams
        this.nextSequence = new java.security.SecureRandom().nextInt();
        this.resequencer = new Resequencer(holdNanos, SEQUENCE_HEADER_BYTES, CELL_BYTES, MAX_DATAGRAM_BYTES + 1);
        this.channel = DatagramChannel.open();
        java.nio.channels.Selector opened = null;
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(local);
            // Non-blocking, with a selector, so the receiver can wake when a held datagram's time is up; transmit()
            // waits for room in the socket buffer itself, as the blocking send did.
            channel.configureBlocking(false);
            opened = java.nio.channels.Selector.open();
            channel.register(opened, java.nio.channels.SelectionKey.OP_READ);
        } catch (IOException | RuntimeException e) {
            channel.close();
            if (opened != null) {
                opened.close();
            }
            throw new IOException("udp.local: cannot bind " + local + " for " + owner + ": " + e.getMessage(), e);
        }
        this.selector = opened;
    }

    /** The bound local address (with the actual port if 0 was configured). */
    public InetSocketAddress localAddress() throws IOException {
        return (InetSocketAddress) channel.getLocalAddress();
    }

    @Override
    public void start(CellSink sink) {
        receiver = new Thread(() -> receiveLoop(sink), "atm-" + owner + "-udp-rx");
        receiver.setDaemon(true);
        receiver.start();
    }

    private void receiveLoop(CellSink sink) {
        ByteBuffer buffer = ByteBuffer.allocateDirect(MAX_DATAGRAM_BYTES + 1);
        Resequencer.Output inOrder = new Resequencer.Output() {
            @Override
            public void deliver(ByteBuffer datagram, int offset, int cells) {
                sink.onCellDatagram(datagram, offset, cells);
            }

            @Override
            public void lost(long count) {
                sink.onLostDatagrams(count);
            }

            @Override
            public void stale(int bytes) {
                sink.onStaleDatagram(bytes);
            }
        };
        while (!closed) {
            try {
                long deadline = resequencer.deadline();
                long now = System.nanoTime();
                if (deadline != Long.MAX_VALUE && now - deadline >= 0) {
                    resequencer.expire(now, inOrder);
                    continue;
                }
                // at most a second, so a close is noticed even if the wake-up were lost
                long waitMillis = deadline == Long.MAX_VALUE ? 1000 : Math.max(1, Math.min(1000, (deadline - now + 999_999) / 1_000_000));
                selector.select(waitMillis);
                selector.selectedKeys().clear();
                for (SocketAddress from = channel.receive(buffer.clear()); from != null && !closed;
                        from = channel.receive(buffer.clear())) {
                    received(sink, from, buffer, inOrder);
                }
            } catch (ClosedChannelException | java.nio.channels.ClosedSelectorException e) {
                return;
            } catch (IOException e) {
                // ICMP port unreachable from a peer that is not up yet surfaces here on some kernels: not fatal.
                if (!closed) {
                    LOG.log(Level.FINE, owner + ": UDP receive failed, continuing", e);
                }
            } catch (RuntimeException e) {
                // A defect in the receive side must not kill the link; it is logged, the datagram is lost.
                LOG.log(Level.SEVERE, owner + ": receive side failed on a datagram, continuing", e);
            }
        }
    }

    private void received(CellSink sink, SocketAddress from, ByteBuffer buffer, Resequencer.Output inOrder) {
        int bytes = buffer.position();
        if (!peer.equals(from)) {
            sink.onForeignDatagram(bytes);
        } else if (bytes > 0 && bytes % CELL_BYTES == 0) {
            sink.onCellDatagram(buffer, 0, bytes / CELL_BYTES);
        } else if (bytes > SEQUENCE_HEADER_BYTES && (bytes - SEQUENCE_HEADER_BYTES) % CELL_BYTES == 0
                && buffer.getInt(0) == SEQUENCE_MAGIC) {
            resequencer.offer(buffer.getInt(4), buffer, bytes, System.nanoTime(), inOrder);
        } else {
            sink.onMalformedDatagram(bytes);
        }
    }

    @Override
    public boolean transmit(ByteBuffer cells, int offset, int cellCount) {
        if (sendViewOf != cells) {
            sendView = cells.duplicate();
            sendViewOf = cells;
        }
        ByteBuffer view = sendView;
        view.limit(offset + cellCount * CELL_BYTES).position(offset);
        if (sequenced) {
            // one copy of at most a datagram's cells: the socket is not connected, so no gathering write
            sequencedSend.clear();
            sequencedSend.putInt(SEQUENCE_MAGIC).putInt(nextSequence++).put(view).flip();
            view = sequencedSend;
        }
        try {
            int sent = channel.send(view, peer);
            // The channel is non-blocking (for the receiver's selector): a full socket buffer answers 0 instead of
            // blocking, so wait for room as a blocking send would, for a bounded time.
            for (long giveUp = System.nanoTime() + SEND_WAIT_NANOS; sent == 0 && System.nanoTime() - giveUp < 0; ) {
                java.util.concurrent.locks.LockSupport.parkNanos(50_000L);
                sent = channel.send(view, peer);
            }
            return sent > 0;
        } catch (IOException e) {
            // The datagram is lost, as cells are on a line without carrier; counted by the caller.
            sendErrors++;
            return false;
        }
    }

    /** Whether this link numbers the datagrams it sends. */
    public boolean sequenced() {
        return sequenced;
    }

    /** Datagrams the kernel refused to send. */
    public long sendErrors() {
        return sendErrors;
    }

    @Override
    public int maxCellsPerTransmit() {
        return maxCellsPerDatagram;
    }

    @Override
    public String describe() {
        return "udp " + local.getHostString() + ":" + local.getPort() + " -> " + peer.getHostString() + ":" + peer.getPort()
                + (sequenced ? "" : " (unsequenced)");
    }

    @Override
    public void close() {
        closed = true;
        try {
            selector.wakeup();
            channel.close();
            selector.close();
        } catch (IOException e) {
            LOG.log(Level.FINE, owner + ": closing the UDP socket", e);
        }
        Thread t = receiver;
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

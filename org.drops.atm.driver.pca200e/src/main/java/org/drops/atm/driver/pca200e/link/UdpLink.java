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
 */
public final class UdpLink implements Link {

    private static final Logger LOG = Logger.getLogger(UdpLink.class.getName());
    /** The largest UDP payload over IPv4. */
    private static final int MAX_DATAGRAM_BYTES = 65507;
    private static final int CELL_BYTES = 53;

    private final String owner;
    private final InetSocketAddress local;
    private final InetSocketAddress peer;
    private final int maxCellsPerDatagram;
    private final DatagramChannel channel;
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
        if (maxCellsPerDatagram < 1 || maxCellsPerDatagram * CELL_BYTES > MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("udp.cells.per.datagram must be 1.." + MAX_DATAGRAM_BYTES / CELL_BYTES
                    + ", not " + maxCellsPerDatagram);
        }
        if (peer.isUnresolved()) {
            throw new IllegalArgumentException("udp.peer: cannot resolve " + peer.getHostString());
        }
        this.owner = owner;
        this.local = local;
        this.peer = peer;
        this.maxCellsPerDatagram = maxCellsPerDatagram;
        this.channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            channel.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
            channel.bind(local);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("udp.local: cannot bind " + local + " for " + owner + ": " + e.getMessage(), e);
        }
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
        while (!closed) {
            try {
                buffer.clear();
                SocketAddress from = channel.receive(buffer);
                int bytes = buffer.position();
                if (!peer.equals(from)) {
                    sink.onForeignDatagram(bytes);
                } else if (bytes == 0 || bytes % CELL_BYTES != 0) {
                    sink.onMalformedDatagram(bytes);
                } else {
                    sink.onCellDatagram(buffer, 0, bytes / CELL_BYTES);
                }
            } catch (ClosedChannelException e) {
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

    @Override
    public boolean transmit(ByteBuffer cells, int offset, int cellCount) {
        if (sendViewOf != cells) {
            sendView = cells.duplicate();
            sendViewOf = cells;
        }
        ByteBuffer view = sendView;
        view.limit(offset + cellCount * CELL_BYTES).position(offset);
        try {
            return channel.send(view, peer) > 0;
        } catch (IOException e) {
            // The datagram is lost, as cells are on a line without carrier; counted by the caller.
            sendErrors++;
            return false;
        }
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
        return "udp " + local.getHostString() + ":" + local.getPort() + " -> " + peer.getHostString() + ":" + peer.getPort();
    }

    @Override
    public void close() {
        closed = true;
        try {
            channel.close();
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

package org.drops.atm.socket;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.BufferTooSmallException;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.RxView;
import org.drops.atm.api.TxSlot;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.InvalidQosException;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.server.Connection;
import org.drops.atm.api.server.ProtocolServer;
import org.drops.atm.api.server.RxRing;
import org.drops.atm.api.server.TxRing;

/**
 * An ATM PVC socket over a protocol-server connection (paper §2.7). {@code write} copies into a ring slot (the
 * transmit path's one CPU copy), {@code claim} lends the slot itself (none); {@code read} copies out of the
 * ring, {@code receive} lends the slot. Writers are serialised by one lock and readers by another, so a socket
 * may be written and read at once. Slot handles are created once per slot at connect/bind and reused.
 */
final class AtmSocketImpl implements AtmSocket {

    private final SocketOwner owner;
    private final ProtocolServer server;
    private final Aal aal;
    private final Object writeLock = new Object();
    private final Object readLock = new Object();
    private volatile State state = State.OPEN;
    private volatile String closedReason = "closed by the application";
    private volatile Qos qos;
    /**
     * The connection while the socket is connected or bound; null again once the socket is closed. An application
     * may keep a closed socket: it must not pin the connection's rings (direct memory), as it did in the
     * reliability suite's ChaosIT. What a closed socket still reports is kept in {@link #pvc} and
     * {@link #closedStatistics}.
     */
    private volatile Connection connection;
    private volatile PvcAddress pvc;
    private volatile ConnectionStatistics closedStatistics;
    private int pendingRead = -1; // guarded by readLock: an SDU taken but not yet delivered (buffer too small)

    AtmSocketImpl(SocketOwner owner, ProtocolServer server, Aal aal) {
        this.owner = owner;
        this.server = server;
        this.aal = aal;
    }

    @Override
    public Aal aal() {
        return aal;
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public synchronized void setQos(Qos qos) {
        if (qos == null) {
            throw new IllegalArgumentException("setQos: qos is null");
        }
        if (state != State.OPEN) {
            throw new IllegalStateException("setQos: the socket is " + state + "; set the QoS before connect or bind");
        }
        if (qos.aal() != Aal.NO_AAL && qos.aal() != aal) {
            throw new InvalidQosException("aal", "the contract's " + qos.aal() + " differs from the socket's " + aal);
        }
        this.qos = qos;
    }

    @Override
    public Optional<Qos> qos() {
        return Optional.ofNullable(qos);
    }

    @Override
    public void connect(PvcAddress pvc) throws AtmException {
        open(pvc, Direction.TRANSMIT);
    }

    @Override
    public void bind(PvcAddress pvc) throws AtmException {
        open(pvc, Direction.RECEIVE);
    }

    private synchronized void open(PvcAddress pvc, Direction direction) throws AtmException {
        String call = direction == Direction.TRANSMIT ? "connect" : "bind";
        if (pvc == null) {
            throw new IllegalArgumentException(call + ": the PVC address is null");
        }
        if (state != State.OPEN) {
            throw new IllegalStateException(call + ": the socket is " + state + "; a socket connects or binds once");
        }
        Qos q = qos;
        if (q == null) {
            throw new IllegalStateException(call + ": no QoS set; call setQos first (as setsockopt(SO_ATMQOS) before " + call + ")");
        }
        if (!q.direction(direction).carriesTraffic()) {
            throw new IllegalStateException(call + ": the QoS's " + (direction == Direction.TRANSMIT ? "tx" : "rx")
                    + " direction is none (" + q + ")");
        }
        Connection c = server.open(pvc, q, direction, aal, owner.name());
        this.pvc = c.pvc();
        connection = c;
        if (direction == Direction.TRANSMIT) {
            state = State.CONNECTED;
        } else {
            state = State.BOUND;
        }
    }

    @Override
    public Optional<PvcAddress> address() {
        return Optional.ofNullable(pvc);
    }

    // ------------------------------------------------------------------ transmit

    /**
     * The transmit ring, or a ConnectionClosedException saying why the socket is closed. A connection closed under
     * an open socket (its interface or driver went away) is left to the ring, whose exception names that reason:
     * "write after close" alone left the user guessing (found by the reliability suite's ChaosIT).
     */
    private TxRing txRing(String call) throws ConnectionClosedException {
        Connection c = connection;
        if (state == State.CLOSED) {
            throw closed(c, call);
        }
        if (state != State.CONNECTED) {
            throw new IllegalStateException(call + ": the socket is " + state + "; connect it first (the transmit side)");
        }
        return c.txRing();
    }

    @Override
    public int write(ByteBuffer sdu) throws IOException {
        if (sdu == null) {
            throw new IllegalArgumentException("write: the sdu buffer is null");
        }
        TxRing ring = txRing("write");
        int length = sdu.remaining();
        if (length > ring.slotBytes()) {
            throw new IllegalArgumentException("write: SDU of " + length + " bytes exceeds max_sdu " + ring.slotBytes()
                    + " of " + pvc);
        }
        synchronized (writeLock) {
            int index = claimIndex(ring, Long.MAX_VALUE);
            ring.slot(index).put(0, sdu, sdu.position(), length); // the one copy of write()
            ring.commit(index, length);
        }
        sdu.position(sdu.limit());
        return length;
    }

    @Override
    public TxSlot claim() throws IOException {
        TxRing ring = txRing("claim");
        synchronized (writeLock) {
            return new TxSlotImpl(ring, claimIndex(ring, Long.MAX_VALUE));
        }
    }

    @Override
    public TxSlot claim(long timeout, TimeUnit unit) throws IOException {
        TxRing ring = txRing("claim");
        synchronized (writeLock) {
            int index = claimIndex(ring, nanos("claim", timeout, unit));
            return index < 0 ? null : new TxSlotImpl(ring, index);
        }
    }

    private static int claimIndex(TxRing ring, long timeoutNanos) throws IOException {
        try {
            return ring.claim(timeoutNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a transmit slot");
        }
    }

    // ------------------------------------------------------------------ receive

    private RxRing rxRing(String call) throws ConnectionClosedException {
        Connection c = connection;
        if (state == State.CLOSED) {
            throw closed(c, call);
        }
        // a connection closed under the open socket: the ring's take throws with the reason it closed
        if (state != State.BOUND) {
            throw new IllegalStateException(call + ": the socket is " + state + "; bind it first (the receive side)");
        }
        return c.rxRing();
    }

    private ConnectionClosedException closed(Connection c, String call) {
        PvcAddress p = pvc;
        return new ConnectionClosedException("socket " + (p == null ? "" : p), closedReason + " (" + call + " after close)");
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return read(dst, Long.MAX_VALUE);
    }

    @Override
    public int read(ByteBuffer dst, long timeout, TimeUnit unit) throws IOException {
        return read(dst, nanos("read", timeout, unit));
    }

    /** The timeout in nanoseconds; a null unit is refused before anything is taken from a ring. */
    private static long nanos(String call, long timeout, TimeUnit unit) {
        if (unit == null) {
            throw new IllegalArgumentException(call + ": the timeout's unit is null");
        }
        return unit.toNanos(timeout);
    }

    private int read(ByteBuffer dst, long timeoutNanos) throws IOException {
        // Checked before an SDU is taken: a null or read-only buffer found only at the copy lost the SDU and
        // leaked its ring slot (issue 10, hostile input).
        if (dst == null) {
            throw new IllegalArgumentException("read: the dst buffer is null");
        }
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read: the dst buffer is read-only");
        }
        RxRing ring = rxRing("read");
        synchronized (readLock) {
            int index = pendingRead >= 0 ? pendingRead : takeIndex(ring, timeoutNanos);
            if (index < 0) {
                return -1;
            }
            int length = ring.length(index);
            if (dst.remaining() < length) {
                pendingRead = index; // nothing lost: the SDU stays first in line
                throw new BufferTooSmallException(length, dst.remaining());
            }
            pendingRead = -1;
            dst.put(dst.position(), ring.slot(index), 0, length); // the read() copy
            dst.position(dst.position() + length);
            ring.release(index);
            return length;
        }
    }

    @Override
    public RxView receive() throws IOException {
        return receive(Long.MAX_VALUE);
    }

    @Override
    public RxView receive(long timeout, TimeUnit unit) throws IOException {
        return receive(nanos("receive", timeout, unit));
    }

    private RxView receive(long timeoutNanos) throws IOException {
        RxRing ring = rxRing("receive");
        synchronized (readLock) {
            int index = pendingRead >= 0 ? pendingRead : takeIndex(ring, timeoutNanos);
            pendingRead = -1;
            return index < 0 ? null : new RxViewImpl(ring, index);
        }
    }

    private static int takeIndex(RxRing ring, long timeoutNanos) throws IOException {
        try {
            return ring.take(timeoutNanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for an SDU");
        }
    }

    // ------------------------------------------------------------------ the rest

    @Override
    public ConnectionStatistics statistics() {
        Connection c = connection;
        if (c != null) {
            return c.statistics();
        }
        ConnectionStatistics last = closedStatistics;
        if (last != null) {
            return last;
        }
        return new ConnectionStatistics(null, null, qos, "", 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, null, 0);
    }

    @Override
    public void close() {
        close("closed by the application");
    }

    /** Closes the socket; later calls get a ConnectionClosedException naming {@code reason}. */
    void close(String reason) {
        Connection c;
        synchronized (this) {
            if (state == State.CLOSED) {
                return;
            }
            closedReason = reason;
            state = State.CLOSED;
            c = connection;
        }
        if (c != null) {
            c.close();
            closedStatistics = c.statistics();
            connection = null; // let go of the connection and its rings (see the field)
        }
        owner.forget(this);
    }

    /** The connection, or null if not connected or bound yet or closed (tests). */
    Connection connectionOrNull() {
        return connection;
    }

    @Override
    public String toString() {
        PvcAddress p = pvc;
        return "AtmSocket[" + state + (p == null ? "" : " " + p) + (qos == null ? "" : " " + qos) + "]";
    }
}

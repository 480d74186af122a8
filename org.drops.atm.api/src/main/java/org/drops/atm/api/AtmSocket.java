package org.drops.atm.api;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Qos;
import org.osgi.annotation.versioning.ProviderType;

/**
 * An ATM PVC socket, used as Linux-ATM's are (paper §2.7): {@link #setQos(String) setQos} while
 * {@link State#OPEN}, then {@link #connect(PvcAddress) connect} to send or {@link #bind(PvcAddress) bind} to
 * receive; one AAL5 SDU per {@code write}/{@code read} call.
 *
 * <p><b>Transmit</b> is synchronous flow control: {@link #write(ByteBuffer)} copies the SDU into a ring slot
 * (one copy) and blocks while the ring is full; the connection's worker thread polices it against the
 * contract and suspends until the next credit when it is out (paper §2.5). {@link #claim()} →
 * fill → {@link TxSlot#commit(int)} is the zero-copy alternative: the driver segments straight out of the
 * slot. <b>Receive</b>: {@link #read(ByteBuffer)} copies the next SDU into the caller's buffer;
 * {@link #receive()} hands the ring slot itself as a read-only view that the caller releases.
 *
 * <p><b>Threading</b>: one thread may write (or claim) while another reads; concurrent writers on one socket
 * are serialised. Blocking calls end with {@link ConnectionClosedException} as soon as the socket is closed
 * by any thread or the connection is lost, and with {@link java.io.InterruptedIOException} (interrupt
 * status set) when the thread is interrupted. Misuse (a call in the wrong {@link State}, an SDU above
 * {@code max_sdu}) throws {@link IllegalStateException} or {@link IllegalArgumentException} naming the rule.
 */
@ProviderType
public interface AtmSocket extends Closeable {

    /** The life cycle of a socket. */
    enum State {
        /** Created; QoS may be set. */
        OPEN,
        /** Connected: the transmit side of a PVC. */
        CONNECTED,
        /** Bound: the receive side of a PVC. */
        BOUND,
        /** Closed; every call but {@link #close()}, {@link #state()} and {@link #statistics()} fails. */
        CLOSED
    }

    /** The socket's adaptation layer. */
    Aal aal();

    /** The current state. */
    State state();

    /**
     * Sets the traffic contract ({@code setsockopt(SO_ATMQOS)}); only in state {@link State#OPEN}.
     *
     * @throws IllegalStateException after connect or bind
     * @throws org.drops.atm.api.qos.InvalidQosException if the contract's AAL differs from the socket's
     */
    void setQos(Qos qos);

    /**
     * Sets the contract from {@code text2qos} text, for example {@code cbr:pcr=166993,sdu=8192}.
     *
     * @throws org.drops.atm.api.qos.InvalidQosException naming the field and rule
     */
    default void setQos(String text) {
        setQos(Qos.parse(text));
    }

    /** The contract set, if any. */
    Optional<Qos> qos();

    /**
     * Opens the transmit side of the PVC: admission control reserves what the contract's tx direction needs and
     * the worker thread starts.
     *
     * @throws IllegalStateException if the socket is not {@link State#OPEN}, has no QoS, or the QoS has no tx
     *                               traffic
     * @throws AdmissionException    if admission control refuses, with the recommended contract
     * @throws AtmException          if the interface does not exist or the VC is already open in this direction
     */
    void connect(PvcAddress pvc) throws AtmException;

    /**
     * Opens the receive side of the PVC; as {@link #connect(PvcAddress)} for the rx direction.
     *
     * @throws AdmissionException if admission control refuses, with the recommended contract
     */
    void bind(PvcAddress pvc) throws AtmException;

    /** The PVC after connect or bind. */
    Optional<PvcAddress> address();

    /**
     * Sends the remaining bytes of {@code sdu} as one SDU, copying them into a ring slot; blocks while the
     * transmit ring is full (flow control). On return the buffer may be reused; its position is at its limit.
     *
     * @return the SDU's length in bytes
     * @throws IllegalArgumentException if the SDU is longer than the contract's {@code max_sdu}
     * @throws IllegalStateException    if the socket is not connected
     */
    int write(ByteBuffer sdu) throws IOException;

    /** Sends {@code length} bytes of {@code bytes} from {@code offset} as one SDU; see {@link #write(ByteBuffer)}. */
    default int write(byte[] bytes, int offset, int length) throws IOException {
        if (bytes == null) {
            throw new IllegalArgumentException("write: the bytes array is null");
        }
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length); // names the range, not just "null"
        return write(ByteBuffer.wrap(bytes, offset, length));
    }

    /**
     * Claims a transmit ring slot to fill in place (zero copy); blocks until one is free.
     *
     * @throws IllegalStateException if the socket is not connected
     */
    TxSlot claim() throws IOException;

    /** As {@link #claim()}, giving up after the timeout: null if no slot became free. */
    TxSlot claim(long timeout, TimeUnit unit) throws IOException;

    /**
     * Copies the next SDU into {@code dst} (from its position) and advances the position; blocks until one
     * arrives.
     *
     * @return the SDU's length in bytes (zero-length SDUs exist)
     * @throws BufferTooSmallException if {@code dst} has too little room; the SDU stays queued
     * @throws IllegalStateException   if the socket is not bound
     */
    int read(ByteBuffer dst) throws IOException;

    /** As {@link #read(ByteBuffer)}, giving up after the timeout: -1 if no SDU arrived. */
    int read(ByteBuffer dst, long timeout, TimeUnit unit) throws IOException;

    /**
     * The next SDU in place, as a read-only view of its ring slot (single copy: the one from the driver's
     * buffer into the ring); blocks until one arrives. The slot is not reused until the view is released, so
     * a caller that holds views holds receive buffers.
     *
     * @throws IllegalStateException if the socket is not bound
     */
    RxView receive() throws IOException;

    /** As {@link #receive()}, giving up after the timeout: null if no SDU arrived. */
    RxView receive(long timeout, TimeUnit unit) throws IOException;

    /** Counters and state of the connection; usable in every state. */
    ConnectionStatistics statistics();

    /**
     * Closes the socket: releases the reservation, stops the worker, frees the rings, and wakes every blocked
     * caller with {@link ConnectionClosedException}. Closing twice is harmless.
     */
    @Override
    void close();
}

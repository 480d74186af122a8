package org.drops.atm.api.srt;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.drops.atm.api.InetFamily;
import org.drops.atm.api.InetOption;
import org.drops.atm.api.InetType;
import org.drops.atm.api.NativeCallException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Performs redirected socket calls on the host's Linux kernel. Every method is the system call of the same
 * name on a native socket; a kernel error throws {@link NativeCallException} with the call and the errno name.
 *
 * <p><b>Threading and blocking</b>: all methods may be called concurrently, as the system calls may.
 * {@link #accept}, {@link #receive} and {@link #receiveFrom} block like their system calls (bounded by
 * {@code SO_RCVTIMEO} if set); {@link #close(int)} shuts the socket down first, so such blocked callers return
 * with an error instead of hanging. The other calls block only as long as the kernel does. Descriptors of a
 * bundle that goes away are closed by the facade, not leaked.
 */
@ProviderType
public interface SrtServer {

    /** {@code socket(family, type, 0)}; returns the file descriptor. Threading: any thread. Blocking: the system call only. */
    int socket(InetFamily family, InetType type) throws NativeCallException;

    /** {@code bind}. Threading: any thread. Blocking: the system call only. */
    void bind(int fd, InetSocketAddress local) throws NativeCallException;

    /** {@code connect}. Threading: any thread. Blocking: until a TCP handshake completes or fails. */
    void connect(int fd, InetSocketAddress remote) throws NativeCallException;

    /** {@code listen}. Threading: any thread. Blocking: the system call only. */
    void listen(int fd, int backlog) throws NativeCallException;

    /** {@code accept}. Threading: any thread. Blocking: until a connection arrives, or the socket is closed. */
    Accepted accept(int fd) throws NativeCallException;

    /**
     * {@code send}/{@code sendto} of the buffer's remaining bytes; {@code target} null for a connected socket.
     * Advances the buffer's position by the bytes sent, which it returns. Threading: any thread. Blocking: while
     * the socket's send buffer is full.
     */
    int send(int fd, ByteBuffer src, InetSocketAddress target) throws NativeCallException;

    /**
     * {@code recv} into the buffer's remaining space; advances its position; returns bytes, 0 at end of stream.
     * Threading: any thread. Blocking: until data arrives, {@code SO_RCVTIMEO} passes, or the socket is closed.
     */
    int receive(int fd, ByteBuffer dst) throws NativeCallException;

    /**
     * {@code recvfrom} of one datagram into the buffer; advances its position; returns the sender. Threading:
     * any thread. Blocking: until a datagram arrives, {@code SO_RCVTIMEO} passes, or the socket is closed.
     */
    InetSocketAddress receiveFrom(int fd, ByteBuffer dst) throws NativeCallException;

    /** {@code setsockopt} with the option's native value size. Threading: any thread. Blocking: never. */
    void setOption(int fd, InetOption option, long value) throws NativeCallException;

    /**
     * {@code getsockopt}, the value the kernel holds (which may differ from what was set, as for buffers).
     * Threading: any thread. Blocking: never.
     */
    long getOption(int fd, InetOption option) throws NativeCallException;

    /** {@code getsockname}. Threading: any thread. Blocking: never. */
    InetSocketAddress localAddress(int fd) throws NativeCallException;

    /**
     * {@code shutdown} then {@code close}; closing an already closed descriptor is harmless. Threading: any
     * thread. Blocking: never; callers blocked on the socket wake with an error.
     */
    void close(int fd);
}

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

    /** {@code socket(family, type, 0)}; returns the file descriptor. */
    int socket(InetFamily family, InetType type) throws NativeCallException;

    void bind(int fd, InetSocketAddress local) throws NativeCallException;

    void connect(int fd, InetSocketAddress remote) throws NativeCallException;

    void listen(int fd, int backlog) throws NativeCallException;

    Accepted accept(int fd) throws NativeCallException;

    /**
     * {@code send}/{@code sendto} of the buffer's remaining bytes; {@code target} null for a connected socket.
     * Advances the buffer's position by the bytes sent, which it returns.
     */
    int send(int fd, ByteBuffer src, InetSocketAddress target) throws NativeCallException;

    /** {@code recv} into the buffer's remaining space; advances its position; returns bytes, 0 at end of stream. */
    int receive(int fd, ByteBuffer dst) throws NativeCallException;

    /** {@code recvfrom} of one datagram into the buffer; advances its position; returns the sender. */
    InetSocketAddress receiveFrom(int fd, ByteBuffer dst) throws NativeCallException;

    /** {@code setsockopt} with the option's native value size. */
    void setOption(int fd, InetOption option, long value) throws NativeCallException;

    /** {@code getsockopt}, the value the kernel holds (which may differ from what was set, as for buffers). */
    long getOption(int fd, InetOption option) throws NativeCallException;

    /** {@code getsockname}. */
    InetSocketAddress localAddress(int fd) throws NativeCallException;

    /** {@code shutdown} then {@code close}; closing an already closed descriptor is harmless. */
    void close(int fd);
}

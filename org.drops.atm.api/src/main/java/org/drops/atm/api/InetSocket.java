package org.drops.atm.api;

import java.io.Closeable;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A TCP or UDP socket whose calls are redirected to the host's Linux kernel through the SRT server (paper §2):
 * the application uses one socket service for its guaranteed ATM traffic and its ordinary time-sharing
 * traffic. Calls mirror the BSD socket calls; a kernel error surfaces as {@link NativeCallException} with the
 * call and the errno name.
 *
 * <p>Threading: calls may come from several threads, as on a native socket; {@link #close()} wakes callers
 * blocked in {@code accept} or {@code receive}, which then fail.
 */
@ProviderType
public interface InetSocket extends Closeable {

    /** The address family the socket was created with. */
    InetFamily family();

    /** The socket type the socket was created with. */
    InetType type();

    /** Binds to a local address ({@code bind}). */
    void bind(InetSocketAddress local) throws IOException;

    /** Connects to a remote address ({@code connect}); blocks until a TCP handshake completes or fails. */
    void connect(InetSocketAddress remote) throws IOException;

    /** Marks a stream socket as accepting connections. */
    void listen(int backlog) throws IOException;

    /** Blocks until a connection arrives on a listening stream socket. */
    InetSocket accept() throws IOException;

    /** Sends the buffer's remaining bytes on a connected socket; returns the bytes sent. */
    int send(ByteBuffer src) throws IOException;

    /** Sends a datagram to {@code target}; returns the bytes sent. */
    int sendTo(ByteBuffer src, InetSocketAddress target) throws IOException;

    /** Receives into the buffer; blocks; returns the bytes received, 0 at the end of a stream. */
    int receive(ByteBuffer dst) throws IOException;

    /** Receives one datagram into the buffer; blocks; returns the sender. */
    InetSocketAddress receiveFrom(ByteBuffer dst) throws IOException;

    /** {@code setsockopt}; the value's size is the option's native one. */
    void setOption(InetOption option, long value) throws IOException;

    /** {@code getsockopt}, read back from the kernel. */
    long getOption(InetOption option) throws IOException;

    /** The address the socket is bound to ({@code getsockname}). */
    InetSocketAddress localAddress() throws IOException;

    /** Closes the native socket; closing twice is harmless. */
    @Override
    void close();
}

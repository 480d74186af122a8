package org.drops.atm.linuxbridge.srt;

import java.util.concurrent.atomic.AtomicInteger;
import org.drops.atm.api.InetFamily;
import org.drops.atm.api.NativeCallException;
import org.drops.atm.linuxbridge.libc.Errno;
import org.drops.atm.linuxbridge.libc.LibC;

/**
 * One native socket and the calls in progress on it. The descriptor is closed only when the socket is closed
 * <em>and</em> no call is using it any more: closing it under a blocked {@code recv} would let the kernel hand
 * the same number to the next {@code open}, and the woken call (or a late one) would then act on a stranger's
 * file. {@link #close()} therefore shuts the socket down first, which wakes blocked callers, and the last call
 * to leave closes the descriptor (the scheme of the JDK's own socket channels).
 */
final class NativeSocket {

    private static final int CLOSED = 1 << 30;

    final int fd;
    final InetFamily family;
    // CLOSED bit | number of calls in progress; one word so "closed" and "last one out" cannot race
    private final AtomicInteger state = new AtomicInteger();

    NativeSocket(int fd, InetFamily family) {
        this.fd = fd;
        this.family = family;
    }

    /** Enters a call; every {@code begin} that returns is paired with one {@link #end()}. */
    void begin(String call) throws NativeCallException {
        while (true) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                throw closed(call);
            }
            if (state.compareAndSet(s, s + 1)) {
                return;
            }
        }
    }

    /** Leaves a call; closes the descriptor if the socket was closed meanwhile and this was the last call. */
    void end() {
        if (state.decrementAndGet() == CLOSED) {
            LibC.close(fd);
        }
    }

    boolean isClosed() {
        return (state.get() & CLOSED) != 0;
    }

    /**
     * Shuts down and closes; harmless when repeated. Shutdown wakes callers blocked in accept, recv and
     * recvfrom (an unconnected UDP socket reports ENOTCONN but still wakes them, which is all we need).
     */
    void close() {
        while (true) {
            int s = state.get();
            if ((s & CLOSED) != 0) {
                return;
            }
            // the closer counts as a call of its own, so the descriptor outlives its shutdown
            if (state.compareAndSet(s, (s | CLOSED) + 1)) {
                LibC.shutdown(fd, LibC.SHUT_RDWR);
                end();
                return;
            }
        }
    }

    /** The error a call on a closed socket gets, and a blocked call that close woke. */
    static NativeCallException closed(String call) {
        return new NativeCallException(call, Errno.EBADF, Errno.name(Errno.EBADF), "the socket was closed");
    }
}

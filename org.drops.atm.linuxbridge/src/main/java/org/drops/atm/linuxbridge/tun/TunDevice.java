package org.drops.atm.linuxbridge.tun;

import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.drops.atm.api.NativeCallException;
import org.drops.atm.linuxbridge.libc.DirectMemory;
import org.drops.atm.linuxbridge.libc.Errno;
import org.drops.atm.linuxbridge.libc.LibC;

/**
 * A TUN interface ({@code IFF_TUN | IFF_NO_PI}: whole IP packets, no prefix) and its file descriptor. The
 * interface is not persistent: it exists while the descriptor is open, in whatever network namespace it was
 * moved to, and closing the descriptor removes it.
 *
 * <p>The descriptor is non-blocking. The one reading thread waits in {@link #awaitReadable()}, a
 * {@code poll} on the TUN and on an eventfd that {@link #wake()} signals, so a stop never waits for a packet.
 * Writes never block (the kernel queues or drops, and counts).
 */
final class TunDevice implements AutoCloseable {

    /** {@link #awaitReadable()}: a packet is waiting. */
    static final int READABLE = 1;
    /** {@link #awaitReadable()}: {@link #wake()} was called. */
    static final int WOKEN = 0;

    final String name;
    private final int fd;
    private final int wakeFd;
    // struct pollfd[2] of the reading thread, {int fd; short events; short revents}: {tun, POLLIN}, {eventfd, POLLIN}
    private final ByteBuffer pollFds = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    private final long pollFdsAddress = DirectMemory.address(pollFds);
    private volatile boolean closed;

    private TunDevice(String name, int fd, int wakeFd) {
        this.name = name;
        this.fd = fd;
        this.wakeFd = wakeFd;
    }

    /**
     * Creates the interface in the caller's network namespace.
     *
     * @throws NativeCallException naming the call: {@code open(/dev/net/tun)} (no TUN driver),
     *                             {@code ioctl(TUNSETIFF atm0)} with EPERM (no CAP_NET_ADMIN) or EBUSY (the name
     *                             is taken by an interface of another kind or owner)
     */
    static TunDevice create(String name) throws NativeCallException {
        byte[] encoded = name.getBytes(StandardCharsets.US_ASCII);
        if (encoded.length == 0 || encoded.length >= LibC.IFNAMSIZ) {
            throw new IllegalArgumentException("name: \"" + name + "\" must have 1 to " + (LibC.IFNAMSIZ - 1) + " characters");
        }
        int fd = LibC.open("/dev/net/tun", LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw Errno.last("open(/dev/net/tun)");
        }
        // struct ifreq: ifr_name[16], then ifr_flags (a short) at the start of the union
        ByteBuffer ifreq = ByteBuffer.allocate(LibC.IFREQ_BYTES).order(ByteOrder.nativeOrder());
        ifreq.put(0, encoded);
        ifreq.putShort(LibC.IFREQ_FLAGS_OFFSET, (short) (LibC.IFF_TUN | LibC.IFF_NO_PI));
        if (LibC.ioctl(fd, LibC.TUNSETIFF, ifreq.array()) != 0) {
            NativeCallException e = Errno.last("ioctl(TUNSETIFF " + name + ")");
            LibC.close(fd);
            throw e;
        }
        int wakeFd = LibC.eventfd(0, LibC.EFD_NONBLOCK_CLOEXEC);
        if (wakeFd < 0) {
            NativeCallException e = Errno.last("eventfd");
            LibC.close(fd);
            throw e;
        }
        return new TunDevice(name, fd, wakeFd);
    }

    /**
     * Sets the carrier ({@code TUNSETCARRIER}): off while no PVC carries the interface's packets, so the kernel
     * shows NO-CARRIER and does not queue packets for it.
     *
     * @return 0, or the errno (EINVAL on kernels before 5.0, which lack the call)
     */
    int setCarrier(boolean on) {
        return LibC.ioctl(fd, LibC.TUNSETCARRIER, new int[] {on ? 1 : 0}) == 0 ? 0 : LibC.errno();
    }

    /**
     * Waits until a packet can be read or {@link #wake()} is called. Reading thread only.
     *
     * @return {@link #READABLE} or {@link #WOKEN}
     * @throws NativeCallException if the TUN reports an error (for example the interface was deleted under it)
     */
    int awaitReadable() throws NativeCallException {
        while (true) {
            pollFds.putInt(0, fd).putShort(4, LibC.POLLIN).putShort(6, (short) 0);
            pollFds.putInt(8, wakeFd).putShort(12, LibC.POLLIN).putShort(14, (short) 0);
            int ready = LibC.poll(pollFdsAddress, 2, -1);
            Reference.reachabilityFence(pollFds);
            if (ready < 0) {
                int errno = LibC.errno();
                if (errno == Errno.EINTR) {
                    continue;
                }
                throw Errno.exception("poll(" + name + ")", errno);
            }
            if (pollFds.getShort(14) != 0) {
                return WOKEN;
            }
            short revents = pollFds.getShort(6);
            if ((revents & LibC.POLLIN) != 0) {
                return READABLE;
            }
            if (revents != 0) {
                // POLLERR, POLLHUP or POLLNVAL without data: the device is gone; a read says why
                long n = LibC.read(fd, new long[1], 0);
                throw Errno.exception("poll(" + name + "): events 0x" + Integer.toHexString(revents & 0xffff)
                        + ", read", n < 0 ? LibC.errno() : Errno.EIO);
            }
        }
    }

    /**
     * Reads one packet into native memory. Reading thread only.
     *
     * @return its length (a packet longer than {@code capacity} is cut to it), or -1 if none is waiting
     * @throws NativeCallException on any other error
     */
    long read(long address, int capacity) throws NativeCallException {
        while (true) {
            long n = LibC.read(fd, address, capacity);
            if (n >= 0) {
                return n;
            }
            int errno = LibC.errno();
            if (errno == Errno.EAGAIN) {
                return -1;
            }
            if (errno != Errno.EINTR) {
                throw Errno.exception("read(" + name + ")", errno);
            }
        }
    }

    /**
     * Writes one packet from native memory into the interface (the kernel receives it).
     *
     * @return 0, or the errno: EIO while the interface is down, EINVAL for a packet the kernel will not take
     */
    int write(long address, int length) {
        while (true) {
            long n = LibC.write(fd, address, length);
            if (n >= 0) {
                return 0;
            }
            int errno = LibC.errno();
            if (errno != Errno.EINTR) {
                return errno;
            }
        }
    }

    /** Makes a waiting or the next {@link #awaitReadable()} return {@link #WOKEN}. Any thread. */
    void wake() {
        LibC.write(wakeFd, new long[] {1}, 8);
    }

    /** Takes back a {@link #wake()} that nobody consumed. */
    void clearWake() {
        LibC.read(wakeFd, new long[1], 8);
    }

    /** Closes the descriptor, which removes the interface. Idempotent. Call when no thread uses the device. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
            LibC.close(wakeFd);
        }
    }
}

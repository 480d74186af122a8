package org.drops.atm.linuxbridge.srt;

import java.lang.ref.Reference;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ReadOnlyBufferException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.drops.atm.api.InetFamily;
import org.drops.atm.api.InetOption;
import org.drops.atm.api.InetType;
import org.drops.atm.api.NativeCallException;
import org.drops.atm.api.srt.Accepted;
import org.drops.atm.api.srt.SrtServer;
import org.drops.atm.linuxbridge.libc.Errno;
import org.drops.atm.linuxbridge.libc.LibC;

/**
 * Redirected socket calls on the host kernel (paper §2, "API calls unsupported by real-time servers are
 * transparently redirected"). Only descriptors this server opened (by {@link #socket} or {@link #accept}) are
 * served; any other number fails with EBADF, so a caller cannot reach the JVM's own files through it.
 * {@link #closeAll()} closes every descriptor still open, waking their blocked callers.
 */
public final class NativeSockets implements SrtServer {

    /** Value size of an option: {@code SO_MAX_PACING_RATE} takes a 64-bit rate since Linux 5.x, the rest an int. */
    static int valueBytes(InetOption option) {
        return option == InetOption.SO_MAX_PACING_RATE ? 8 : 4;
    }

    private final Map<Integer, NativeSocket> sockets = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    /** Descriptors open now. */
    public int openCount() {
        return sockets.size();
    }

    /** Closes every descriptor still open (the bundle stops); later calls fail. */
    public void closeAll() {
        stopped = true;
        List<NativeSocket> open = new ArrayList<>(sockets.values());
        for (NativeSocket s : open) {
            sockets.remove(s.fd, s);
            s.close();
        }
    }

    @Override
    public int socket(InetFamily family, InetType type) throws NativeCallException {
        if (family == null || type == null) {
            throw new IllegalArgumentException("socket: family and type are required");
        }
        String call = "socket(" + family + ", " + type + ")";
        if (stopped) {
            throw new NativeCallException(call, Errno.EBADF, Errno.name(Errno.EBADF), "the SRT server has stopped");
        }
        int fd = LibC.socket(family.linuxCode(), type.linuxCode() | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw Errno.last(call);
        }
        register(fd, family);
        return fd;
    }

    private void register(int fd, InetFamily family) {
        sockets.put(fd, new NativeSocket(fd, family));
        if (stopped) {
            // closeAll ran meanwhile and did not see this one
            close(fd);
        }
    }

    @Override
    public void bind(int fd, InetSocketAddress local) throws NativeCallException {
        NativeSocket s = enter(fd, "bind");
        try {
            byte[] address = SocketAddresses.encode("bind", s.family, local);
            if (LibC.bind(fd, address, address.length) != 0) {
                throw Errno.last("bind " + local);
            }
        } finally {
            s.end();
        }
    }

    @Override
    public void connect(int fd, InetSocketAddress remote) throws NativeCallException {
        NativeSocket s = enter(fd, "connect");
        try {
            byte[] address = SocketAddresses.encode("connect", s.family, remote);
            if (LibC.connect(fd, address, address.length) != 0) {
                int errno = LibC.errno();
                if (errno != Errno.EINTR) {
                    throw failure(s, "connect " + remote, errno);
                }
                // interrupted: the handshake goes on in the kernel; wait for it and take its outcome
                awaitWritable(s, "connect " + remote);
                int pending = intOption(s, LibC.SOL_SOCKET, LibC.SO_ERROR, "connect " + remote);
                if (pending != 0) {
                    throw failure(s, "connect " + remote, pending);
                }
            }
        } finally {
            s.end();
        }
    }

    @Override
    public void listen(int fd, int backlog) throws NativeCallException {
        NativeSocket s = enter(fd, "listen");
        try {
            if (LibC.listen(fd, backlog) != 0) {
                throw Errno.last("listen");
            }
        } finally {
            s.end();
        }
    }

    @Override
    public Accepted accept(int fd) throws NativeCallException {
        NativeSocket s = enter(fd, "accept");
        try {
            byte[] address = SocketAddresses.storage();
            int[] length = new int[1];
            while (true) {
                length[0] = address.length;
                int accepted = LibC.accept4(fd, address, length, LibC.SOCK_CLOEXEC);
                if (accepted >= 0) {
                    if (s.isClosed()) {
                        LibC.close(accepted);
                        throw NativeSocket.closed("accept");
                    }
                    register(accepted, s.family);
                    return new Accepted(accepted, SocketAddresses.decode(address, length[0]));
                }
                int errno = LibC.errno();
                if (errno != Errno.EINTR || s.isClosed()) {
                    throw failure(s, "accept", errno);
                }
            }
        } finally {
            s.end();
        }
    }

    @Override
    public int send(int fd, ByteBuffer src, InetSocketAddress target) throws NativeCallException {
        String call = target == null ? "send" : "sendto " + target;
        NativeSocket s = enter(fd, call);
        try {
            byte[] address = target == null ? null : SocketAddresses.encode(call, s.family, target);
            int count = src.remaining();
            // a heap buffer goes through a direct copy: the kernel needs an address that does not move
            ByteBuffer direct = src.isDirect() ? src : ByteBuffer.allocateDirect(count).put(src.duplicate()).flip();
            long base = addressOf(direct) + direct.position();
            try {
                while (true) {
                    long sent = target == null
                            ? LibC.send(fd, base, count, LibC.MSG_NOSIGNAL)
                            : LibC.sendto(fd, base, count, LibC.MSG_NOSIGNAL, address, address.length);
                    if (sent >= 0) {
                        src.position(src.position() + (int) sent);
                        return (int) sent;
                    }
                    int errno = LibC.errno();
                    if (errno != Errno.EINTR || s.isClosed()) {
                        throw failure(s, call, errno);
                    }
                }
            } finally {
                Reference.reachabilityFence(direct);
            }
        } finally {
            s.end();
        }
    }

    @Override
    public int receive(int fd, ByteBuffer dst) throws NativeCallException {
        NativeSocket s = enter(fd, "recv");
        try {
            return (int) receiveInto(s, dst, null, null, "recv");
        } finally {
            s.end();
        }
    }

    @Override
    public InetSocketAddress receiveFrom(int fd, ByteBuffer dst) throws NativeCallException {
        NativeSocket s = enter(fd, "recvfrom");
        try {
            byte[] address = SocketAddresses.storage();
            int[] length = {address.length};
            receiveInto(s, dst, address, length, "recvfrom");
            return SocketAddresses.decode(address, length[0]);
        } finally {
            s.end();
        }
    }

    /** recv or recvfrom into the buffer's remaining space; advances its position. */
    private static long receiveInto(NativeSocket s, ByteBuffer dst, byte[] address, int[] length, String call)
            throws NativeCallException {
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        int room = dst.remaining();
        ByteBuffer direct = dst.isDirect() ? dst : ByteBuffer.allocateDirect(room);
        long base = addressOf(direct) + direct.position();
        try {
            while (true) {
                long got = address == null ? LibC.recv(s.fd, base, room, 0)
                        : LibC.recvfrom(s.fd, base, room, 0, address, length);
                if (got > 0 || (got == 0 && !s.isClosed())) {
                    if (direct != dst) {
                        dst.put(direct.limit((int) got));
                    } else {
                        dst.position(dst.position() + (int) got);
                    }
                    return got;
                }
                if (got == 0) {
                    // woken by close's shutdown, not a peer's end of stream
                    throw NativeSocket.closed(call);
                }
                int errno = LibC.errno();
                if (errno != Errno.EINTR || s.isClosed()) {
                    throw failure(s, call, errno);
                }
            }
        } finally {
            Reference.reachabilityFence(direct);
        }
    }

    @Override
    public void setOption(int fd, InetOption option, long value) throws NativeCallException {
        if (option == null) {
            throw new IllegalArgumentException("setsockopt: an option is required");
        }
        int bytes = valueBytes(option);
        if (bytes == 4 && (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE)) {
            throw new IllegalArgumentException("setsockopt(" + option + "): " + value + " does not fit the option's int");
        }
        String call = "setsockopt(" + option + ")";
        NativeSocket s = enter(fd, call);
        try {
            ByteBuffer m = ByteBuffer.allocate(bytes).order(ByteOrder.nativeOrder());
            if (bytes == 8) {
                m.putLong(0, value);
            } else {
                m.putInt(0, (int) value);
            }
            if (LibC.setsockopt(fd, option.level().linuxCode(), option.linuxCode(), m.array(), bytes) != 0) {
                throw Errno.last(call);
            }
        } finally {
            s.end();
        }
    }

    /**
     * {@inheritDoc} {@code SO_MAX_PACING_RATE} reads back as an unsigned 64-bit rate in bytes per second; "no
     * limit" ({@code ~0UL}) is -1.
     */
    @Override
    public long getOption(int fd, InetOption option) throws NativeCallException {
        if (option == null) {
            throw new IllegalArgumentException("getsockopt: an option is required");
        }
        String call = "getsockopt(" + option + ")";
        NativeSocket s = enter(fd, call);
        try {
            byte[] value = new byte[8];
            int[] length = {valueBytes(option)};
            if (LibC.getsockopt(fd, option.level().linuxCode(), option.linuxCode(), value, length) != 0) {
                throw Errno.last(call);
            }
            ByteBuffer m = ByteBuffer.wrap(value).order(ByteOrder.nativeOrder());
            int returned = length[0];
            return returned >= 8 ? m.getLong(0) : returned == 4 ? m.getInt(0) : m.get(0);
        } finally {
            s.end();
        }
    }

    @Override
    public InetSocketAddress localAddress(int fd) throws NativeCallException {
        NativeSocket s = enter(fd, "getsockname");
        try {
            byte[] address = SocketAddresses.storage();
            int[] length = {address.length};
            if (LibC.getsockname(fd, address, length) != 0) {
                throw Errno.last("getsockname");
            }
            return SocketAddresses.decode(address, length[0]);
        } finally {
            s.end();
        }
    }

    @Override
    public void close(int fd) {
        NativeSocket s = sockets.remove(fd);
        if (s != null) {
            s.close();
        }
    }

    // ---------------------------------------------------------------- plumbing

    private NativeSocket enter(int fd, String call) throws NativeCallException {
        NativeSocket s = sockets.get(fd);
        if (s == null) {
            throw new NativeCallException(call, Errno.EBADF, Errno.name(Errno.EBADF),
                    "descriptor " + fd + " is not a socket the SRT server opened, or it was closed");
        }
        s.begin(call);
        return s;
    }

    /** A failed call's exception; a call that close woke gets "the socket was closed" whatever the kernel said. */
    private static NativeCallException failure(NativeSocket s, String call, int errno) {
        return s.isClosed() ? NativeSocket.closed(call) : Errno.exception(call, errno);
    }

    private static void awaitWritable(NativeSocket s, String call) throws NativeCallException {
        ByteBuffer pollfd = ByteBuffer.allocateDirect(8).order(ByteOrder.nativeOrder());
        long address = addressOf(pollfd);
        try {
            while (true) {
                pollfd.putInt(0, s.fd).putShort(4, LibC.POLLOUT).putShort(6, (short) 0);
                if (LibC.poll(address, 1, -1) >= 0) {
                    return;
                }
                int errno = LibC.errno();
                if (errno != Errno.EINTR || s.isClosed()) {
                    throw failure(s, call + " (poll)", errno);
                }
            }
        } finally {
            Reference.reachabilityFence(pollfd);
        }
    }

    private static int intOption(NativeSocket s, int level, int option, String call) throws NativeCallException {
        byte[] value = new byte[4];
        int[] length = {4};
        if (LibC.getsockopt(s.fd, level, option, value, length) != 0) {
            throw Errno.last(call + " (getsockopt SO_ERROR)");
        }
        return ByteBuffer.wrap(value).order(ByteOrder.nativeOrder()).getInt(0);
    }

    static long addressOf(ByteBuffer direct) {
        return org.drops.atm.linuxbridge.libc.DirectMemory.address(direct);
    }
}

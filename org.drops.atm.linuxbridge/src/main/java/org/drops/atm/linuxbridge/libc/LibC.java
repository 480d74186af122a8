package org.drops.atm.linuxbridge.libc;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The C library calls the bridge makes, bound by JNA's direct mapping (a JNI stub per method, no reflection
 * per call). A call that fails returns -1 and leaves errno in {@link Native#getLastError()}, which JNA saves per
 * thread right after the call; {@link Errno} turns it into an exception that names the call.
 *
 * <p>Buffers cross as raw addresses ({@code long}) of direct buffers, so the data path hands the kernel a ring
 * slot's memory without a wrapper object per packet; small structures ({@code sockaddr}, {@code ifreq},
 * {@code socklen_t *}) cross as primitive arrays, which JNA copies in and out. Nothing here uses JNA's
 * {@code Memory}, whose lazily started "JNA Cleaner" thread would come and go with the calls. Values are
 * Linux x86-64's ({@code <asm-generic/*.h>}, {@code <linux/if_tun.h>}); structures are in its byte order
 * (little-endian) except where the kernel says network order.
 */
public final class LibC {

    static {
        Native.register(LibC.class, NativeLibrary.getInstance("c"));
    }

    // ---------------------------------------------------------------- constants

    /** {@code O_RDWR}. */
    public static final int O_RDWR = 0x2;
    /** {@code O_NONBLOCK}. */
    public static final int O_NONBLOCK = 0x800;
    /** {@code O_CLOEXEC}. */
    public static final int O_CLOEXEC = 0x80000;
    /** {@code SOCK_CLOEXEC}, or-ed into a socket type. */
    public static final int SOCK_CLOEXEC = 0x80000;
    /** {@code MSG_NOSIGNAL}: a send on a broken stream fails with EPIPE instead of raising SIGPIPE. */
    public static final int MSG_NOSIGNAL = 0x4000;
    /** {@code SHUT_RDWR}. */
    public static final int SHUT_RDWR = 2;
    /** {@code SOL_SOCKET}. */
    public static final int SOL_SOCKET = 1;
    /** {@code SO_ERROR}. */
    public static final int SO_ERROR = 4;
    /** {@code POLLIN}. */
    public static final short POLLIN = 0x1;
    /** {@code POLLOUT}. */
    public static final short POLLOUT = 0x4;
    /** {@code EFD_NONBLOCK | EFD_CLOEXEC}. */
    public static final int EFD_NONBLOCK_CLOEXEC = 0x800 | 0x80000;
    /** {@code PRIO_PROCESS}: with a thread id, {@code setpriority} acts on that one thread. */
    public static final int PRIO_PROCESS = 0;
    /** {@code SYS_gettid} on x86-64. */
    public static final long SYS_GETTID = 186;
    /** {@code SYS_getpriority} on x86-64: the raw call returns 20 − nice, never negative on success. */
    public static final long SYS_GETPRIORITY = 140;
    /** {@code SYS_capget} on x86-64. */
    public static final long SYS_CAPGET = 125;
    /** {@code SYS_capset} on x86-64 (acts on the calling thread only). */
    public static final long SYS_CAPSET = 126;
    /** {@code TUNSETIFF = _IOW('T', 202, int)}. */
    public static final long TUNSETIFF = 0x400454caL;
    /** {@code TUNSETCARRIER = _IOW('T', 226, int)} (Linux 5.0 and later). */
    public static final long TUNSETCARRIER = 0x400454e2L;
    /** {@code IFF_TUN}: an IP-level (layer 3) device. */
    public static final short IFF_TUN = 0x0001;
    /** {@code IFF_NO_PI}: packets carry no 4-byte packet-information prefix. */
    public static final short IFF_NO_PI = 0x1000;
    /** {@code IFNAMSIZ}: interface names have at most 15 characters and a terminating NUL. */
    public static final int IFNAMSIZ = 16;
    /** {@code sizeof(struct ifreq)}. */
    public static final int IFREQ_BYTES = 40;
    /** Offset of {@code ifr_flags} in {@code struct ifreq}. */
    public static final int IFREQ_FLAGS_OFFSET = 16;

    private LibC() {
    }

    // ---------------------------------------------------------------- files and descriptors

    public static native int open(String path, int flags);

    public static native int close(int fd);

    public static native long read(int fd, long buffer, long count);

    public static native long write(int fd, long buffer, long count);

    public static native int ioctl(int fd, long request, byte[] argument);

    public static native int ioctl(int fd, long request, int[] argument);

    /** {@code poll(struct pollfd *fds, nfds_t n, int timeoutMillis)}. */
    public static native int poll(long fds, long count, int timeoutMillis);

    /** {@code read} of one 8-byte counter (eventfd). */
    public static native long read(int fd, long[] counter, long count);

    /** {@code write} of one 8-byte counter (eventfd). */
    public static native long write(int fd, long[] counter, long count);

    public static native int eventfd(int initialValue, int flags);

    // ---------------------------------------------------------------- sockets

    public static native int socket(int domain, int type, int protocol);

    public static native int bind(int fd, byte[] address, int addressBytes);

    public static native int connect(int fd, byte[] address, int addressBytes);

    public static native int listen(int fd, int backlog);

    public static native int accept4(int fd, byte[] address, int[] addressBytes, int flags);

    public static native long send(int fd, long buffer, long count, int flags);

    public static native long sendto(int fd, long buffer, long count, int flags, byte[] address, int addressBytes);

    public static native long recv(int fd, long buffer, long count, int flags);

    public static native long recvfrom(int fd, long buffer, long count, int flags, byte[] address, int[] addressBytes);

    public static native int setsockopt(int fd, int level, int option, byte[] value, int valueBytes);

    public static native int getsockopt(int fd, int level, int option, byte[] value, int[] valueBytes);

    public static native int getsockname(int fd, byte[] address, int[] addressBytes);

    public static native int shutdown(int fd, int how);

    // ---------------------------------------------------------------- scheduling

    public static native long syscall(long number);

    public static native long syscall(long number, long a, long b);

    public static native long syscall(long number, int[] a, int[] b);

    /** {@code struct sched_param} is one int, the priority. */
    public static native int sched_setscheduler(int tid, int policy, int[] parameter);

    public static native int sched_getscheduler(int tid);

    public static native int sched_getparam(int tid, int[] parameter);

    public static native int setpriority(int which, int who, int nice);

    // ---------------------------------------------------------------- errors

    /** XSI {@code strerror_r}: fills the buffer, returns 0 or an error number. */
    public static native int __xpg_strerror_r(int errno, byte[] buffer, long bufferBytes);

    // ---------------------------------------------------------------- helpers

    /** The calling thread's kernel id ({@code gettid}). */
    public static int gettid() {
        return (int) syscall(SYS_GETTID);
    }

    /** errno of the calling thread's last native call. */
    public static int errno() {
        return Native.getLastError();
    }
}

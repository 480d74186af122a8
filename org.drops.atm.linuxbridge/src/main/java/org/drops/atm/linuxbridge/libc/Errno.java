package org.drops.atm.linuxbridge.libc;

import java.nio.charset.StandardCharsets;
import org.drops.atm.api.NativeCallException;

/** Linux errno numbers (x86-64, {@code <asm-generic/errno-base.h>}, {@code errno.h}) by name. */
public final class Errno {

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int EIO = 5;
    public static final int EBADF = 9;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EBUSY = 16;
    public static final int EINVAL = 22;
    public static final int EPIPE = 32;
    public static final int EINPROGRESS = 115;
    public static final int EALREADY = 114;
    public static final int ENOTCONN = 107;

    private static final String[] NAMES = new String[134];

    static {
        String table = "1 EPERM 2 ENOENT 3 ESRCH 4 EINTR 5 EIO 6 ENXIO 7 E2BIG 8 ENOEXEC 9 EBADF 10 ECHILD 11 EAGAIN "
                + "12 ENOMEM 13 EACCES 14 EFAULT 15 ENOTBLK 16 EBUSY 17 EEXIST 18 EXDEV 19 ENODEV 20 ENOTDIR 21 EISDIR "
                + "22 EINVAL 23 ENFILE 24 EMFILE 25 ENOTTY 26 ETXTBSY 27 EFBIG 28 ENOSPC 29 ESPIPE 30 EROFS 31 EMLINK "
                + "32 EPIPE 33 EDOM 34 ERANGE 35 EDEADLK 36 ENAMETOOLONG 37 ENOLCK 38 ENOSYS 39 ENOTEMPTY 40 ELOOP "
                + "42 ENOMSG 43 EIDRM 61 ENODATA 62 ETIME 71 EPROTO 74 EBADMSG 75 EOVERFLOW 77 EBADFD 84 EILSEQ "
                + "88 ENOTSOCK 89 EDESTADDRREQ 90 EMSGSIZE 91 EPROTOTYPE 92 ENOPROTOOPT 93 EPROTONOSUPPORT "
                + "94 ESOCKTNOSUPPORT 95 EOPNOTSUPP 96 EPFNOSUPPORT 97 EAFNOSUPPORT 98 EADDRINUSE 99 EADDRNOTAVAIL "
                + "100 ENETDOWN 101 ENETUNREACH 102 ENETRESET 103 ECONNABORTED 104 ECONNRESET 105 ENOBUFS 106 EISCONN "
                + "107 ENOTCONN 108 ESHUTDOWN 110 ETIMEDOUT 111 ECONNREFUSED 112 EHOSTDOWN 113 EHOSTUNREACH "
                + "114 EALREADY 115 EINPROGRESS 122 EDQUOT 125 ECANCELED";
        String[] parts = table.split(" ");
        for (int i = 0; i < parts.length; i += 2) {
            NAMES[Integer.parseInt(parts[i])] = parts[i + 1];
        }
    }

    private Errno() {
    }

    /** The symbolic name, such as {@code EPERM}, or {@code errno <n>} for a number without one here. */
    public static String name(int errno) {
        String name = errno > 0 && errno < NAMES.length ? NAMES[errno] : null;
        return name != null ? name : "errno " + errno;
    }

    /** The C library's text for the number ({@code strerror_r}). */
    public static String description(int errno) {
        byte[] buffer = new byte[256];
        if (LibC.__xpg_strerror_r(errno, buffer, buffer.length) != 0) {
            return null;
        }
        int end = 0;
        while (end < buffer.length && buffer[end] != 0) {
            end++;
        }
        return new String(buffer, 0, end, StandardCharsets.UTF_8);
    }

    /** An exception for a failed call with the given errno: {@code connect: ECONNREFUSED (111) Connection refused}. */
    public static NativeCallException exception(String call, int errno) {
        return new NativeCallException(call, errno, name(errno), description(errno));
    }

    /** An exception for the calling thread's last failed call. */
    public static NativeCallException last(String call) {
        return exception(call, LibC.errno());
    }
}

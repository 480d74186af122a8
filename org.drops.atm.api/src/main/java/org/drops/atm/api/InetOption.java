package org.drops.atm.api;

/**
 * Socket options of redirected sockets, with Linux's level and option numbers (x86-64
 * {@code <asm-generic/socket.h>}, {@code <netinet/in.h>}, {@code <netinet/tcp.h>}). Among them the ones plain
 * Java cannot set: {@link #SO_PRIORITY}, {@link #IP_TOS} on any socket, {@link #SO_MAX_PACING_RATE}.
 */
public enum InetOption {
    /** Allow binding an address in TIME_WAIT. */
    SO_REUSEADDR(Level.SOL_SOCKET, 2),
    /** Send buffer size in bytes (the kernel doubles what is set). */
    SO_SNDBUF(Level.SOL_SOCKET, 7),
    /** Receive buffer size in bytes (the kernel doubles what is set). */
    SO_RCVBUF(Level.SOL_SOCKET, 8),
    /** Queueing priority of the socket's packets (0–6 without CAP_NET_ADMIN). */
    SO_PRIORITY(Level.SOL_SOCKET, 12),
    /** Pacing rate cap in bytes per second, honoured by the fq qdisc and TCP's internal pacing. */
    SO_MAX_PACING_RATE(Level.SOL_SOCKET, 47),
    /** The IPv4 type-of-service byte (DSCP and ECN). */
    IP_TOS(Level.IPPROTO_IP, 1),
    /** The IPv6 traffic class. */
    IPV6_TCLASS(Level.IPPROTO_IPV6, 67),
    /** Disable Nagle's algorithm. */
    TCP_NODELAY(Level.IPPROTO_TCP, 1);

    /** Option levels with their numbers. */
    public enum Level {
        /** Socket-level options. */
        SOL_SOCKET(1),
        /** IPv4 options. */
        IPPROTO_IP(0),
        /** TCP options. */
        IPPROTO_TCP(6),
        /** IPv6 options. */
        IPPROTO_IPV6(41);

        private final int linuxCode;

        Level(int linuxCode) {
            this.linuxCode = linuxCode;
        }

        /** @return the level's number */
        public int linuxCode() {
            return linuxCode;
        }
    }

    private final Level level;
    private final int linuxCode;

    InetOption(Level level, int linuxCode) {
        this.level = level;
        this.linuxCode = linuxCode;
    }

    /** The option's level. */
    public Level level() {
        return level;
    }

    /** The option's number at its level. */
    public int linuxCode() {
        return linuxCode;
    }
}

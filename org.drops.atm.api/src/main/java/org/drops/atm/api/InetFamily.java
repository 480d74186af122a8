package org.drops.atm.api;

/** Address families of redirected sockets, with Linux's numbers. */
public enum InetFamily {
    /** {@code AF_INET}. */
    INET(2),
    /** {@code AF_INET6}. */
    INET6(10);

    private final int linuxCode;

    InetFamily(int linuxCode) {
        this.linuxCode = linuxCode;
    }

    /** The {@code AF_*} value. */
    public int linuxCode() {
        return linuxCode;
    }
}

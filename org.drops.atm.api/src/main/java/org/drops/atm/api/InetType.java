package org.drops.atm.api;

/** Socket types of redirected sockets, with Linux's numbers. */
public enum InetType {
    /** {@code SOCK_STREAM}: TCP. */
    STREAM(1),
    /** {@code SOCK_DGRAM}: UDP. */
    DATAGRAM(2);

    private final int linuxCode;

    InetType(int linuxCode) {
        this.linuxCode = linuxCode;
    }

    /** The {@code SOCK_*} value. */
    public int linuxCode() {
        return linuxCode;
    }
}

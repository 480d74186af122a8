package org.drops.atm.api.qos;

/** The direction of a connection's traffic, as seen from this host. */
public enum Direction {
    /** From this host to the network: the side a socket connects. */
    TRANSMIT,
    /** From the network to this host: the side a socket binds. */
    RECEIVE
}

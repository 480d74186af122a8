package org.drops.atm.api.qos;

/** The direction of a connection's traffic, as seen from this host. */
public enum Direction {
    TRANSMIT,
    RECEIVE
}

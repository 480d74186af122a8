package org.drops.atm.api;

/** The host resources admission control manages, each independently (paper §2.4). */
public enum Resource {
    /** Network bandwidth of an interface, in cells per second. */
    BANDWIDTH,
    /** Buffer space for transmit and receive rings, in bytes. */
    BUFFER,
    /** Processor time, as a utilisation between 0 and 1. */
    CPU
}

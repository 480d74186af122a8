package org.drops.atm.socket;

/** Whoever owns sockets: a using bundle's facade instance. */
interface SocketOwner {

    /** For limits and display, such as the bundle's symbolic name. */
    String name();

    /** A socket closed; it need not be closed when the owner goes. */
    void forget(Object socket);

    /** A socket the owner now holds too (one accepted on a listening socket): closed when the owner goes. */
    void adopt(Object socket);
}

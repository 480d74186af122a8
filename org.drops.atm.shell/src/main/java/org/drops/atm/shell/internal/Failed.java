package org.drops.atm.shell.internal;

/**
 * A command with good arguments could not do what was asked (admission refused, no such interface, the socket
 * service absent). Gogo prints it as {@code gogo: Failed: <message>}, never with a stack trace.
 */
public final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message the command and what failed, with the reason */
    public Failed(String message) {
        super(message, null, false, false);
    }
}

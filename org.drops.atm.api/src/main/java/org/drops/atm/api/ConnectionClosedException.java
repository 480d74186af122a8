package org.drops.atm.api;

/**
 * The connection was closed, locally or because what it depends on went away (its interface, its driver, the
 * core). Every caller blocked in {@code write}, {@code claim}, {@code read} or {@code receive} gets this
 * exception when that happens, and so does every later call.
 */
public class ConnectionClosedException extends AtmException {
    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param what   the connection or channel, such as {@code 0.0.100}
     * @param reason why it closed, such as {@code closed by the application} or {@code interface 0 went down}
     */
    public ConnectionClosedException(String what, String reason) {
        super(what + " is closed: " + reason);
        this.reason = reason;
    }

    /** Why the connection closed. */
    public String reason() {
        return reason;
    }
}

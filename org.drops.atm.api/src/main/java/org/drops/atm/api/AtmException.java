package org.drops.atm.api;

import java.io.IOException;

/** A failure of an ATM operation that a caller can handle: the connection, interface or platform refused or failed it. */
public class AtmException extends IOException {
    private static final long serialVersionUID = 1L;

    /** @param message what failed and why, naming the connection, field or resource */
    public AtmException(String message) {
        super(message);
    }

    /**
     * @param message what failed and why
     * @param cause   the underlying failure
     */
    public AtmException(String message, Throwable cause) {
        super(message, cause);
    }
}

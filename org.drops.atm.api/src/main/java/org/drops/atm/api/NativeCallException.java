package org.drops.atm.api;

import java.io.IOException;

/**
 * A call the SRT server performed on the host's Linux kernel failed. It carries the call and the errno, by
 * number and by name: {@code connect: ECONNREFUSED (111) Connection refused}.
 */
public class NativeCallException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;
    private final String errnoName;

    /**
     * @param call        the system call, such as {@code setsockopt(SO_MAX_PACING_RATE)}
     * @param errno       the error number
     * @param errnoName   its symbolic name, such as {@code EPERM}
     * @param description the kernel's text for it ({@code strerror}), or null
     */
    public NativeCallException(String call, int errno, String errnoName, String description) {
        super(call + ": " + errnoName + " (" + errno + ")" + (description == null ? "" : " " + description));
        this.call = call;
        this.errno = errno;
        this.errnoName = errnoName;
    }

    /** The failed call, such as {@code connect} or {@code setsockopt(SO_PRIORITY)}. */
    public String call() {
        return call;
    }

    /** The error number. */
    public int errno() {
        return errno;
    }

    /** The error's symbolic name, such as {@code EPERM}. */
    public String errnoName() {
        return errnoName;
    }
}

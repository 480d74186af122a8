package org.drops.atm.shell.internal;

/**
 * What {@code atm:web} tells about the rate page: registered by the page's component (which needs the servlet API)
 * under this interface, which does not, so the commands work without an Http Whiteboard.
 */
public interface WebStatus {

    /** Where the page is served, such as {@code http://127.0.0.1:8019/atm/}; several lines if several endpoints. */
    String url();

    /** Sampling and history settings, and how many connections are plotted. */
    String describe();
}

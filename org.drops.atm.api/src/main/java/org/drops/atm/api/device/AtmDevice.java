package org.drops.atm.api.device;

import org.drops.atm.api.AtmException;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.InterfaceInfo;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One ATM interface: the emulated FORE PCA-200E with its link (paper §2.6). Registered as an OSGi service
 * with the service property {@link #ITF} holding the interface number.
 *
 * <p><b>Threading</b>: {@link #open} and {@link VirtualChannel#close()} may be called from any thread (the
 * core's service thread); {@link VirtualChannel#send} by one thread per channel at a time (the connection's
 * worker), different channels concurrently; {@link #receive(long)} by one consumer thread (the core's
 * pseudo-interrupt thread); {@link ReceivedPdu#release()} from any thread. Statistics from any thread.
 *
 * <p>When the interface goes down (reconfigured, deleted, driver stopped) every blocked {@code send} and
 * {@code receive} returns with {@link ConnectionClosedException} promptly, and so does every later call.
 */
@ProviderType
public interface AtmDevice {

    /**
     * Service property: the interface number (an Integer, or its decimal String when it comes from a
     * configuration file; LDAP filters such as {@code (atm.itf=1)} match either). {@link #interfaceNumber()}
     * gives the value.
     */
    String ITF = "atm.itf";

    /** The interface number. Threading: any thread. Blocking: never. */
    int interfaceNumber();

    /** Name, link and line rate. Threading: any thread. Blocking: never. */
    InterfaceInfo info();

    /**
     * Opens a virtual channel for sending and receiving.
     *
     * <p>Threading: any thread (the core's service thread), concurrently with traffic on other channels.
     * Blocking: only for the driver's short internal bookkeeping, never on the link.
     *
     * @throws AtmException if the VPI/VCI is already open on this interface or outside what the card supports
     * @throws ConnectionClosedException if the interface is down
     */
    VirtualChannel open(VcParameters parameters) throws AtmException;

    /**
     * The next reassembled PDU of any open channel, in arrival order.
     *
     * <p>Threading: one consumer thread at a time (the core's pseudo-interrupt thread). Blocking: up to
     * {@code timeoutNanos} while no PDU is ready; returns at once when the interface goes down.
     * The PDU's buffer belongs to the driver's pool until {@link ReceivedPdu#release()}: a consumer that does
     * not release buffers starves the pool of that service.
     *
     * @return the PDU, or null on timeout
     * @throws ConnectionClosedException if the interface went down
     * @throws InterruptedException      if the thread was interrupted while waiting
     */
    ReceivedPdu receive(long timeoutNanos) throws ConnectionClosedException, InterruptedException;

    /**
     * Attaches a tap that sees every PDU the interface sends and receives, until the returned handle is closed.
     * Without taps the data path pays one volatile read per PDU. Threading: any thread. Blocking: never.
     */
    AutoCloseable attachTap(PduTap tap);

    /** Device-wide counters, a consistent-enough snapshot. Threading: any thread. Blocking: never. */
    DeviceStatistics statistics();
}

package org.drops.atm.api.server;

import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.osgi.annotation.versioning.ProviderType;

/**
 * One open direction of a PVC. A transmit connection has a {@link TxRing}, a receive connection an
 * {@link RxRing}; the other accessor throws {@link IllegalStateException}.
 */
@ProviderType
public interface Connection {

    /** The PVC. Threading: any thread. Blocking: never (as all accessors here). */
    PvcAddress pvc();

    /** Transmit (connected) or receive (bound). */
    Direction direction();

    /** The admitted contract. */
    Qos qos();

    /** The transmit ring of a transmit connection. */
    TxRing txRing();

    /** The receive ring of a receive connection. */
    RxRing rxRing();

    /** Counters and state. Threading: any thread. Blocking: never. */
    ConnectionStatistics statistics();

    /** True once closed, by {@link #close()} or because the interface, driver or server went away. */
    boolean isClosed();

    /**
     * Closes the connection: wakes every caller blocked on its rings with a
     * {@link org.drops.atm.api.ConnectionClosedException}, stops its worker, closes its VC direction, releases
     * its reservation and frees its rings. Idempotent. Threading: any thread. Blocking: until the worker has
     * stopped (bounded by one PDU's send).
     */
    void close();
}

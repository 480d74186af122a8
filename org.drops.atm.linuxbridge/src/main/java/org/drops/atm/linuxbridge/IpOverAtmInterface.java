package org.drops.atm.linuxbridge;

import java.util.List;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.Qos;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A Linux TUN interface whose IP packets travel as AAL5 SDUs on a PVC with RFC 2684 LLC/SNAP routed
 * encapsulation. Registered as a service while its configuration exists and the bundle runs, with the
 * configuration's keys as service properties ({@code name}, {@code netns}, {@code pvc}, ..., defaults included);
 * the Linux interface exists exactly as long.
 *
 * <p>Threading: every method may be called from any thread and returns at once.
 */
@ProviderType
public interface IpOverAtmInterface {

    /** Whether packets flow. */
    enum State {
        /** Both directions of the PVC are open: packets flow (the interface has carrier). */
        ATTACHED,
        /** The PVC could not be opened or was lost (no such ATM interface yet, admission refused, ...); waits. */
        WAITING,
        /** The TUN device failed (for example it was deleted outside the platform); nothing flows until reconfigured. */
        FAILED,
        /** Stopped: the interface was removed. */
        STOPPED
    }

    /** The Linux interface name, such as {@code atm0}. */
    String name();

    /** The network namespace the interface lives in, or empty for the platform's own. */
    String netns();

    /** The PVC. */
    PvcAddress pvc();

    /** The contract of both directions. */
    Qos qos();

    /** The IP MTU in bytes. */
    int mtuBytes();

    /** The addresses assigned, with prefix length. */
    List<String> addresses();

    /** The state now. */
    State state();

    /** Why the state is what it is: empty when attached, else the reason (the error of the last attempt). */
    String stateReason();

    /** The counters now. */
    IpOverAtmStatistics statistics();
}

package org.drops.atm.api.policing;

import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficParameters;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A policing policy: a factory of meters. Registered as an OSGi service with the service property
 * {@link #NAME} equal to {@link #name()}; several may be registered at once.
 *
 * <p><b>Threading</b>: {@link #newMeter} may be called from any thread (the core's service thread) and must
 * not block; the meters it returns are then used by one thread each.
 */
@ConsumerType
public interface PolicingPolicy {

    /** Service property: the policy's name, a String such as {@code interval-credit} or {@code gcra}. */
    String NAME = "atm.policy.name";

    /** The policy's name, equal to its {@link #NAME} service property. Threading: any thread. Blocking: never. */
    String name();

    /** One line on what the policy does, for the shell. Threading: any thread. Blocking: never. */
    String description();

    /**
     * A meter for one direction of a connection, its schedule starting at {@code startNanos}. Rates of the
     * contract are in cells per second, as the PDUs offered to the meter are in cells.
     *
     * <p>Threading: any thread, concurrently. Blocking: never.
     *
     * @param contract   the direction's traffic parameters; class CBR, rt-VBR, nrt-VBR or UBR (a UBR contract
     *                   with no peak rate gets a meter that always conforms)
     * @param aal        the connection's AAL
     * @param direction  transmit or receive
     * @param startNanos the connection's start: intervals follow an absolute schedule from it
     * @throws IllegalArgumentException naming the field if the policy cannot meter the contract
     */
    Meter newMeter(TrafficParameters contract, Aal aal, Direction direction, long startNanos);
}

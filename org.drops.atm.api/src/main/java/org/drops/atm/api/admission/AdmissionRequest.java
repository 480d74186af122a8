package org.drops.atm.api.admission;

import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;

/**
 * A request to carry one direction of a connection.
 *
 * @param pvc       the PVC; its interface decides whose bandwidth is drawn
 * @param qos       the contract
 * @param direction which of the contract's directions to reserve for (a socket sends or receives)
 */
public record AdmissionRequest(PvcAddress pvc, Qos qos, Direction direction) {

    public AdmissionRequest {
        if (pvc == null) {
            throw new IllegalArgumentException("pvc: required");
        }
        if (qos == null) {
            throw new IllegalArgumentException("qos: required");
        }
        if (direction == null) {
            throw new IllegalArgumentException("direction: required");
        }
        if (!qos.direction(direction).carriesTraffic()) {
            throw new IllegalArgumentException("qos: the " + (direction == Direction.TRANSMIT ? "tx" : "rx")
                    + " direction of " + qos + " is none; nothing to admit");
        }
    }
}

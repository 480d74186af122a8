package org.drops.atm.api.device;

import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Qos;

/**
 * What the driver needs to open a virtual channel.
 *
 * @param vpi     the VPI
 * @param vci     the VCI (reserved VCIs are allowed here: the platform itself may open them)
 * @param qos     the contract: tx parameters drive per-VC rate control, {@code max_sdu} bounds reassembly
 * @param aal     the adaptation layer, {@link Aal#AAL5} or {@link Aal#AAL0}
 * @param service which receive pool the channel draws from
 */
public record VcParameters(int vpi, int vci, Qos qos, Aal aal, VcService service) {

    public VcParameters {
        if (vpi < 0 || vpi > 4095) {
            throw new IllegalArgumentException("vpi: " + vpi + " is outside 0..4095");
        }
        if (vci < 0 || vci > 65535) {
            throw new IllegalArgumentException("vci: " + vci + " is outside 0..65535");
        }
        if (qos == null) {
            throw new IllegalArgumentException("qos: required");
        }
        if (aal == null || aal == Aal.NO_AAL) {
            throw new IllegalArgumentException("aal: AAL0 or AAL5 required, not " + aal);
        }
        if (service == null) {
            throw new IllegalArgumentException("service: GUARANTEED or BEST_EFFORT required");
        }
    }

    /** The largest SDU the channel carries in the receive direction: the contract's, or the AAL's maximum. */
    public int rxMaxSduBytes() {
        return qos.rx().effectiveMaxSduBytes(aal);
    }

    /** The largest SDU the channel carries in the transmit direction. */
    public int txMaxSduBytes() {
        return qos.tx().effectiveMaxSduBytes(aal);
    }
}

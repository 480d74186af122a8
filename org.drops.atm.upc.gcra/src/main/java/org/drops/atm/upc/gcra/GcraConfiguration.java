package org.drops.atm.upc.gcra;

import org.drops.atm.api.qos.CellRates;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the GCRA policy, PID {@value GcraPolicy#PID}. Changes apply to meters created afterwards. */
@ObjectClassDefinition(
        name = "DROPS ATM UPC: GCRA",
        description = "ITU-T I.371 GCRA: CBR and UBR by GCRA(1/PCR, CDVT), VBR by the dual GCRA; CDVT is the "
                + "contract's max_cdv (9999 us when unspecified).")
public @interface GcraConfiguration {

    /** OC-3, the rate {@code pcr=max} stands for. */
    int DEFAULT_LINK_PCR = CellRates.OC3_PCR;
    /** Below interval-credit's 10: the paper's scheme is the default choice. */
    int DEFAULT_SERVICE_RANKING = 0;

    @AttributeDefinition(name = "Link peak cell rate",
            description = "Cells/s that pcr=max stands for in CBR and VBR contracts (UBR with pcr=max is not metered).")
    int link_pcr() default DEFAULT_LINK_PCR;

    @AttributeDefinition(name = "Service ranking",
            description = "Without a configured policy name the core uses the highest-ranked policy.")
    int service_ranking() default DEFAULT_SERVICE_RANKING;
}

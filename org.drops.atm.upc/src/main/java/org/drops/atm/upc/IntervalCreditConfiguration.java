package org.drops.atm.upc;

import org.drops.atm.api.qos.CellRates;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the interval-credit policy, PID {@value IntervalCreditPolicy#PID}. Changes apply to meters
 * created afterwards; running connections keep the interval they were opened with.
 */
@ObjectClassDefinition(
        name = "DROPS ATM UPC: interval credits",
        description = "Paper section 3.2: the control interval holds about 2 PDUs for jitter-sensitive contracts, "
                + "10 by default and 50 for jitter-insensitive ones, chosen by the delay-variation tolerance (max_cdv).")
public @interface IntervalCreditConfiguration {

    /** Default: a tolerance of at most 1 ms is jitter-sensitive. */
    long DEFAULT_JITTER_SENSITIVE_MAX_CDV_US = 1_000;
    /** Default: a tolerance of at least 100 ms is jitter-insensitive. */
    long DEFAULT_JITTER_INSENSITIVE_MIN_CDV_US = 100_000;
    /** Paper §3.2: "small intervals (equaling 2 PDUs)". */
    int DEFAULT_JITTER_SENSITIVE_PDUS = 2;
    /** Paper §3.2: "the equivalent of 10 PDUs". */
    int DEFAULT_PDUS = 10;
    /** Paper §3.2: "larger intervals (equaling 50 PDUs)". */
    int DEFAULT_JITTER_INSENSITIVE_PDUS = 50;
    /** OC-3, the rate {@code pcr=max} stands for. */
    int DEFAULT_LINK_PCR = CellRates.OC3_PCR;
    /** Above gcra's 0: without a configured policy name the core selects the paper's scheme. */
    int DEFAULT_SERVICE_RANKING = 10;

    @AttributeDefinition(name = "Jitter-sensitive tolerance (us)",
            description = "A contract whose max_cdv is at most this is jitter-sensitive. The default tolerance "
                    + "(max_cdv unspecified) is 9999 us, which falls between the two thresholds by default.")
    long jitter_sensitive_max_cdv_us() default DEFAULT_JITTER_SENSITIVE_MAX_CDV_US;

    @AttributeDefinition(name = "Jitter-insensitive tolerance (us)",
            description = "A contract whose max_cdv is at least this is jitter-insensitive.")
    long jitter_insensitive_min_cdv_us() default DEFAULT_JITTER_INSENSITIVE_MIN_CDV_US;

    @AttributeDefinition(name = "PDUs per interval, jitter-sensitive", description = "1..10000.")
    int jitter_sensitive_pdus() default DEFAULT_JITTER_SENSITIVE_PDUS;

    @AttributeDefinition(name = "PDUs per interval, default", description = "1..10000.")
    int default_pdus() default DEFAULT_PDUS;

    @AttributeDefinition(name = "PDUs per interval, jitter-insensitive", description = "1..10000.")
    int jitter_insensitive_pdus() default DEFAULT_JITTER_INSENSITIVE_PDUS;

    @AttributeDefinition(name = "Link peak cell rate",
            description = "Cells/s that pcr=max stands for in CBR and VBR contracts (UBR with pcr=max is not metered).")
    int link_pcr() default DEFAULT_LINK_PCR;

    @AttributeDefinition(name = "Service ranking",
            description = "Without a configured policy name the core uses the highest-ranked policy.")
    int service_ranking() default DEFAULT_SERVICE_RANKING;
}

package org.drops.atm.cac;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Admission control's configuration (PID {@value ConnectionAdmissionControl#PID}). Every attribute has a
 * default, so the component runs without a configuration. A change applies to later admissions only: what is
 * reserved stays reserved, even if the new limits are lower (then the accounts show negative free amounts
 * until enough is released).
 */
@ObjectClassDefinition(
        name = "DROPS ATM admission control",
        description = "Connection admission control: bandwidth per interface, buffer space and CPU time.")
public @interface AdmissionConfiguration {

    @AttributeDefinition(name = "Best-effort reserve (cells/s)", description = "Bandwidth of every interface that "
            + "guaranteed connections may not reserve, kept for best-effort (UBR) traffic. 0: guaranteed connections "
            + "may take the whole line, as Linux's fore200e driver allowed.")
    long best_effort_reserve_cells_per_second() default AdmissionSettings.DEFAULT_BEST_EFFORT_RESERVE_CELLS_PER_SECOND;

    @AttributeDefinition(name = "Buffer budget (bytes)", description = "Ring buffer memory all connections together "
            + "may reserve (transmit and receive slots). Size the driver's guaranteed receive pool to match "
            + "(see docs/ADMISSION.md).")
    long buffer_budget_bytes() default AdmissionSettings.DEFAULT_BUFFER_BUDGET_BYTES;

    @AttributeDefinition(name = "Largest SDU (bytes)", description = "Requests whose max_sdu is larger are refused "
            + "as never fitting; keep it equal to the driver's max.sdu (1..65535).")
    int max_sdu_bytes() default AdmissionSettings.DEFAULT_MAX_SDU_BYTES;

    @AttributeDefinition(name = "Transmit slots", description = "Slots of max_sdu bytes per transmitting connection: "
            + "one being sent while the next is filled.")
    int transmit_slots() default AdmissionSettings.DEFAULT_TRANSMIT_SLOTS;

    @AttributeDefinition(name = "UBR receive slots", description = "Slots of max_sdu bytes per best-effort receiving "
            + "connection (guaranteed ones are sized by the jitter-constrained stream model).")
    int ubr_receive_slots() default AdmissionSettings.DEFAULT_UBR_RECEIVE_SLOTS;

    @AttributeDefinition(name = "Receive slack (µs)", description = "How late the reader of a guaranteed receiving "
            + "connection may be: its ring holds the SDUs that arrive in that time on top of the jitter-constrained "
            + "stream model's ceil(max_cdv/T) (0..10000000; default 20000).")
    long receive_slack_us() default AdmissionSettings.DEFAULT_RECEIVE_SLACK_MICROS;

    @AttributeDefinition(name = "CPU utilisation limit", description = "Share of one processor that guaranteed "
            + "connections may take together (paper equations 3 and 4), leaving the rest to time-sharing work; "
            + "greater than 0, at most 1.")
    double cpu_utilisation_limit() default AdmissionSettings.DEFAULT_CPU_UTILISATION_LIMIT;

    @AttributeDefinition(name = "Calibrate on start", description = "Measure the CPU model with the driver's "
            + "PduCostProbe when the component starts (or when the probe appears); otherwise use the fallback "
            + "constants until recalibrate() is called.")
    boolean calibrate_on_start() default true;

    @AttributeDefinition(name = "Fallback transmit cost per PDU (ns)", description = "Used while no calibration has run.")
    double fallback_transmit_nanos_per_pdu() default AdmissionSettings.DEFAULT_FALLBACK_NANOS_PER_PDU;

    @AttributeDefinition(name = "Fallback transmit cost per byte (ns)", description = "Used while no calibration has run.")
    double fallback_transmit_nanos_per_byte() default AdmissionSettings.DEFAULT_FALLBACK_NANOS_PER_BYTE;

    @AttributeDefinition(name = "Fallback receive cost per PDU (ns)", description = "Used while no calibration has run.")
    double fallback_receive_nanos_per_pdu() default AdmissionSettings.DEFAULT_FALLBACK_NANOS_PER_PDU;

    @AttributeDefinition(name = "Fallback receive cost per byte (ns)", description = "Used while no calibration has run.")
    double fallback_receive_nanos_per_byte() default AdmissionSettings.DEFAULT_FALLBACK_NANOS_PER_BYTE;
}

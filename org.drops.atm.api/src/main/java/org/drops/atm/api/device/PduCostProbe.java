package org.drops.atm.api.device;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Runs the driver's real per-PDU processing on scratch memory and times it, so that admission control can
 * calibrate its CPU model on the running machine (paper §2.4, §3.1: CPU cost is measured, not assumed).
 * Registered by the driver bundle as an OSGi service.
 *
 * <p><b>Threading and blocking</b>: any thread, concurrently (each call uses its own scratch buffers). Each
 * call runs the work in the caller's thread and returns when it is done; the caller bounds its length through
 * {@code repetitions}. No network traffic is involved.
 */
@ProviderType
public interface PduCostProbe {

    /**
     * Mean nanoseconds per PDU of the transmit path for SDUs of {@code sduBytes}: one copy of the SDU into a
     * ring slot, then AAL5 segmentation with CRC-32 and HEC into a transmit FIFO, {@code repetitions} times
     * after a warm-up.
     *
     * @throws IllegalArgumentException if {@code sduBytes} is outside 0..65535 or {@code repetitions} &lt; 1
     */
    double transmitNanosPerPdu(int sduBytes, int repetitions);

    /**
     * Mean nanoseconds per PDU of the receive path for SDUs of {@code sduBytes}: HEC checking and AAL5
     * reassembly with CRC-32 of the PDU's cells into a buffer, then one copy of the SDU into a ring slot,
     * {@code repetitions} times after a warm-up.
     *
     * @throws IllegalArgumentException if {@code sduBytes} is outside 0..65535 or {@code repetitions} &lt; 1
     */
    double receiveNanosPerPdu(int sduBytes, int repetitions);
}

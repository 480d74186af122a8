package org.drops.atm.api.device;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Times the driver's real per-PDU processing, so that admission control can calibrate its CPU model on the
 * running machine (paper §2.4, §3.1: CPU cost is measured, not assumed). Registered by the driver bundle as an
 * OSGi service.
 *
 * <p>Two measures: {@link #transmitNanosPerPdu} and {@link #receiveNanosPerPdu} time only the per-PDU work
 * (copy, segmentation, HEC, reassembly) on scratch memory in the caller's thread;
 * {@link #dataPathNanosPerPdu} (since 1.2) measures the CPU time every thread of the whole data path spends per
 * PDU, hand-offs, wake-ups and line pacing included, which is what a connection really costs the host.
 *
 * <p><b>Threading and blocking</b>: any thread, concurrently (each call uses its own scratch buffers and, for
 * the data path, its own emulated card). The first two run the work in the caller's thread and return when it is
 * done; the caller bounds their length through {@code repetitions}. No network traffic is involved.
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

    /**
     * CPU time per PDU of the whole data path for SDUs of {@code sduBytes}, both directions, measured by thread
     * CPU time of every thread involved while {@code pdus} PDUs pass at a pace slow enough that each PDU pays its
     * own wake-ups (as a guaranteed connection's PDUs do). Transmit: the application's copy into a ring slot, the
     * hand-off to and wake-up of a sending thread, per-VC rate control, segmentation into the transmit FIFO and
     * the line's paced batches. Receive: cell checking and reassembly, the wake-up of and copy into a ring slot by
     * the thread taking PDUs from the card, and the hand-off to and copy out by a reading thread. The caller's
     * thread only waits; the call takes about {@code pdus} times the gap the driver leaves between PDUs (the
     * PCA-200E driver: 2 ms, or twice the PDU's line time if that is longer).
     *
     * <p>The default says the driver cannot measure it (null); callers then have only the two methods above.
     *
     * @return the two costs in nanoseconds of CPU per PDU, or null if this driver cannot measure them
     * @throws IllegalArgumentException if {@code sduBytes} is outside 0..65535 or {@code pdus} &lt; 1
     * @throws IllegalStateException    if the emulated path did not carry the PDUs in time
     * @throws InterruptedException     if the caller was interrupted while waiting
     * @since 1.2
     */
    default DataPathCost dataPathNanosPerPdu(int sduBytes, int pdus) throws InterruptedException {
        return null;
    }

    /**
     * As {@link #dataPathNanosPerPdu(int, int)}, with the PDUs at least {@code gapNanos} apart: a longer gap lets
     * the path's threads sleep longer and wake with colder caches, which admission control's model follows
     * ({@code CpuModel.longGapExtra}). The call takes about {@code pdus} times the gap.
     *
     * <p>The default says the driver cannot measure it (null).
     *
     * @return the two costs in nanoseconds of CPU per PDU, or null if this driver cannot measure them
     * @throws IllegalArgumentException if {@code sduBytes} is outside 0..65535, {@code pdus} &lt; 1 or
     *                                  {@code gapNanos} is not positive
     * @throws IllegalStateException    if the emulated path did not carry the PDUs in time
     * @throws InterruptedException     if the caller was interrupted while waiting
     * @since 1.3
     */
    default DataPathCost dataPathNanosPerPdu(int sduBytes, int pdus, long gapNanos) throws InterruptedException {
        return null;
    }

    /**
     * CPU nanoseconds per PDU of the two directions of the data path.
     *
     * @param transmitNanosPerPdu CPU per PDU of the sending side (writer, sending thread, FIFO, line)
     * @param receiveNanosPerPdu  CPU per PDU of the receiving side (reassembly, interrupt thread, reader)
     * @since 1.2
     */
    record DataPathCost(double transmitNanosPerPdu, double receiveNanosPerPdu) {
    }
}

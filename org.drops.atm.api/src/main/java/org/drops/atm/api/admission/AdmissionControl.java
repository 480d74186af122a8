package org.drops.atm.api.admission;

import java.util.List;
import java.util.Optional;
import org.drops.atm.api.AdmissionException;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Connection admission control (paper §2.4): decides whether a new connection can be carried without
 * breaking an existing guarantee, reserves what it needs, and recommends what would fit when it cannot.
 *
 * <p><b>Threading</b>: every method is safe for concurrent callers; {@link #admit} and {@link #release} are
 * atomic across all three resources. None blocks on anything but a short internal lock, except
 * {@link #recalibrate()}, which runs the calibration (well under a second) in the caller's thread.
 */
@ProviderType
public interface AdmissionControl {

    /**
     * Reserves bandwidth, buffers and CPU for the request, all or nothing. Best-effort (UBR) requests are
     * never refused for bandwidth; they get the share and buffers.
     *
     * <p>Threading: any thread, concurrently. Blocking: a short internal lock only.
     *
     * @throws AdmissionException naming the binding resource, with the largest contract of the same class and
     *                            SDU size that would be admitted now; or naming the field of a request that can
     *                            never fit (a rate above the line rate, an SDU above the maximum)
     */
    Reservation admit(AdmissionRequest request) throws AdmissionException;

    /**
     * Gives back exactly what the reservation holds.
     *
     * <p>Threading: any thread, concurrently. Blocking: a short internal lock only.
     *
     * @return true if it was held; false (and nothing changes) if it was released before or is unknown
     */
    boolean release(Reservation reservation);

    /** The accounts of every interface admission control knows. Threading: any thread. Blocking: short lock. */
    List<AdmissionState> states();

    /** The accounts of one interface. Threading: any thread. Blocking: short lock. */
    Optional<AdmissionState> state(int itf);

    /**
     * The best-effort share of an interface in cells per second: line rate minus guaranteed reservations.
     * Threading: any thread. Blocking: short lock.
     */
    double bestEffortCellsPerSecond(int itf);

    /** The CPU model in use. Threading: any thread. Blocking: never. */
    CpuModel cpuModel();

    /**
     * Measures the CPU model again on this machine and uses it for later requests; existing reservations stay.
     * Threading: any thread; concurrent calls run one calibration. Blocking: for the calibration, well under a
     * second, in the caller's thread.
     */
    CpuModel recalibrate();
}

package org.drops.atm.api.admission;

import java.util.List;

/**
 * Admission control's accounts for one interface, for the shell and for tests.
 *
 * @param itf                       the interface
 * @param resources                 bandwidth, buffer and CPU accounts (buffer and CPU are host-wide; they are
 *                                  repeated per interface)
 * @param reservations              the reservations on this interface
 * @param bestEffortCellsPerSecond  the bandwidth no guaranteed connection holds: the best-effort share
 */
public record AdmissionState(int itf, List<ResourceState> resources, List<Reservation> reservations,
        double bestEffortCellsPerSecond) {

    public AdmissionState {
        resources = List.copyOf(resources);
        reservations = List.copyOf(reservations);
    }
}

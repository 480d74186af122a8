package org.drops.atm.cac;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.drops.atm.api.admission.Reservation;

/**
 * The bandwidth account of one interface. The interface is up while at least one {@code AtmDevice} service
 * with its number is bound (a reconfigured interface is briefly two services: the newest one's line rate
 * counts). An interface that goes away keeps its reservations until they are released; its account then
 * disappears. Not thread-safe: the {@link Ledger}'s lock guards it.
 */
final class InterfaceAccount {

    private final int itf;
    /** The bound devices of this number and their line rates; the last one bound gives the line rate. */
    private final Map<Object, Long> devices = new IdentityHashMap<>();
    private final List<Object> bindOrder = new ArrayList<>();
    private long lineCellsPerSecond;
    private long reservedCellsPerSecond;
    private final Map<Long, Reservation> reservations = new TreeMap<>();

    InterfaceAccount(int itf) {
        this.itf = itf;
    }

    int itf() {
        return itf;
    }

    /**
     * The line rate in whole cells per second, rounded down (OC-3's 353207.547… is 353207, Linux's
     * ATM_OC3_PCR); an unpaced line ({@code +∞}) counts as {@link Integer#MAX_VALUE}, the largest rate a
     * contract can name.
     */
    static long wholeCellsPerSecond(double lineCellsPerSecond) {
        if (!(lineCellsPerSecond < Integer.MAX_VALUE)) {
            return Integer.MAX_VALUE;
        }
        return (long) Math.floor(Math.max(0, lineCellsPerSecond));
    }

    void bind(Object device, double lineCellsPerSecond) {
        long line = wholeCellsPerSecond(lineCellsPerSecond);
        devices.put(device, line);
        bindOrder.remove(device);
        bindOrder.add(device);
        this.lineCellsPerSecond = line;
    }

    /** @return true if the device was bound here */
    boolean unbind(Object device) {
        if (devices.remove(device) == null) {
            return false;
        }
        bindOrder.remove(device);
        if (!bindOrder.isEmpty()) {
            lineCellsPerSecond = devices.get(bindOrder.get(bindOrder.size() - 1));
        }
        // else: down; the last line rate stays for the accounts of the reservations still held
        return true;
    }

    boolean up() {
        return !devices.isEmpty();
    }

    /** The current line rate, or the last one known while the interface is down. */
    long lineCellsPerSecond() {
        return lineCellsPerSecond;
    }

    /** What guaranteed connections may reserve: the line less the best-effort reserve, never negative. */
    long capacityCellsPerSecond(AdmissionSettings settings) {
        return Math.max(0, lineCellsPerSecond - settings.bestEffortReserveCellsPerSecond());
    }

    long reservedCellsPerSecond() {
        return reservedCellsPerSecond;
    }

    /** Line rate less guaranteed reservations; 0 while the interface is down. */
    long bestEffortCellsPerSecond() {
        return up() ? Math.max(0, lineCellsPerSecond - reservedCellsPerSecond) : 0;
    }

    void add(Reservation reservation, ResourceDemand demand) {
        reservations.put(reservation.id(), reservation);
        reservedCellsPerSecond += demand.bandwidthCellsPerSecond();
    }

    void remove(Reservation reservation, ResourceDemand demand) {
        reservations.remove(reservation.id());
        reservedCellsPerSecond -= demand.bandwidthCellsPerSecond();
    }

    boolean holdsNothing() {
        return reservations.isEmpty();
    }

    List<Reservation> reservations() {
        return List.copyOf(reservations.values());
    }
}

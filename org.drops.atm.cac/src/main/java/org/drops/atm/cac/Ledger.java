package org.drops.atm.cac;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.Resource;
import org.drops.atm.api.admission.AdmissionRequest;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.admission.ResourceState;
import org.drops.atm.api.qos.Qos;

/**
 * The books of admission control (paper §2.4, §3.1): bandwidth per interface, buffer space and CPU time for the
 * host, each managed independently and linearly, all in exact integer units (cells/s, bytes, CPU nanoseconds
 * per second) so that releasing everything returns every account to exactly zero.
 *
 * <p>Thread-safe. One lock guards all accounts: {@link #admit} checks and books all three resources, or none,
 * while no other admission or release can interleave, and a state snapshot is consistent across resources.
 * Admissions are rare (the core's service thread opens connections), so one lock costs nothing worth saving.
 */
final class Ledger {

    private static final Logger LOG = Logger.getLogger(Ledger.class.getName());

    /** A booked reservation with the exact amounts to give back. */
    private record Held(Reservation reservation, ResourceDemand demand, InterfaceAccount account) {
    }

    private final Object lock = new Object(); // guards everything below except cpuModel's reads

    private final Map<Integer, InterfaceAccount> interfaces = new TreeMap<>();
    private final Map<Long, Held> held = new HashMap<>();
    private long bufferReservedBytes;
    private long cpuReservedNanosPerSecond;
    private long nextId = 1;
    private AdmissionSettings settings;
    // volatile: cpuModel() never blocks (SPI contract); written only under the lock
    private volatile CpuModel cpuModel;

    private long admitted;
    private long refusedBandwidth;
    private long refusedBuffer;
    private long refusedCpu;
    private long refusedNeverFits;
    private long refusedNoInterface;
    private long released;
    private long unknownReleases;

    Ledger(AdmissionSettings settings, CpuModel cpuModel) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.cpuModel = withLimit(Objects.requireNonNull(cpuModel, "cpuModel"), settings.cpuUtilisationLimit());
    }

    /** New limits for later admissions; what is reserved stays reserved. */
    void configure(AdmissionSettings newSettings) {
        synchronized (lock) {
            settings = Objects.requireNonNull(newSettings, "settings");
            cpuModel = withLimit(cpuModel, newSettings.cpuUtilisationLimit());
        }
    }

    AdmissionSettings settings() {
        synchronized (lock) {
            return settings;
        }
    }

    /** A new CPU model for later admissions (its limit is replaced by the configured one); reservations stay. */
    CpuModel useCpuModel(CpuModel model) {
        synchronized (lock) {
            cpuModel = withLimit(Objects.requireNonNull(model, "model"), settings.cpuUtilisationLimit());
            return cpuModel;
        }
    }

    CpuModel cpuModel() {
        return cpuModel;
    }

    /** An AtmDevice service of interface {@code itf} appeared. */
    void interfaceUp(Object device, int itf, double lineCellsPerSecond) {
        synchronized (lock) {
            interfaces.computeIfAbsent(itf, InterfaceAccount::new).bind(device, lineCellsPerSecond);
        }
    }

    /** An AtmDevice service went away; its interface's reservations stay booked until released. */
    void interfaceDown(Object device) {
        synchronized (lock) {
            for (Iterator<InterfaceAccount> accounts = interfaces.values().iterator(); accounts.hasNext();) {
                InterfaceAccount account = accounts.next();
                if (account.unbind(device)) {
                    if (!account.up() && account.holdsNothing()) {
                        accounts.remove();
                    }
                    return;
                }
            }
        }
    }

    /**
     * Reserves bandwidth, buffers and CPU for {@code request}, all or nothing.
     *
     * @throws AdmissionException naming the interface if it has no device; naming the field if the request can
     *                            never fit; else naming the first resource that does not suffice (bandwidth,
     *                            buffer, CPU) with the largest contract of the same class and SDU size that
     *                            would be admitted now, or none if no rate would do
     */
    Reservation admit(AdmissionRequest request) throws AdmissionException {
        Objects.requireNonNull(request, "request");
        int itf = request.pvc().itf();
        synchronized (lock) {
            InterfaceAccount account = interfaces.get(itf);
            if (account == null || !account.up()) {
                refusedNoInterface++;
                throw new AdmissionException(Resource.BANDWIDTH, request.qos(), null, "itf " + itf
                        + ": no such ATM interface (no AtmDevice service with atm.itf=" + itf + " is registered)");
            }
            StreamContract contract;
            try {
                contract = StreamContract.of(request, account.lineCellsPerSecond(), settings.maxSduBytes());
            } catch (AdmissionException neverFits) {
                refusedNeverFits++;
                throw neverFits;
            }
            ResourceDemand demand = ResourceDemand.of(contract, settings, cpuModel);
            Resource shortfall = shortfall(account, demand);
            if (shortfall == null) {
                return book(request, account, demand);
            }
            switch (shortfall) {
                case BANDWIDTH -> refusedBandwidth++;
                case BUFFER -> refusedBuffer++;
                case CPU -> refusedCpu++;
            }
            Qos recommended = recommend(account, contract);
            throw new AdmissionException(shortfall, request.qos(), recommended,
                    "itf " + itf + ", " + contract.describe() + ": " + accounts(account, demand));
        }
    }

    /**
     * Gives back exactly what {@code reservation} holds.
     *
     * @return false, changing nothing, if it is not held here (released before, or never made by this ledger)
     */
    boolean release(Reservation reservation) {
        Objects.requireNonNull(reservation, "reservation");
        long unknown;
        synchronized (lock) {
            Held h = held.get(reservation.id());
            if (h != null && h.reservation().equals(reservation)) {
                held.remove(reservation.id());
                InterfaceAccount account = h.account();
                account.remove(reservation, h.demand());
                bufferReservedBytes -= h.demand().bufferBytes();
                cpuReservedNanosPerSecond -= h.demand().cpuNanosPerSecond();
                if (!account.up() && account.holdsNothing()) {
                    interfaces.remove(account.itf(), account);
                }
                released++;
                return true;
            }
            unknown = ++unknownReleases;
        }
        // the first such release is a warning (the core may double-release); the rest are counted, logged finely
        LOG.log(unknown == 1 ? Level.WARNING : Level.FINE, "release of reservation {0} ignored: it is not held "
                + "(released before, or not made here); {1} such release(s) so far, counted in unknownReleases",
                new Object[] {reservation.id(), unknown});
        return false;
    }

    List<AdmissionState> states() {
        synchronized (lock) {
            List<AdmissionState> states = new ArrayList<>(interfaces.size());
            for (InterfaceAccount account : interfaces.values()) {
                states.add(stateOf(account));
            }
            return states;
        }
    }

    Optional<AdmissionState> state(int itf) {
        synchronized (lock) {
            InterfaceAccount account = interfaces.get(itf);
            return account == null ? Optional.empty() : Optional.of(stateOf(account));
        }
    }

    /** Line rate less guaranteed reservations; 0 for an interface that is down or unknown. */
    double bestEffortCellsPerSecond(int itf) {
        synchronized (lock) {
            InterfaceAccount account = interfaces.get(itf);
            return account == null ? 0 : account.bestEffortCellsPerSecond();
        }
    }

    AdmissionCounters counters() {
        synchronized (lock) {
            return new AdmissionCounters(admitted, refusedBandwidth, refusedBuffer, refusedCpu, refusedNeverFits,
                    refusedNoInterface, released, unknownReleases);
        }
    }

    // ---- under the lock ----

    private Resource shortfall(InterfaceAccount account, ResourceDemand demand) {
        // UBR reserves no bandwidth and is never refused for it, even on an over-committed interface
        if (demand.bandwidthCellsPerSecond() > 0 && demand.bandwidthCellsPerSecond()
                > account.capacityCellsPerSecond(settings) - account.reservedCellsPerSecond()) {
            return Resource.BANDWIDTH;
        }
        if (demand.slotCount() > Integer.MAX_VALUE
                || demand.bufferBytes() > settings.bufferBudgetBytes() - bufferReservedBytes) {
            return Resource.BUFFER;
        }
        if (demand.cpuNanosPerSecond() > settings.cpuCapacityNanosPerSecond() - cpuReservedNanosPerSecond) {
            return Resource.CPU;
        }
        return null;
    }

    private Reservation book(AdmissionRequest request, InterfaceAccount account, ResourceDemand demand) {
        Reservation reservation = new Reservation(nextId++, request, demand.bandwidthCellsPerSecond(),
                (int) demand.slotCount(), demand.slotBytes(), demand.cpuNanosPerSecond() / 1e9);
        account.add(reservation, demand);
        bufferReservedBytes += demand.bufferBytes();
        cpuReservedNanosPerSecond += demand.cpuNanosPerSecond();
        held.put(reservation.id(), new Held(reservation, demand, account));
        admitted++;
        return reservation;
    }

    /**
     * The largest reserved rate below the requested one at which the same contract fits now, found by bisection
     * over whole cells per second (every demand grows with the rate, so the rates that fit are 1..r); null for
     * best effort (no rate to vary) or if not even 1 cell/s fits.
     */
    private Qos recommend(InterfaceAccount account, StreamContract contract) {
        if (!contract.guaranteed()) {
            return null;
        }
        long low = 1;
        long high = contract.reservedCellsPerSecond() - 1;
        if (high < low || !fits(account, contract, low)) {
            return null;
        }
        while (low < high) { // invariant: low fits, everything above high does not
            long mid = low + (high - low + 1) / 2;
            if (fits(account, contract, mid)) {
                low = mid;
            } else {
                high = mid - 1;
            }
        }
        return contract.recommendation(low);
    }

    private boolean fits(InterfaceAccount account, StreamContract contract, long cellsPerSecond) {
        StreamContract candidate = contract.withReservedCellsPerSecond(cellsPerSecond);
        return shortfall(account, ResourceDemand.of(candidate, settings, cpuModel)) == null;
    }

    private String accounts(InterfaceAccount account, ResourceDemand demand) {
        long capacity = account.capacityCellsPerSecond(settings);
        double cpuFree = (settings.cpuCapacityNanosPerSecond() - cpuReservedNanosPerSecond) / 1e9;
        return "needs " + demand.bandwidthCellsPerSecond() + " cells/s (free " + (capacity - account.reservedCellsPerSecond())
                + " of " + capacity + "), " + demand.bufferBytes() + " bytes = " + demand.slotCount() + " slots of "
                + demand.slotBytes() + " (free " + (settings.bufferBudgetBytes() - bufferReservedBytes) + " of "
                + settings.bufferBudgetBytes() + "), CPU " + String.format("%.6f", demand.cpuNanosPerSecond() / 1e9)
                + " (free " + String.format("%.6f", cpuFree) + " of " + settings.cpuUtilisationLimit() + ")";
    }

    private AdmissionState stateOf(InterfaceAccount account) {
        List<ResourceState> resources = List.of(
                new ResourceState(Resource.BANDWIDTH, account.capacityCellsPerSecond(settings),
                        account.reservedCellsPerSecond(), "cells/s"),
                new ResourceState(Resource.BUFFER, settings.bufferBudgetBytes(), bufferReservedBytes, "bytes"),
                new ResourceState(Resource.CPU, settings.cpuCapacityNanosPerSecond() / 1e9,
                        cpuReservedNanosPerSecond / 1e9, "utilisation"));
        return new AdmissionState(account.itf(), resources, account.reservations(), account.bestEffortCellsPerSecond());
    }

    private static CpuModel withLimit(CpuModel m, double limit) {
        return m.utilisationLimit() == limit ? m : new CpuModel(m.calibratedAt(), m.transmitNanosPerPdu(),
                m.transmitNanosPerByte(), m.receiveNanosPerPdu(), m.receiveNanosPerByte(), limit, m.description());
    }
}

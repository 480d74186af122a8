package org.drops.atm.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.AtmEvents;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.InterfaceInfo;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.admission.AdmissionRequest;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.device.VcParameters;
import org.drops.atm.api.device.VcService;
import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.policing.PolicingPolicy;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.api.server.Connection;
import org.drops.atm.api.server.ProtocolServer;

/**
 * The protocol server (paper §2.1): a service thread does every set-up and teardown (admission, VC, ring,
 * worker, the best-effort share), one worker thread per transmit connection runs its data path, one
 * pseudo-interrupt thread per interface runs the receive path. Plain Java: the OSGi component feeds it the
 * services it tracks; tests build it directly.
 */
public final class Server implements ProtocolServer {

    private static final Logger LOG = Logger.getLogger(Server.class.getName());

    private final CoreSettings settings;
    private final Services services;
    private final ExecutorService serviceThread;
    private volatile Thread serviceThreadRef;
    // The following are touched only on the service thread.
    private final Map<Integer, ServedInterface> interfaces = new HashMap<>();
    private final Map<String, Integer> connectionsPerOwner = new HashMap<>();
    private final Map<String, Long> bufferBytesPerOwner = new HashMap<>();
    // per-owner limits: replaced as a whole when the configuration changes, read by the service thread
    private volatile OwnerLimits ownerLimits;
    // Read by the data-path threads; written on the service thread.
    private volatile List<CoreConnection> open = List.of();
    private volatile int policyGeneration;
    private volatile int schedulerGeneration;
    private volatile boolean warnedNoPolicy;
    private volatile boolean closed;
    // Switches that take effect on running connections (ConfigAdmin's modified, no restart); read per PDU.
    private volatile boolean transmitPolicing = true;
    private volatile boolean receivePolicing;
    private volatile boolean realTimePriority = true;

    public Server(CoreSettings settings, Services services) {
        this.settings = settings;
        this.services = services;
        this.ownerLimits = new OwnerLimits(settings.maxConnectionsPerOwner(), OwnerLimits.DEFAULT_MAX_BUFFER_BYTES);
        this.receivePolicing = settings.receivePolicing();
        // The service thread exists from the start, one per stack (paper 2.1), not lazily at the first request.
        java.util.concurrent.ThreadPoolExecutor executor = new java.util.concurrent.ThreadPoolExecutor(1, 1, 0,
                java.util.concurrent.TimeUnit.MILLISECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "atm-service");
                    t.setDaemon(true);
                    serviceThreadRef = t;
                    return t;
                });
        executor.prestartCoreThread();
        this.serviceThread = executor;
    }

    CoreSettings settings() {
        return settings;
    }

    /**
     * Replaces the per-owner limits; they bind the next open (connections already held stay open, even above a
     * lowered limit). Threading: any thread.
     */
    public void setOwnerLimits(OwnerLimits limits) {
        if (limits == null) {
            throw new IllegalArgumentException("limits: required");
        }
        ownerLimits = limits;
    }

    /** The per-owner limits in force. */
    public OwnerLimits ownerLimits() {
        return ownerLimits;
    }

    Services services() {
        return services;
    }

    // ------------------------------------------------------------------ interfaces

    /** A device service appeared: serve it. */
    public void addDevice(org.drops.atm.api.device.AtmDevice device) {
        onServiceThread(() -> {
            ServedInterface itf = new ServedInterface(this, device);
            ServedInterface old = interfaces.put(itf.number, itf);
            if (old != null) {
                stopInterface(old, "interface " + itf.number + " was replaced");
            }
            itf.interruptThread.start();
            services.post(AtmEvents.INTERFACE_UP, Map.of(AtmEvents.ITF, itf.number));
            return null;
        });
    }

    /** A device service went away: close its connections (waking their callers) and stop serving it. */
    public void removeDevice(org.drops.atm.api.device.AtmDevice device) {
        onServiceThread(() -> {
            ServedInterface itf = interfaces.get(device.interfaceNumber());
            if (itf != null && itf.device == device) {
                interfaces.remove(itf.number);
                stopInterface(itf, "interface " + itf.number + " went away (its driver or configuration was removed)");
            }
            return null;
        });
    }

    void interfaceWentDown(ServedInterface itf, String reason) {
        serviceThread.execute(() -> {
            if (interfaces.get(itf.number) == itf) {
                interfaces.remove(itf.number);
                stopInterface(itf, reason);
            }
        });
    }

    private void stopInterface(ServedInterface itf, String reason) {
        List<CoreConnection> affected = new ArrayList<>();
        for (CoreConnection c : open) {
            if (c.itf == itf) {
                affected.add(c);
                c.markClosed(reason); // wake every blocked caller first; the teardowns (joins) follow
            }
        }
        for (CoreConnection c : affected) {
            teardown(c, reason);
        }
        itf.interrupt.stop();
        itf.interruptThread.interrupt();
        join(itf.interruptThread);
        services.post(AtmEvents.INTERFACE_DOWN, Map.of(AtmEvents.ITF, itf.number, AtmEvents.REASON, reason));
    }

    @Override
    public List<InterfaceInfo> interfaces() {
        List<ServedInterface> list = onServiceThread(() -> new ArrayList<>(interfaces.values()));
        List<InterfaceInfo> infos = new ArrayList<>();
        for (ServedInterface itf : list) {
            infos.add(itf.device.info());
        }
        infos.sort((a, b) -> Integer.compare(a.itf(), b.itf()));
        return infos;
    }

    @Override
    public List<ConnectionStatistics> connections() {
        List<ConnectionStatistics> list = new ArrayList<>();
        for (CoreConnection c : open) {
            list.add(c.statistics());
        }
        return list;
    }

    // ------------------------------------------------------------------ open

    @Override
    public Connection open(PvcAddress pvc, Qos qos, Direction direction, Aal aal, String owner) throws AtmException {
        if (pvc == null || qos == null || direction == null || aal == null) {
            throw new IllegalArgumentException("open: pvc, qos, direction and aal are required");
        }
        if (closed) {
            throw new AtmException("open " + pvc + ": the protocol server is stopping");
        }
        return onServiceThreadChecked(() -> doOpen(pvc, qos, direction, aal, owner == null ? "?" : owner));
    }

    private CoreConnection doOpen(PvcAddress pvc, Qos qos, Direction direction, Aal socketAal, String owner)
            throws AtmException {
        String what = (direction == Direction.TRANSMIT ? "connect " : "bind ") + pvc;
        ServedInterface itf = interfaces.get(pvc.itf());
        if (itf == null) {
            throw new AtmException(what + ": no interface " + pvc.itf() + " (interfaces: " + interfaces.keySet() + ")");
        }
        TrafficParameters contract = qos.direction(direction);
        if (!contract.carriesTraffic()) {
            throw new AtmException(what + ": the contract's " + (direction == Direction.TRANSMIT ? "tx" : "rx")
                    + " direction is none: " + qos);
        }
        Aal aal = qos.effectiveAal(socketAal);
        if (aal != Aal.AAL5) {
            throw new AtmException(what + ": " + aal + " is not carried; use AAL5");
        }
        if (contract.trafficClass() == TrafficClass.ANYCLASS) {
            throw new AtmException(what + ": a connection needs a traffic class, not anyclass");
        }
        OwnerLimits limits = ownerLimits;
        int owned = connectionsPerOwner.getOrDefault(owner, 0);
        if (owned >= limits.maxConnections()) {
            throw new AtmException(what + ": refused, " + owner + " already holds " + owned + " connections, the limit "
                    + "max.connections.per.owner = " + limits.maxConnections() + " (configuration PID org.drops.atm.core)");
        }
        VcEntry entry = itf.entry(pvc.vpi(), pvc.vci());
        if ((direction == Direction.TRANSMIT ? entry.tx : entry.rx) != null) {
            if (entry.isEmpty()) {
                itf.entries.remove(key(pvc));
            }
            throw new AtmException(what + ": the PVC is already " + (direction == Direction.TRANSMIT ? "connected" : "bound"));
        }
        AdmissionControl cac = services.admission();
        Reservation reservation = admit(cac, pvc, qos, direction, contract);
        CoreConnection c = null;
        boolean newChannel = entry.channel == null;
        try {
            int slotBytes = contract.effectiveMaxSduBytes(aal);
            int slots = reservation != null ? reservation.slotCount()
                    : direction == Direction.TRANSMIT ? settings.defaultTxSlots() : settings.defaultRxSlots();
            long ringBytes = ringBytes(slots, slotBytes);
            long heldBytes = bufferBytesPerOwner.getOrDefault(owner, 0L);
            if (heldBytes + ringBytes > limits.maxBufferBytes()) {
                // the catch below gives the reservation back
                throw new AtmException(what + ": refused, " + owner + " holds " + heldBytes + " ring bytes and this "
                        + "connection needs " + ringBytes + " more (" + slots + " slots of " + slotBytes + " bytes), "
                        + "above the limit max.buffer.bytes.per.owner = " + limits.maxBufferBytes()
                        + " (configuration PID org.drops.atm.core)");
            }
            c = new CoreConnection(this, itf, pvc, qos, direction, aal, owner, reservation, cac, slots, slotBytes);
            if (direction == Direction.TRANSMIT) {
                entry.tx = c;
            } else {
                entry.rx = c;
            }
            VcParameters parameters = channelParameters(pvc, entry);
            if (newChannel) {
                entry.channel = itf.device.open(parameters);
            } else {
                entry.channel.reconfigure(parameters);
            }
            installMeter(c, System.nanoTime());
            List<CoreConnection> next = new ArrayList<>(open);
            next.add(c);
            open = List.copyOf(next);
            connectionsPerOwner.merge(owner, 1, Integer::sum);
            bufferBytesPerOwner.merge(owner, ringBytes, Long::sum);
            if (direction == Direction.TRANSMIT) {
                c.worker = new Thread(new WorkerThread(c, entry), "atm-worker-" + pvc);
                c.worker.setDaemon(true);
                c.worker.start();
            } else {
                itf.receivers.put(pvc.vpi(), pvc.vci(), c);
            }
            applyBestEffortShare(itf);
            services.post(AtmEvents.CONNECTION_OPENED, Map.of(AtmEvents.PVC, pvc.toString(),
                    AtmEvents.DIRECTION, direction.name(), AtmEvents.QOS, qos.toString()));
            return c;
        } catch (AtmException | RuntimeException e) {
            if (direction == Direction.TRANSMIT) {
                entry.tx = null;
            } else {
                entry.rx = null;
            }
            if (newChannel && entry.channel != null) {
                entry.channel.close();
                entry.channel = null;
            }
            if (entry.isEmpty()) {
                itf.entries.remove(key(pvc));
            }
            if (reservation != null) {
                cac.release(reservation); // the instance that booked it
            }
            if (c != null) {
                c.markClosed("set-up failed: " + e.getMessage());
            }
            throw e;
        }
    }

    private Reservation admit(AdmissionControl cac, PvcAddress pvc, Qos qos, Direction direction, TrafficParameters contract)
            throws AtmException {
        if (cac == null) {
            if (contract.trafficClass().isGuaranteed()) {
                throw new AtmException((direction == Direction.TRANSMIT ? "connect " : "bind ") + pvc + ": "
                        + contract.trafficClass() + " needs admission control, and no admission control service "
                        + "(org.drops.atm.cac) is present");
            }
            return null;
        }
        // Admission control learns of an interface from the same service event as this server, a moment apart
        // (each component's bind runs in turn): a request right after the interface came up may reach it before
        // it knows the interface. Give it that moment rather than refusing.
        awaitInterfaceKnown(cac, pvc.itf());
        try {
            return cac.admit(new AdmissionRequest(pvc, qos, direction));
        } catch (AdmissionException e) {
            Map<String, Object> properties = new HashMap<>();
            properties.put(AtmEvents.PVC, pvc.toString());
            properties.put(AtmEvents.QOS, qos.toString());
            properties.put(AtmEvents.RESOURCE, e.resource().name());
            e.recommended().ifPresent(r -> properties.put(AtmEvents.RECOMMENDED, r.toString()));
            services.post(AtmEvents.CONNECTION_REFUSED, properties);
            throw e;
        }
    }

    /** Gives admission control up to 2 s to learn of an interface that came up a moment ago. */
    private static void awaitInterfaceKnown(AdmissionControl cac, int itf) {
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (cac.state(itf).isEmpty() && System.nanoTime() - deadline < 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000L);
        }
    }

    /**
     * Admission control came (back): a restarted admission-control bundle starts with empty books while the
     * connections it admitted run on (found by the reliability suite's ChaosIT). Its successor books every open
     * connection it does not hold yet, in the order they were opened, and the best-effort share is recomputed from
     * the new books. Runs on the service thread, after whatever set-up is already queued.
     */
    public void admissionChanged() {
        if (closed) {
            return;
        }
        try {
            serviceThread.execute(this::rebookOpenConnections);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // stopping: nothing to book
        }
    }

    private void rebookOpenConnections() {
        AdmissionControl cac = services.admission();
        if (cac == null || closed) {
            return;
        }
        int booked = 0;
        for (CoreConnection c : open) {
            if (c.isClosed() || c.admittedBy == cac) {
                continue;
            }
            awaitInterfaceKnown(cac, c.pvc.itf());
            try {
                c.reservation = cac.admit(new AdmissionRequest(c.pvc, c.qos, c.direction));
                c.admittedBy = cac;
                booked++;
            } catch (AdmissionException | RuntimeException e) {
                // never revoke a running connection; say that the books now under-count it
                c.admittedBy = null;
                LOG.log(Level.WARNING, c + " runs on, but the admission control that came up cannot book it: " + e.getMessage());
            }
        }
        for (ServedInterface itf : interfaces.values()) {
            applyBestEffortShare(itf);
        }
        if (booked > 0) {
            LOG.info("admission control came up: booked the " + booked + " connection(s) already open");
        }
    }

    /** The device VC's parameters from the connections sharing it (a PVC may carry one of each direction). */
    private static VcParameters channelParameters(PvcAddress pvc, VcEntry entry) {
        TrafficParameters tx = entry.tx != null ? entry.tx.contract : TrafficParameters.none();
        TrafficParameters rx = entry.rx != null ? entry.rx.contract : TrafficParameters.none();
        // the receive pool follows the receiving connection; a transmit-only VC receives into best effort
        VcService service = entry.rx != null && entry.rx.guaranteed() ? VcService.GUARANTEED : VcService.BEST_EFFORT;
        return new VcParameters(pvc.vpi(), pvc.vci(), new Qos(tx, rx, Aal.AAL5), Aal.AAL5, service);
    }

    // ------------------------------------------------------------------ close

    /** Closes a connection: wakes its callers now, tears it down on the service thread. */
    void close(CoreConnection c, String reason) {
        c.markClosed(reason);
        if (Thread.currentThread() == c.worker) {
            // the worker closes its own connection (its VC went down): the teardown joins the worker, so it
            // must not wait for the teardown
            serviceThread.execute(() -> teardown(c, reason));
            return;
        }
        onServiceThread(() -> {
            teardown(c, reason);
            return null;
        });
    }

    private void teardown(CoreConnection c, String reason) {
        c.markClosed(reason);
        if (!open.contains(c)) {
            return;
        }
        List<CoreConnection> next = new ArrayList<>(open);
        next.remove(c);
        open = List.copyOf(next);
        connectionsPerOwner.computeIfPresent(c.owner, (k, n) -> n > 1 ? n - 1 : null);
        long ringBytes = c.txRing != null ? ringBytes(c.txRing.slotCount(), c.txRing.slotBytes())
                : ringBytes(c.rxRing.slotCount(), c.rxRing.slotBytes());
        bufferBytesPerOwner.computeIfPresent(c.owner, (k, n) -> n > ringBytes ? n - ringBytes : null);
        Thread worker = c.worker;
        if (worker != null) {
            worker.interrupt(); // a worker blocked in the driver's send
            join(worker);
        }
        ServedInterface itf = c.itf;
        VcEntry entry = itf.entries.get(key(c.pvc));
        if (entry != null) {
            if (entry.tx == c) {
                entry.tx = null;
            }
            if (entry.rx == c) {
                entry.rx = null;
                itf.receivers.remove(c.pvc.vpi(), c.pvc.vci());
            }
            if (entry.channel != null) {
                if (entry.isEmpty()) {
                    entry.channel.close();
                    itf.entries.remove(key(c.pvc));
                } else {
                    try {
                        entry.channel.reconfigure(channelParameters(c.pvc, entry));
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "reconfiguring " + c.pvc + " after closing one direction", e);
                    }
                }
            }
        }
        if (c.reservation != null) {
            AdmissionControl cac = services.admission();
            // only the instance that booked it holds it; a stopped one took its books with it
            if (cac != null && cac == c.admittedBy) {
                cac.release(c.reservation);
            }
        }
        if (interfaces.get(itf.number) == itf) {
            applyBestEffortShare(itf);
        }
        services.post(AtmEvents.CONNECTION_CLOSED, Map.of(AtmEvents.PVC, c.pvc.toString(),
                AtmEvents.DIRECTION, c.direction.name(), AtmEvents.REASON, reason));
        c.itf = null; // a closed connection lets go of its interface and device (the application may keep it)
    }

    /** Stops serving: closes every connection and stops every thread. */
    public void shutdown(String reason) {
        closed = true;
        onServiceThread(() -> {
            for (ServedInterface itf : List.copyOf(interfaces.values())) {
                stopInterface(itf, reason);
            }
            interfaces.clear();
            return null;
        });
        serviceThread.shutdown();
    }

    // ------------------------------------------------------------------ best effort

    /**
     * Paper §2.3: best-effort connections share the bandwidth no guaranteed connection holds, "dynamically
     * adapted on start and termination of guaranteed connections". The share is split evenly among the
     * interface's UBR transmit connections (each capped by its own peak rate, if it has one) and applied as
     * their VCs' cell rate, without restarting anything.
     */
    private void applyBestEffortShare(ServedInterface itf) {
        double line = itf.device.info().lineCellsPerSecond();
        List<CoreConnection> ubr = new ArrayList<>();
        double guaranteed = 0;
        for (CoreConnection c : open) {
            if (c.itf != itf || c.direction != Direction.TRANSMIT) {
                continue;
            }
            if (c.guaranteed()) {
                guaranteed += reservedCellsPerSecond(c, line);
            } else {
                ubr.add(c);
            }
        }
        AdmissionControl cac = services.admission();
        double share = cac != null ? cac.bestEffortCellsPerSecond(itf.number) : line - guaranteed;
        if (Double.isNaN(share) || share < 1) {
            share = 1; // enough to discard data, as the paper asks of best effort under full reservation
        }
        for (int i = 0; i < ubr.size(); i++) {
            CoreConnection c = ubr.get(i);
            double each = share / ubr.size();
            int pcr = c.contract.topPcrCps();
            double rate = pcr > 0 ? Math.min(pcr, each) : each;
            VcEntry entry = itf.entries.get(key(c.pvc));
            if (entry != null && entry.channel != null) {
                entry.channel.setTransmitCellRate(Double.isInfinite(rate) ? Double.POSITIVE_INFINITY : Math.max(1, rate));
            }
        }
    }

    private static double reservedCellsPerSecond(CoreConnection c, double line) {
        if (c.reservation != null) {
            return c.reservation.bandwidthCellsPerSecond();
        }
        TrafficParameters tp = c.contract;
        int rate = tp.trafficClass().isVariableBitRate() ? tp.scrCps() : tp.topPcrCps();
        return rate == TrafficParameters.MAX_PCR ? line : rate;
    }

    // ------------------------------------------------------------------ policing

    /**
     * The real-time scheduling service came or went: worker and pseudo-interrupt threads ask it again on their
     * next loop, so priorities do not depend on the order in which bundles start.
     */
    public void schedulerChanged() {
        schedulerGeneration++;
    }

    int schedulerGeneration() {
        return schedulerGeneration;
    }

    /**
     * Sets the switches that act on running connections: transmit policing (the worker's UPC and suspension),
     * receive policing, and whether workers of guaranteed connections ask for real-time priority. A change of
     * the last makes every worker ask the scheduler again on its next loop (back to time sharing when off).
     */
    public void switches(boolean transmitPolicing, boolean receivePolicing, boolean realTimePriority) {
        this.transmitPolicing = transmitPolicing;
        this.receivePolicing = receivePolicing;
        if (this.realTimePriority != realTimePriority) {
            this.realTimePriority = realTimePriority;
            schedulerGeneration++;
        }
    }

    boolean transmitPolicing() {
        return transmitPolicing;
    }

    boolean receivePolicing() {
        return receivePolicing;
    }

    boolean realTimePriority() {
        return realTimePriority;
    }

    /** The selected policy changed (or came or went): running connections move over at their next boundary. */
    public void policiesChanged() {
        policyGeneration++;
        warnedNoPolicy = false;
    }

    private void installMeter(CoreConnection c, long startNanos) {
        c.meter = newMeter(c, startNanos);
        c.policyGeneration = policyGeneration;
    }

    private Meter newMeter(CoreConnection c, long startNanos) {
        TrafficParameters contract = meteredContract(c);
        if (c.direction == Direction.RECEIVE) {
            // Receive UPC is GCRA on the peak rate with the contract's tolerance plus the path's allowance, whatever
            // the transmit policy: arrivals are the sender's schedule shifted and jittered by the path, and the
            // oblivious intervals of interval-credit policing drop such conforming arrivals at their boundaries
            // (measured: tens of PDUs per 10 s). The selected policy shapes and polices the transmit side.
            c.policyName = "receive GCRA (built-in)";
            return new PeakRateMeter(contract.trafficClass() == TrafficClass.UBR && contract.topPcrCps() <= 0 ? 0
                    : contract.topPcrCps(), contract.effectiveMaxCdvMicros() * 1_000L, startNanos);
        }
        PolicingPolicy policy = services.policy();
        if (policy != null) {
            try {
                Meter m = policy.newMeter(contract, c.aal, c.direction, startNanos);
                c.policyName = policy.name();
                return m;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "policy " + policy.name() + " cannot meter " + c + "; using the built-in peak-rate meter", e);
            }
        } else if (!warnedNoPolicy) {
            warnedNoPolicy = true;
            LOG.warning("no policing policy service is present: connections are metered by the built-in peak-rate meter");
        }
        c.policyName = "built-in peak rate";
        int pcr = contract.trafficClass() == TrafficClass.UBR && contract.topPcrCps() <= 0 ? 0 : contract.topPcrCps();
        return new PeakRateMeter(pcr, contract.effectiveMaxCdvMicros() * 1_000L, startNanos);
    }

    /**
     * The contract a meter checks. A receive meter sees the sender's conforming traffic after the link and two
     * stacks added delay variation, so it tolerates the contract's max_cdv plus the configured allowance.
     */
    private TrafficParameters meteredContract(CoreConnection c) {
        if (c.direction != Direction.RECEIVE || settings.receiveCdvAllowanceMicros() == 0) {
            return c.contract;
        }
        long tolerance = (long) c.contract.effectiveMaxCdvMicros() + settings.receiveCdvAllowanceMicros();
        return c.contract.toBuilder().maxCdvMicros((int) Math.min(Integer.MAX_VALUE, tolerance)).build();
    }

    /**
     * Called by a data-path thread before each decision: when the policy changed, the connection moves to a
     * meter of the new policy at its current meter's next interval boundary (no extra credit in between).
     * Allocates only when a switch happens.
     */
    void maybeSwitchPolicy(CoreConnection c, long nowNanos) {
        int generation = policyGeneration;
        if (c.policyGeneration == generation) {
            return;
        }
        if (c.switchAtNanos == 0) {
            Meter old = c.meter;
            long boundary = old.nextIntervalStartNanos(nowNanos);
            if (old.intervalNanos() == 0) {
                // A meter without intervals (GCRA) lets a sender run up to its tolerance ahead of schedule; a new
                // meter started at once would grant fresh credit on top. Waiting out the tolerance first pays
                // back whatever the old meter advanced, so the switch grants nothing extra.
                boundary = nowNanos + meteredContract(c).effectiveMaxCdvMicros() * 1_000L;
            }
            c.switchAtNanos = boundary == 0 ? nowNanos : boundary;
        }
        if (nowNanos - c.switchAtNanos >= 0) {
            Meter next = newMeter(c, c.switchAtNanos);
            if (next.intervalNanos() == 0 && c.meter.intervalNanos() != 0) {
                // into a meter without intervals (GCRA): start its schedule one tolerance later, so it does not
                // grant a fresh burst right after the old meter's interval credit was spent
                next = newMeter(c, c.switchAtNanos + meteredContract(c).effectiveMaxCdvMicros() * 1_000L);
            }
            c.meter = next;
            c.policyGeneration = generation;
            c.switchAtNanos = 0;
        }
    }

    // ------------------------------------------------------------------ plumbing

    /** Ring bytes a connection holds, as max.buffer.bytes.per.owner counts them: slots × slot size. */
    private static long ringBytes(int slots, int slotBytes) {
        return (long) slots * slotBytes;
    }

    private static int key(PvcAddress pvc) {
        return (pvc.vpi() << 16) | pvc.vci();
    }

    private static void join(Thread t) {
        if (t == Thread.currentThread()) {
            return;
        }
        try {
            t.join(5_000);
            if (t.isAlive()) {
                LOG.warning(t.getName() + " did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private <T> T onServiceThread(Callable<T> task) {
        try {
            return onServiceThreadChecked(task);
        } catch (AtmException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T onServiceThreadChecked(Callable<T> task) throws AtmException {
        if (Thread.currentThread() == serviceThreadRef) {
            try {
                return task.call();
            } catch (AtmException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        Future<T> future;
        try {
            future = serviceThread.submit(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            throw new AtmException("the protocol server has stopped");
        }
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return future.get();
                } catch (InterruptedException e) {
                    interrupted = true; // set-up and teardown finish; the interrupt is kept for the caller
                }
            }
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof AtmException) {
                throw (AtmException) cause;
            }
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}

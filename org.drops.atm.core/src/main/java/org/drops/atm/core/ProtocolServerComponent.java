package org.drops.atm.core;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.InterfaceInfo;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.device.AtmDevice;
import org.drops.atm.api.policing.PolicingPolicy;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.scheduling.RealTimeScheduler;
import org.drops.atm.api.server.Connection;
import org.drops.atm.api.server.ProtocolServer;
import org.drops.atm.core.internal.CoreSettings;
import org.drops.atm.core.internal.OwnerLimits;
import org.drops.atm.core.internal.Server;
import org.drops.atm.core.internal.Services;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The protocol server as an OSGi service. Devices, admission control, policing policies, the real-time
 * scheduler and Event Admin are all dynamic references: they may come and go while connections run.
 */
@Component(configurationPid = "org.drops.atm.core", service = ProtocolServer.class, immediate = true)
@Designate(ocd = CoreConfiguration.class)
public final class ProtocolServerComponent implements ProtocolServer, Services {

    private final List<AtmDevice> pendingDevices = new ArrayList<>();
    // policies by service reference, ordered by ranking (highest first, then oldest)
    private final Map<ServiceReference<PolicingPolicy>, PolicingPolicy> policies = new ConcurrentSkipListMap<>(
            (a, b) -> b.compareTo(a));
    private volatile AdmissionControl admission;
    private volatile RealTimeScheduler scheduler;
    private volatile EventAdmin events;
    private volatile String policyName = "";
    private volatile PolicingPolicy selected;
    private Server server; // guarded by this

    @Activate
    void activate(CoreConfiguration config) {
        policyName = config.policy_name().trim();
        reselect();
        Server s = new Server(new CoreSettings(config.worker_priority(), config.interrupt_priority(),
                config.default_tx_slots(), config.default_rx_slots(), config.max_connections_per_owner(),
                config.receive_policing(), config.receive_cdv_allowance_us()), this);
        s.setOwnerLimits(ownerLimits(config));
        s.switches(config.transmit_policing(), config.receive_policing(), config.realtime_priority());
        List<AtmDevice> devices;
        synchronized (this) {
            server = s;
            devices = new ArrayList<>(pendingDevices);
            pendingDevices.clear();
        }
        devices.forEach(s::addDevice);
    }

    /**
     * The policy choice, the per-owner limits and the switches (transmit.policing, receive.policing,
     * realtime.priority) change on running connections: SCR calls this instead of restarting the component. The
     * other keys (priorities, default ring sizes) take effect when the component is next activated.
     */
    @Modified
    void modified(CoreConfiguration config) {
        // (before issue 10 this took only the policy: a changed max.connections.per.owner was silently ignored)
        OwnerLimits limits = ownerLimits(config);
        policyName = config.policy_name().trim();
        reselect();
        Server s;
        synchronized (this) {
            s = server;
        }
        if (s != null) {
            s.setOwnerLimits(limits);
            s.switches(config.transmit_policing(), config.receive_policing(), config.realtime_priority());
        }
    }

    private static OwnerLimits ownerLimits(CoreConfiguration config) {
        return new OwnerLimits(config.max_connections_per_owner(), config.max_buffer_bytes_per_owner());
    }

    @Deactivate
    void deactivate() {
        Server s;
        synchronized (this) {
            s = server;
            server = null;
        }
        s.shutdown("the protocol server stopped");
    }

    // ------------------------------------------------------------------ references

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDevice(AtmDevice device) {
        Server s;
        synchronized (this) {
            s = server;
            if (s == null) {
                pendingDevices.add(device);
                return;
            }
        }
        s.addDevice(device);
    }

    void removeDevice(AtmDevice device) {
        Server s;
        synchronized (this) {
            s = server;
            if (s == null) {
                pendingDevices.remove(device);
                return;
            }
        }
        s.removeDevice(device);
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAdmission(AdmissionControl cac) {
        admission = cac;
        Server s;
        synchronized (this) {
            s = server;
        }
        if (s != null) {
            s.admissionChanged(); // a restarted admission control books the connections still open
        }
    }

    void unsetAdmission(AdmissionControl cac) {
        if (admission == cac) {
            admission = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPolicy(ServiceReference<PolicingPolicy> reference, PolicingPolicy policy) {
        policies.put(reference, policy);
        reselect();
    }

    void removePolicy(ServiceReference<PolicingPolicy> reference, PolicingPolicy policy) {
        policies.remove(reference);
        reselect();
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setScheduler(RealTimeScheduler s) {
        scheduler = s;
        schedulerChanged();
    }

    void unsetScheduler(RealTimeScheduler s) {
        if (scheduler == s) {
            scheduler = null;
            schedulerChanged();
        }
    }

    private void schedulerChanged() {
        Server s;
        synchronized (this) {
            s = server;
        }
        if (s != null) {
            s.schedulerChanged();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setEvents(EventAdmin e) {
        events = e;
    }

    void unsetEvents(EventAdmin e) {
        if (events == e) {
            events = null;
        }
    }

    /**
     * The configured policy by name if it is present, else the highest-ranked one (a configured policy that is
     * not installed must not leave connections on the built-in meter while another policy is there); tells the
     * server when the choice changes.
     */
    private synchronized void reselect() {
        PolicingPolicy byName = null;
        PolicingPolicy highest = null;
        String wanted = policyName;
        for (Map.Entry<ServiceReference<PolicingPolicy>, PolicingPolicy> e : policies.entrySet()) {
            if (highest == null) {
                highest = e.getValue();
            }
            if (!wanted.isEmpty() && wanted.equals(e.getKey().getProperty(PolicingPolicy.NAME))) {
                byName = e.getValue();
                break;
            }
        }
        PolicingPolicy choice = byName != null ? byName : highest;
        if (choice != selected) {
            selected = choice;
            Server s = server;
            if (s != null) {
                s.policiesChanged();
            }
            post(org.drops.atm.api.AtmEvents.POLICY_CHANGED,
                    Map.of(org.drops.atm.api.AtmEvents.POLICY, choice == null ? "" : choice.name()));
        }
    }

    // ------------------------------------------------------------------ Services

    @Override
    public AdmissionControl admission() {
        return admission;
    }

    @Override
    public PolicingPolicy policy() {
        return selected;
    }

    @Override
    public RealTimeScheduler scheduler() {
        return scheduler;
    }

    @Override
    public void post(String topic, Map<String, Object> properties) {
        EventAdmin e = events;
        if (e != null) {
            Dictionary<String, Object> d = new Hashtable<>(properties);
            e.postEvent(new Event(topic, d));
        }
    }

    // ------------------------------------------------------------------ ProtocolServer

    private Server server() throws AtmException {
        Server s;
        synchronized (this) {
            s = server;
        }
        if (s == null) {
            throw new AtmException("the protocol server is not active");
        }
        return s;
    }

    @Override
    public Connection open(PvcAddress pvc, Qos qos, Direction direction, Aal aal, String owner) throws AtmException {
        return server().open(pvc, qos, direction, aal, owner);
    }

    @Override
    public List<InterfaceInfo> interfaces() {
        try {
            return server().interfaces();
        } catch (AtmException e) {
            return List.of();
        }
    }

    @Override
    public List<ConnectionStatistics> connections() {
        try {
            return server().connections();
        } catch (AtmException e) {
            return List.of();
        }
    }

}

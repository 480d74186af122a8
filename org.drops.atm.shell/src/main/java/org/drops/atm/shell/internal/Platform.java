package org.drops.atm.shell.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.drops.atm.api.AtmEvents;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.device.AtmDevice;
import org.drops.atm.api.policing.PolicingPolicy;
import org.drops.atm.api.server.ProtocolServer;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * What the shell and the rate page show, gathered from the platform's services, each of which may come and go
 * (every reference is optional and dynamic, so administration works with or without admission control, policies,
 * the core or the driver). Also keeps the last platform events, as an Event Admin handler.
 */
@Component(service = {Platform.class, EventHandler.class}, immediate = true,
        property = EventConstants.EVENT_TOPIC + "=" + AtmEvents.TOPIC_PREFIX + "*")
public final class Platform implements EventHandler {

    /** The core's configuration PID and its key that selects the policing policy (docs/CORE.md). */
    public static final String CORE_PID = "org.drops.atm.core";
    public static final String POLICY_KEY = "policy.name";
    static final int EVENTS_KEPT = 200;

    /** A policing policy service as the shell lists it. */
    public record PolicyInfo(String name, String description, int ranking, long serviceId, String bundle) {
    }

    private final EventLog events = new EventLog(EVENTS_KEPT);
    private final Map<ServiceReference<AtmDevice>, AtmDevice> devices = new ConcurrentHashMap<>();
    // ordered as the core orders them: highest ranking first, then lowest service id
    private final Map<ServiceReference<PolicingPolicy>, PolicingPolicy> policies =
            new ConcurrentSkipListMap<>(Comparator.reverseOrder());
    private volatile ProtocolServer server;
    private volatile AdmissionControl admission;
    private volatile AtmSocketFactory sockets;
    private volatile ConfigurationAdmin configurationAdmin;

    // ------------------------------------------------------------------ what the shell reads

    public Optional<ProtocolServer> server() {
        return Optional.ofNullable(server);
    }

    public Optional<AdmissionControl> admission() {
        return Optional.ofNullable(admission);
    }

    public Optional<AtmSocketFactory> sockets() {
        return Optional.ofNullable(sockets);
    }

    public EventLog events() {
        return events;
    }

    /** The driver's interfaces, by interface number. */
    public List<AtmDevice> devices() {
        List<AtmDevice> list = new ArrayList<>(devices.values());
        list.sort(Comparator.comparingInt(AtmDevice::interfaceNumber));
        return list;
    }

    public Optional<AtmDevice> device(int itf) {
        return devices().stream().filter(d -> d.interfaceNumber() == itf).findFirst();
    }

    /** The installed policing policies, in the core's order of preference (ranking, then age). */
    public List<PolicyInfo> policies() {
        List<PolicyInfo> list = new ArrayList<>();
        policies.forEach((reference, policy) -> {
            Object name = reference.getProperty(PolicingPolicy.NAME);
            Object ranking = reference.getProperty(Constants.SERVICE_RANKING);
            list.add(new PolicyInfo(name == null ? policy.name() : name.toString(), policy.description(),
                    ranking instanceof Integer ? (Integer) ranking : 0, (Long) reference.getProperty(Constants.SERVICE_ID),
                    reference.getBundle() == null ? "?" : reference.getBundle().getSymbolicName()));
        });
        return list;
    }

    /**
     * The value of {@code policy.name} in the core's configuration: empty if there is no configuration or no
     * Configuration Admin (the core then takes the highest-ranked policy).
     */
    public Optional<String> configuredPolicy() {
        ConfigurationAdmin ca = configurationAdmin;
        if (ca == null) {
            return Optional.empty();
        }
        try {
            Configuration[] found = ca.listConfigurations("(" + Constants.SERVICE_PID + "=" + CORE_PID + ")");
            if (found == null || found.length == 0 || found[0].getProperties() == null) {
                return Optional.empty();
            }
            Object value = found[0].getProperties().get(POLICY_KEY);
            return value == null ? Optional.empty() : Optional.of(value.toString().trim());
        } catch (IOException | InvalidSyntaxException e) {
            return Optional.empty();
        }
    }

    /**
     * The policy the core selects, by its rule (docs/CORE.md): the configured one if it is installed, else the
     * highest-ranked one; empty if none is installed.
     */
    public Optional<PolicyInfo> selectedPolicy() {
        List<PolicyInfo> all = policies();
        String wanted = configuredPolicy().orElse("");
        for (PolicyInfo p : all) {
            if (!wanted.isEmpty() && p.name().equals(wanted)) {
                return Optional.of(p);
            }
        }
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
    }

    /**
     * Sets {@code policy.name} in the core's configuration through Configuration Admin; the core moves running
     * connections over at their next interval boundary. Lasts until the configuration file changes or the platform
     * restarts (FileInstall does not write back to the configuration folder).
     */
    public void configurePolicy(String name) throws IOException {
        ConfigurationAdmin ca = configurationAdmin;
        if (ca == null) {
            throw new IOException("no Configuration Admin service is present");
        }
        // "?" binds a configuration created here to whichever bundle registers the PID (the core)
        Configuration c = ca.getConfiguration(CORE_PID, "?");
        Dictionary<String, Object> properties = c.getProperties();
        Dictionary<String, Object> next = new Hashtable<>();
        if (properties != null) {
            for (java.util.Enumeration<String> keys = properties.keys(); keys.hasMoreElements();) {
                String key = keys.nextElement();
                next.put(key, properties.get(key));
            }
        }
        next.put(POLICY_KEY, name);
        c.update(next);
    }

    // ------------------------------------------------------------------ events

    @Override
    public void handleEvent(Event event) {
        Map<String, Object> properties = new HashMap<>();
        for (String key : event.getPropertyNames()) {
            properties.put(key, event.getProperty(key));
        }
        events.add(Instant.now(), event.getTopic(), properties);
    }

    // ------------------------------------------------------------------ references

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setServer(ProtocolServer s) {
        server = s;
    }

    void unsetServer(ProtocolServer s) {
        if (server == s) {
            server = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setAdmission(AdmissionControl a) {
        admission = a;
    }

    void unsetAdmission(AdmissionControl a) {
        if (admission == a) {
            admission = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setSockets(AtmSocketFactory f) {
        sockets = f;
    }

    void unsetSockets(AtmSocketFactory f) {
        if (sockets == f) {
            sockets = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setConfigurationAdmin(ConfigurationAdmin ca) {
        configurationAdmin = ca;
    }

    void unsetConfigurationAdmin(ConfigurationAdmin ca) {
        if (configurationAdmin == ca) {
            configurationAdmin = null;
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDevice(ServiceReference<AtmDevice> reference, AtmDevice device) {
        devices.put(reference, device);
    }

    void removeDevice(ServiceReference<AtmDevice> reference, AtmDevice device) {
        devices.remove(reference);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addPolicy(ServiceReference<PolicingPolicy> reference, PolicingPolicy policy) {
        policies.put(reference, policy);
    }

    void removePolicy(ServiceReference<PolicingPolicy> reference, PolicingPolicy policy) {
        policies.remove(reference);
    }
}

package org.drops.atm.linuxbridge.tun;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import org.drops.atm.api.AtmEvents;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.server.ProtocolServer;
import org.drops.atm.linuxbridge.IpOverAtmInterface;
import org.drops.atm.linuxbridge.IpOverAtmStatistics;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One configured IP-over-ATM interface. Activation creates and configures the Linux interface (a bad value or a
 * refused call fails it with a message naming the key or the call); deactivation — the configuration deleted or
 * changed, the bundle or the protocol server stopped — removes it.
 */
// Immediate: the Linux interface exists when configured, not when someone first looks up the service.
@Component(configurationPid = TunComponent.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = IpOverAtmInterface.class, immediate = true)
@Designate(ocd = TunConfiguration.class, factory = true)
public final class TunComponent implements IpOverAtmInterface {

    /** The factory PID of TUN configurations. */
    public static final String FACTORY_PID = "org.drops.atm.linuxbridge.tun";

    @Reference
    private ProtocolServer server;

    private IpOverAtm bridge;
    private ServiceRegistration<EventHandler> interfaceEvents;

    @Activate
    void activate(BundleContext context, TunConfiguration config) throws IOException {
        TunSettings settings = TunSettings.of(config);
        bridge = IpOverAtm.start(settings, server,
                context.getBundle().getSymbolicName() + " tun " + settings.name());
        // Subscribed here rather than by DS, before the first attempt: an interface the core serves before the
        // subscription is found by that attempt, one it serves later is announced to the handler.
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, AtmEvents.INTERFACE_UP);
        IpOverAtm b = bridge;
        interfaceEvents = context.registerService(EventHandler.class, event -> {
            Object itf = event.getProperty(AtmEvents.ITF);
            if (itf instanceof Integer) {
                b.interfaceUp((Integer) itf);
            }
        }, properties);
        bridge.attach();
    }

    @Deactivate
    void deactivate() {
        try {
            interfaceEvents.unregister();
        } catch (IllegalStateException e) {
            // the bundle is stopping and the framework unregistered it already
        }
        bridge.close();
    }

    @Override
    public String name() {
        return bridge.name();
    }

    @Override
    public String netns() {
        return bridge.netns();
    }

    @Override
    public PvcAddress pvc() {
        return bridge.pvc();
    }

    @Override
    public Qos qos() {
        return bridge.qos();
    }

    @Override
    public int mtuBytes() {
        return bridge.mtuBytes();
    }

    @Override
    public List<String> addresses() {
        return bridge.addresses();
    }

    @Override
    public State state() {
        return bridge.state();
    }

    @Override
    public String stateReason() {
        return bridge.stateReason();
    }

    @Override
    public IpOverAtmStatistics statistics() {
        return bridge.statistics();
    }
}

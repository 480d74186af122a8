package org.drops.atm.driver.pca200e;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.InterfaceInfo;
import org.drops.atm.api.device.AtmDevice;
import org.drops.atm.api.device.DeviceStatistics;
import org.drops.atm.api.device.ReceivedPdu;
import org.drops.atm.api.device.VcParameters;
import org.drops.atm.api.device.VirtualChannel;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.scheduling.GrantedPriority;
import org.drops.atm.api.scheduling.RealTimeScheduler;
import org.drops.atm.api.scheduling.SchedulingRequest;
import org.drops.atm.driver.pca200e.link.Link;
import org.drops.atm.driver.pca200e.link.MemoryLink;
import org.drops.atm.driver.pca200e.link.UdpLink;
import org.drops.atm.driver.pca200e.nic.DeviceSettings;
import org.drops.atm.driver.pca200e.nic.Pca200eDevice;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One configured interface, registered as an {@link AtmDevice} service with the property {@code atm.itf}.
 * Reconfiguring or deleting the configuration takes the interface down cleanly (every blocked caller gets a
 * {@link ConnectionClosedException}) and, on reconfiguration, brings up a new one.
 */
// Immediate: the interface comes up (binds its socket, joins its wire) when configured, not on first use.
@Component(configurationPid = Pca200eInterface.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = AtmDevice.class, immediate = true)
@Designate(ocd = InterfaceConfiguration.class, factory = true)
public final class Pca200eInterface implements AtmDevice {

    /** The factory PID of interface configurations. */
    public static final String FACTORY_PID = "org.drops.atm.driver.pca200e.interface";

    /**
     * SCHED_FIFO priority of the line thread, above the core's pseudo-interrupt (11) and worker (10) threads: the
     * line is the card's hardware. At time-sharing priority a loaded machine (load 12 on 2 cores) stalled it for
     * tens of milliseconds, its catch-up bunched the cells of guaranteed connections, and the receiver's UPC dropped
     * conforming PDUs (found by the reliability suite's ChaosIT and SoakIT).
     */
    static final int LINE_PRIORITY = 12;

    /**
     * The card while the component is active; null once deactivated. Whoever still holds this service object
     * (a closed connection, a stale reference) must not pin the stopped card: its receive pools and FIFO are
     * megabytes of direct memory, and a driver bundle stop and start left one driver's worth reachable (found by
     * the reliability suite's ChaosIT).
     */
    private volatile Pca200eDevice device;
    private int itf;
    /** Why the interface is down, and what it said last, once deactivated. */
    private volatile String downReason;
    private volatile InterfaceInfo downInfo;
    private volatile DeviceStatistics downStatistics;
    private volatile RealTimeScheduler scheduler;
    /** What the kernel granted the line thread, or why nothing was asked. */
    volatile GrantedPriority linePriority = GrantedPriority.unchanged("no real-time scheduling service (the Linux bridge) present");

    @Activate
    void activate(InterfaceConfiguration config) throws IOException {
        DeviceSettings settings = settings(config);
        itf = settings.itf();
        device = new Pca200eDevice(settings, link(settings.name(), config));
        requestLinePriority();
    }

    /** The Linux bridge's real-time scheduler, when present: the line thread asks it for SCHED_FIFO. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setScheduler(RealTimeScheduler s) {
        scheduler = s;
        requestLinePriority();
    }

    void unsetScheduler(RealTimeScheduler s) {
        if (scheduler == s) {
            scheduler = null; // the thread keeps what it was granted; nothing to undo
        }
    }

    private void requestLinePriority() {
        RealTimeScheduler s = scheduler;
        Pca200eDevice d = device;
        if (s != null && d != null && Double.isInfinite(d.settings().lineCellsPerSecond())) {
            // An unpaced line keeps no schedule: its thread sends as fast as the FIFO fills, and for the memory link
            // it also does the receiving interface's reassembly. At SCHED_FIFO it took a whole processor from every
            // time-sharing thread, and from lower real-time ones: the workers of guaranteed connections of other
            // platforms on the machine stalled 20-190 ms in send (found running experiment 6 beside Figure 8).
            linePriority = GrantedPriority.unchanged("unpaced line (line.rate unlimited): no schedule to keep, so no real-time priority");
            return;
        }
        if (s != null && d != null) {
            d.runOnLineThread(() -> {
                try {
                    linePriority = s.applyToCurrentThread(SchedulingRequest.fifo(LINE_PRIORITY));
                } catch (RuntimeException e) {
                    linePriority = GrantedPriority.unchanged("the scheduler failed: " + e);
                }
            });
        }
    }

    @Deactivate
    void deactivate() {
        Pca200eDevice d = device;
        String reason = "interface " + d.interfaceNumber() + " was reconfigured, removed or its driver stopped";
        d.close(reason);
        downInfo = d.info();
        downStatistics = d.statistics();
        downReason = reason;
        device = null; // let go of the card (see the field)
    }

    /** The card for {@code call}, or a ConnectionClosedException if the component was deactivated. */
    private Pca200eDevice up() throws ConnectionClosedException {
        Pca200eDevice d = device;
        if (d == null) {
            throw new ConnectionClosedException("itf " + itf, downReason);
        }
        return d;
    }

    /** The card, or null once deactivated (tests). */
    Pca200eDevice deviceOrNull() {
        return device;
    }

    static DeviceSettings settings(InterfaceConfiguration c) {
        return new DeviceSettings(c.atm_itf(), c.name(), lineCellsPerSecond(c.line_rate()), c.tx_fifo_cells(),
                c.pool_guaranteed_buffers(), c.pool_best_effort_buffers(), c.max_sdu(),
                Math.multiplyExact(c.reassembly_timeout_ms(), 1_000_000L), c.cbr_rate_control(), c.tx_fifo_guaranteed_cells(),
                c.tx_shaping_cdv_fraction());
    }

    static Link link(String owner, InterfaceConfiguration c) throws IOException {
        switch (c.link().trim().toLowerCase(Locale.ROOT)) {
            case "memory":
                return new MemoryLink(owner, c.memory_wire(), c.memory_loopback(), MemoryLink.DEFAULT_MAX_CELLS_PER_TRANSMIT);
            case "udp":
                if (c.udp_reorder_hold_ms() < 0) {
                    throw new IllegalArgumentException("udp.reorder.hold.ms: must be 0 or more, not " + c.udp_reorder_hold_ms());
                }
                return new UdpLink(owner, address("udp.local", c.udp_local()), address("udp.peer", c.udp_peer()),
                        c.udp_cells_per_datagram(), c.udp_sequenced(),
                        Math.multiplyExact(c.udp_reorder_hold_ms(), 1_000_000L));
            default:
                throw new IllegalArgumentException("link: \"" + c.link() + "\" is neither memory nor udp");
        }
    }

    /** {@code oc3}, {@code oc12}, {@code unlimited}, or cells per second. */
    static double lineCellsPerSecond(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        switch (t) {
            case "oc3":
                return CellRates.OC3_CELLS_PER_SECOND;
            case "oc12":
                return CellRates.OC12_CELLS_PER_SECOND;
            case "unlimited":
                return Double.POSITIVE_INFINITY;
            default:
                try {
                    double v = Double.parseDouble(t);
                    if (v > 0 && !Double.isInfinite(v)) {
                        return v;
                    }
                } catch (NumberFormatException e) {
                    // fall through to the error naming the field
                }
                throw new IllegalArgumentException("line.rate: \"" + text + "\" is not oc3, oc12, unlimited or a positive number of cells/s");
        }
    }

    static InetSocketAddress address(String field, String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(field + ": \"" + text + "\" is not host:port");
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + ": port in \"" + text + "\" is not a number");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(field + ": port " + port + " is outside 0..65535");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        return new InetSocketAddress(host, port);
    }

    @Override
    public int interfaceNumber() {
        return itf;
    }

    @Override
    public InterfaceInfo info() {
        Pca200eDevice d = device;
        return d != null ? d.info() : downInfo;
    }

    @Override
    public VirtualChannel open(VcParameters parameters) throws AtmException {
        return up().open(parameters);
    }

    @Override
    public ReceivedPdu receive(long timeoutNanos) throws ConnectionClosedException, InterruptedException {
        return up().receive(timeoutNanos);
    }

    @Override
    public AutoCloseable attachTap(org.drops.atm.api.device.PduTap tap) {
        Pca200eDevice d = device;
        return d != null ? d.attachTap(tap) : () -> { }; // a down interface carries nothing to tap
    }

    @Override
    public DeviceStatistics statistics() {
        Pca200eDevice d = device;
        return d != null ? d.statistics() : downStatistics;
    }
}

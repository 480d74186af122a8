package org.drops.atm.linuxbridge.tun;

import java.util.List;
import java.util.Locale;
import org.drops.atm.linuxbridge.IpOverAtmInterface;
import org.drops.atm.linuxbridge.IpOverAtmStatistics;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** Gogo command {@code atm:tun}: the IP-over-ATM interfaces with their state and counters. */
@Component(service = TunCommands.class, property = {"osgi.command.scope=atm", "osgi.command.function=tun"})
public final class TunCommands {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    private volatile List<IpOverAtmInterface> interfaces;

    /** One block per interface: where it lives, its PVC and contract, its state, and every counter. */
    public String tun() {
        List<IpOverAtmInterface> list = interfaces;
        if (list == null || list.isEmpty()) {
            return "no IP-over-ATM interface is configured (factory PID " + TunComponent.FACTORY_PID + ")";
        }
        StringBuilder out = new StringBuilder();
        for (IpOverAtmInterface i : list) {
            IpOverAtmStatistics s = i.statistics();
            out.append(String.format(Locale.ROOT, "%s%s  pvc %s  mtu %d  %s  addresses %s%n", i.name(),
                    i.netns().isEmpty() ? "" : " (netns " + i.netns() + ")", i.pvc(), i.mtuBytes(), i.qos(),
                    i.addresses().isEmpty() ? "-" : String.join(" ", i.addresses())));
            out.append("  state ").append(i.state());
            if (!i.stateReason().isEmpty()) {
                out.append(": ").append(i.stateReason());
            }
            out.append(String.format(Locale.ROOT, "%n  tx %d packets %d bytes, dropped %d not whole IP, %d PVC lost%n",
                    s.txPackets(), s.txBytes(), s.txDroppedNotWholeIp(), s.txDroppedPvcLost()));
            out.append(String.format(Locale.ROOT, "  rx %d packets %d bytes, dropped %d unknown header, %d malformed, "
                    + "%d refused by the kernel%n  attachments %d%n", s.rxPackets(), s.rxBytes(),
                    s.rxDroppedUnknownHeader(), s.rxDroppedMalformed(), s.rxDroppedTunWrite(), s.attachments()));
        }
        return out.toString();
    }
}

package org.drops.atm.shell.internal;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.InterfaceInfo;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.admission.ResourceState;
import org.drops.atm.api.device.AtmDevice;
import org.drops.atm.api.device.DeviceStatistics;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.api.scheduling.GrantedPriority;

/** The tables and texts the commands return, built from the platform's own records (no OSGi here). */
public final class Reports {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private Reports() {
    }

    // ------------------------------------------------------------------ interfaces

    /** One line per interface: link, line rate, cell and PDU counters, errors, receive pool use. */
    public static String interfaces(List<AtmDevice> devices, Set<Integer> served) {
        Table t = new Table(">itf", "name", "link", "up", "served", ">line cells/s", ">Mbit/s", ">cells out",
                ">cells in", ">pdus out", ">pdus in", ">HEC fixed/drop", ">CRC err", ">dropped", ">pools g/be");
        for (AtmDevice d : devices) {
            InterfaceInfo i = d.info();
            DeviceStatistics s = d.statistics();
            t.row(i.itf(), i.name(), i.link(), i.up() ? "yes" : "no", served.contains(i.itf()) ? "yes" : "no",
                    Units.cps(i.lineCellsPerSecond()), Units.lineMbps(i.lineCellsPerSecond()), s.cellsOut(),
                    s.cellsIn(), s.pdusOut(), s.pdusIn(), s.hecCorrected() + "/" + s.hecDiscarded(), s.crcErrors(),
                    s.droppedCells(), pool(s.guaranteedPoolBuffers(), s.guaranteedPoolFree()) + " "
                            + pool(s.bestEffortPoolBuffers(), s.bestEffortPoolFree()));
        }
        if (t.isEmpty()) {
            return "no interfaces: configure one with a factory configuration org.drops.atm.driver.pca200e.interface "
                    + "(a .cfg file in the configuration folder, run/conf by default)\n";
        }
        return t + "Mbit/s: the line's cell rate in bits (53-byte cells); HEC: headers corrected/discarded; dropped: "
                + "cells dropped for any reason (HEC, idle, unknown VC, CRC, length, pool, timeout); pools: receive buffers "
                + "in use/all, guaranteed and best effort\n";
    }

    /**
     * {@code atm:interfaces -v}: per interface, the summary row and then every counter of the driver's
     * {@link DeviceStatistics}, one {@code name value} line each (all of the record's components, so a counter the
     * driver adds shows up here without a change).
     */
    public static String interfacesVerbose(List<AtmDevice> devices, Set<Integer> served) {
        StringBuilder out = new StringBuilder();
        for (AtmDevice d : devices) {
            out.append(interfaces(List.of(d), served).lines().limit(2).collect(java.util.stream.Collectors.joining("\n"))).append('\n');
            DeviceStatistics s = d.statistics();
            for (java.lang.reflect.RecordComponent c : DeviceStatistics.class.getRecordComponents()) {
                try {
                    out.append("  ").append(c.getName()).append(' ').append(c.getAccessor().invoke(s)).append('\n');
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("DeviceStatistics." + c.getName(), e);
                }
            }
        }
        return out.length() == 0 ? interfaces(devices, served) : out.toString();
    }

    private static String pool(int buffers, int free) {
        return (buffers - free) + "/" + buffers;
    }

    // ------------------------------------------------------------------ connections

    /** One line per connection; {@code held} marks the ones this shell opened. */
    public static String connections(List<ConnectionStatistics> connections, Set<String> held) {
        Table t = new Table("pvc", "dir", "class", "contract", ">Mbit/s", ">pdus", ">credit", ">interval",
                "policy", ">dropped", ">suspended", "worker", "by");
        for (ConnectionStatistics c : sorted(connections)) {
            TrafficParameters tp = c.qos() == null ? null : c.qos().direction(c.direction());
            t.row(c.pvc(), dir(c.direction()), tp == null ? null : tp.trafficClass(),
                    tp == null ? null : contract(tp), Units.mbps(c.recentSduBitsPerSecond()), c.pdus(),
                    c.creditCellsPerInterval() == 0 ? "-" : c.creditCellsPerInterval() + " cells",
                    c.intervalNanos() == 0 ? "-" : millis(c.intervalNanos()),
                    c.policyName().isEmpty() ? "-" : c.policyName(),
                    c.dropped() == 0 ? "0" : c.droppedNonConforming() + " nc/" + c.droppedRingFull() + " ring",
                    c.suspensions(), priority(c.workerPriority()), held.contains(key(c)) ? "shell" : "");
        }
        if (t.isEmpty()) {
            return "no connections\n";
        }
        return t + "Mbit/s: SDU payload over the last second; credit per control interval; dropped: received PDUs "
                + "dropped as non-conforming (nc) or for a full ring; suspended: times the worker waited for credit; "
                + "worker: the scheduling the thread really has, * where it is not what was asked or nothing was asked "
                + "(-v says why); by: shell marks the shell's test connections\n";
    }

    /** Every field of each connection, one block per connection. */
    public static String connectionsVerbose(List<ConnectionStatistics> connections, Set<String> held) {
        if (connections.isEmpty()) {
            return "no connections\n";
        }
        StringBuilder out = new StringBuilder();
        for (ConnectionStatistics c : sorted(connections)) {
            out.append(c.pvc()).append(' ').append(dir(c.direction())).append(held.contains(key(c)) ? "  (held by this shell)" : "")
                    .append('\n');
            field(out, "contract", String.valueOf(c.qos()));
            field(out, "rate", Units.mbps(c.recentSduBitsPerSecond()) + " Mbit/s SDU payload over the last second");
            field(out, "traffic", c.pdus() + " PDUs, " + c.bytes() + " bytes, " + c.cells() + " cells");
            field(out, "policy", (c.policyName().isEmpty() ? "none" : c.policyName())
                    + (c.intervalNanos() == 0 ? "" : ", " + c.creditCellsPerInterval() + " cells of credit every "
                            + millis(c.intervalNanos())));
            field(out, "intervals", c.intervals() + " started, " + c.intervalsFullyServed() + " fully served");
            field(out, "suspended", c.suspensions() + " times, " + Units.seconds(c.suspendedNanos()) + " s in all");
            field(out, "dropped", c.droppedNonConforming() + " non-conforming, " + c.droppedRingFull() + " ring full");
            field(out, "worker", String.valueOf(c.workerPriority()));
            field(out, "open for", Units.seconds(System.nanoTime() - c.openedAtNanos()) + " s");
        }
        return out.toString();
    }

    private static void field(StringBuilder out, String name, String value) {
        out.append("  ").append(name).append(" ".repeat(Math.max(1, 11 - name.length()))).append(value).append('\n');
    }

    static List<ConnectionStatistics> sorted(Collection<ConnectionStatistics> connections) {
        List<ConnectionStatistics> list = new ArrayList<>(connections);
        list.sort((a, b) -> {
            int c = a.pvc() == null || b.pvc() == null ? 0 : a.pvc().compareTo(b.pvc());
            return c != 0 ? c : String.valueOf(a.direction()).compareTo(String.valueOf(b.direction()));
        });
        return list;
    }

    /** The key the shell files its own connections under: {@code 0.0.100/TRANSMIT}. */
    public static String key(ConnectionStatistics c) {
        return c.pvc() + "/" + c.direction();
    }

    static String dir(Direction d) {
        return d == null ? "-" : d == Direction.TRANSMIT ? "tx" : "rx";
    }

    /** A direction's contract in brief: {@code pcr=26041 sdu=8192}, {@code scr=… mbs=…}, {@code cdv=…us}. */
    public static String contract(TrafficParameters tp) {
        if (!tp.carriesTraffic()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        if (tp.trafficClass() != TrafficClass.UBR || tp.topPcrCps() > 0) {
            parts.add("pcr=" + (tp.topPcrCps() == TrafficParameters.MAX_PCR ? "max" : Integer.toString(tp.topPcrCps())));
        }
        if (tp.scrCps() > 0) {
            parts.add("scr=" + tp.scrCps());
        }
        if (tp.mbsCells() > 0) {
            parts.add("mbs=" + tp.mbsCells());
        }
        if (tp.maxCdvMicros() > 0) {
            parts.add("cdv=" + tp.maxCdvMicros() + "us");
        }
        parts.add("sdu=" + (tp.maxSduBytes() > 0 ? Integer.toString(tp.maxSduBytes()) : "65535"));
        return String.join(" ", parts);
    }

    static String millis(long nanos) {
        return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }

    /** {@code FIFO 10}, {@code OTHER nice 0}, with a {@code *} when the kernel did not grant what was asked. */
    static String priority(GrantedPriority p) {
        String s = p.policy().isRealTime() ? p.policy() + " " + p.priority() : p.policy() + " nice " + p.nice();
        return p.asRequested() ? s : s + "*";
    }

    // ------------------------------------------------------------------ admission

    /** Admission control's accounts, the best-effort share and the CPU model; or what happens without it. */
    public static String admission(Optional<AdmissionControl> cac, List<AtmDevice> devices, Optional<Integer> onlyItf) {
        if (cac.isEmpty()) {
            StringBuilder out = new StringBuilder("no admission control service is present (deploy org.drops.atm.cac "
                    + "into bundles/): guaranteed connections (CBR, rt-VBR, nrt-VBR) are refused; best-effort (UBR) "
                    + "connections share each interface's line rate\n");
            Table t = new Table(">itf", ">line cells/s", ">line Mbit/s");
            for (AtmDevice d : devices) {
                if (onlyItf.isEmpty() || onlyItf.get() == d.interfaceNumber()) {
                    t.row(d.interfaceNumber(), Units.cps(d.info().lineCellsPerSecond()),
                            Units.lineMbps(d.info().lineCellsPerSecond()));
                }
            }
            return t.isEmpty() ? out.toString() : out.append(t).toString();
        }
        AdmissionControl a = cac.get();
        List<AdmissionState> states = new ArrayList<>(a.states());
        states.removeIf(s -> onlyItf.isPresent() && s.itf() != onlyItf.get());
        states.sort((x, y) -> Integer.compare(x.itf(), y.itf()));
        Table t = new Table(">itf", "resource", ">capacity", ">reserved", ">free", ">used", "unit");
        Table shares = new Table(">itf", ">best-effort cells/s", ">best-effort Mbit/s", ">reservations");
        for (AdmissionState s : states) {
            for (ResourceState r : s.resources()) {
                t.row(s.itf(), r.resource(), amount(r.capacity(), r.unit()), amount(r.reserved(), r.unit()),
                        amount(r.free(), r.unit()), r.capacity() > 0 ? Units.percent(r.reserved() / r.capacity()) : "-",
                        r.unit());
            }
            shares.row(s.itf(), Units.cps(s.bestEffortCellsPerSecond()), Units.lineMbps(s.bestEffortCellsPerSecond()),
                    s.reservations().size());
        }
        StringBuilder out = new StringBuilder();
        out.append(t.isEmpty() ? "no interface has admission accounts" + onlyItf.map(i -> " (itf " + i + ")").orElse("") + "\n" : t);
        if (!shares.isEmpty()) {
            out.append('\n').append(shares);
        }
        List<String> reservations = new ArrayList<>();
        for (AdmissionState s : states) {
            for (Reservation r : s.reservations()) {
                reservations.add(String.format(Locale.ROOT, "  %s %s %s: %s cells/s, %d slots of %d bytes, CPU %s",
                        r.request().pvc(), dir(r.request().direction()),
                        r.request().qos().direction(r.request().direction()).trafficClass(),
                        Units.cps(r.bandwidthCellsPerSecond()), r.slotCount(), r.slotBytes(),
                        Units.percent(r.cpuUtilisation())));
            }
        }
        if (!reservations.isEmpty()) {
            out.append("\nreservations:\n").append(String.join("\n", reservations)).append('\n');
        }
        out.append('\n').append(cpuModel(a.cpuModel()));
        return out.toString();
    }

    static String amount(double value, String unit) {
        if (Double.isInfinite(value)) {
            return "unlimited";
        }
        if ("utilisation".equals(unit)) {
            return String.format(Locale.ROOT, "%.3f", value);
        }
        return String.format(Locale.ROOT, "%.0f", value);
    }

    /** The calibrated CPU model in one paragraph. */
    public static String cpuModel(CpuModel m) {
        if (m == null) {
            return "CPU model: none (admission control has not calibrated one)\n";
        }
        return String.format(Locale.ROOT, "CPU model, calibrated %s: transmit %.0f ns/PDU + %.3f ns/byte, receive %.0f ns/PDU "
                + "+ %.3f ns/byte; guaranteed connections may use %s of a processor%n  (%s)%n",
                m.calibratedAt(), m.transmitNanosPerPdu(), m.transmitNanosPerByte(), m.receiveNanosPerPdu(),
                m.receiveNanosPerByte(), Units.percent(m.utilisationLimit()), m.description());
    }

    // ------------------------------------------------------------------ policies

    /** The installed policies, the configured and selected one, what running connections use, and how to change. */
    public static String policies(List<Platform.PolicyInfo> policies, Optional<String> configured,
            Optional<Platform.PolicyInfo> selected, List<ConnectionStatistics> connections) {
        StringBuilder out = new StringBuilder();
        if (policies.isEmpty()) {
            out.append("no policing policy is installed: the core meters every connection with its built-in peak-rate "
                    + "meter (GCRA at the peak cell rate); deploy org.drops.atm.upc (interval-credit) or "
                    + "org.drops.atm.upc.gcra (gcra) into bundles/\n");
        } else {
            Table t = new Table("selected", "name", ">ranking", "bundle", "description");
            for (Platform.PolicyInfo p : policies) {
                t.row(selected.filter(s -> s.serviceId() == p.serviceId()).isPresent() ? "*" : "", p.name(), p.ranking(),
                        p.bundle(), p.description());
            }
            out.append(t);
        }
        String wanted = configured.orElse("");
        out.append("configured: ").append(wanted.isEmpty() ? "policy.name is not set (the highest-ranked policy is used)"
                : "policy.name = " + wanted).append(" in PID ").append(Platform.CORE_PID).append('\n');
        if (!wanted.isEmpty() && policies.stream().noneMatch(p -> p.name().equals(wanted))) {
            out.append("  ").append(wanted).append(" is not installed: ")
                    .append(selected.map(s -> "the highest-ranked, " + s.name() + ", is used until it is")
                            .orElse("connections use the built-in peak-rate meter until it is"))
                    .append('\n');
        }
        out.append("selected: ").append(selected.map(Platform.PolicyInfo::name).orElse("none (built-in peak-rate meter)"))
                .append('\n');
        Map<String, Integer> inUse = new TreeMap<>();
        for (ConnectionStatistics c : connections) {
            inUse.merge(c.policyName().isEmpty() ? "unpoliced" : c.policyName(), 1, Integer::sum);
        }
        out.append("in use: ").append(inUse.isEmpty() ? "no connections" : inUse.toString().replaceAll("[{}]", "")
                .replace("=", ": ")).append('\n');
        out.append("to select another: atm:policies select <name> (through Configuration Admin, until the next start or "
                + "a change of the file), or set policy.name in org.drops.atm.core.cfg in the configuration folder "
                + "(kept; applied at once). Running connections move over at their next interval boundary.\n");
        return out.toString();
    }

    // ------------------------------------------------------------------ events

    public static String events(List<EventLog.Entry> entries) {
        if (entries.isEmpty()) {
            return "no events yet\n";
        }
        Table t = new Table("time", "topic", "properties");
        for (EventLog.Entry e : entries) {
            StringBuilder p = new StringBuilder();
            e.properties().forEach((k, v) -> {
                if (!k.equals("timestamp")) {
                    p.append(p.length() == 0 ? "" : ", ").append(k).append('=').append(v);
                }
            });
            t.row(TIME.format(e.time()), e.shortTopic(), p);
        }
        return t.toString();
    }
}

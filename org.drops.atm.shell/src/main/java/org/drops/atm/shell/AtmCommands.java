package org.drops.atm.shell;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.apache.felix.service.command.Descriptor;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.device.AtmDevice;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.api.server.ProtocolServer;
import org.drops.atm.shell.capture.Capture;
import org.drops.atm.shell.capture.Captures;
import org.drops.atm.shell.internal.Args;
import org.drops.atm.shell.internal.BadArguments;
import org.drops.atm.shell.internal.Failed;
import org.drops.atm.shell.internal.Platform;
import org.drops.atm.shell.internal.Reader;
import org.drops.atm.shell.internal.Reports;
import org.drops.atm.shell.internal.ShellConnections;
import org.drops.atm.shell.internal.ShellConnections.Held;
import org.drops.atm.shell.internal.Table;
import org.drops.atm.shell.internal.TestSdu;
import org.drops.atm.shell.internal.TrafficJob;
import org.drops.atm.shell.internal.Units;
import org.drops.atm.shell.internal.WebStatus;
import org.drops.atm.shell.internal.Writer;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * The Gogo commands of scope {@code atm}. This component's only job is the shell: every command parses its
 * arguments, asks the platform ({@link Platform}) or its own test connections and captures, and returns text.
 * Bad arguments throw {@link BadArguments} (what was wrong, then the usage); an operation that cannot be done
 * throws {@link Failed}; Gogo prints either as one message, never a stack trace.
 */
// Immediate: Gogo gets and ungets the service around every command, and a delayed component would be disposed
// each time, with the test connections and captures it holds.
@Component(service = AtmCommands.class, configurationPid = "org.drops.atm.shell", immediate = true, property = {
        "osgi.command.scope=atm",
        "osgi.command.function=interfaces", "osgi.command.function=connections", "osgi.command.function=admission",
        "osgi.command.function=policies", "osgi.command.function=open", "osgi.command.function=close",
        "osgi.command.function=awrite", "osgi.command.function=aread", "osgi.command.function=dump",
        "osgi.command.function=events", "osgi.command.function=web"})
@Designate(ocd = ShellConfiguration.class)
public final class AtmCommands {

    private static final Logger LOG = Logger.getLogger(AtmCommands.class.getName());

    static final String INTERFACES = "atm:interfaces [-v] [itf]";
    static final String CONNECTIONS = "atm:connections [-v] [pvc|itf]";
    static final String ADMISSION = "atm:admission [itf]  |  atm:admission recalibrate";
    static final String POLICIES = "atm:policies  |  atm:policies select <name>";
    static final String OPEN = "atm:open [--tx|--rx] <pvc> <qos>  |  atm:open (lists the shell's test connections)\n"
            + "  pvc: [itf.]vpi.vci; qos: Linux-ATM text2qos, e.g. cbr:pcr=26041,sdu=8192 or ubr:pcr=20000,sdu=4096;\n"
            + "  opens every direction the qos carries (tx: connect, rx: bind), or only --tx / --rx";
    static final String CLOSE = "atm:close <pvc> [tx|rx]  |  atm:close all";
    static final String AWRITE = "atm:awrite <pvc> [qos] [-c count] [-t time] [-s bytes] [-r rate] [--llc] [-b]\n"
            + "  sends test SDUs on the shell's tx connection of pvc, or on one opened with qos for the run;\n"
            + "  -c SDUs (default 100 when no -t), -t time (10, 10s, 500ms, 2m), -s SDU bytes (default: the contract's\n"
            + "  sdu, else 8192), -r offered rate (10Mbps, 500pps; default: as fast as the contract lets it),\n"
            + "  --llc: RFC 2684 LLC/SNAP header, -b: in the background (the connection stays held until atm:close)";
    static final String AREAD = "atm:aread <pvc> [qos] [-c count] [-t time] [-x] [-b]\n"
            + "  reads SDUs on the shell's rx connection of pvc, or on one bound with qos (default ubr:tx:none) for the\n"
            + "  run; -c SDUs (default 100), -t time limit (default 10 s), -x: show the first SDU's first bytes,\n"
            + "  -b: in the background until count or time (none: until atm:close)";
    static final String DUMP = "atm:dump <pvc|itf> <file.pcap> [count|time] [-b]  |  atm:dump  |  atm:dump stop\n"
            + "  captures the AAL5 PDUs of a PVC ([itf.]vpi.vci) or of every VC of an interface (a number) into a pcap\n"
            + "  file of link type SUNATM (123) for Wireshark/tshark; count: PDUs (e.g. 100), time: 10s, 500ms, 2m\n"
            + "  (default 10s); -b: in the background; no arguments: the captures; stop: end the running ones";
    static final String EVENTS = "atm:events [count]";
    static final String WEB = "atm:web";

    private final ShellConnections held = new ShellConnections();
    private final Captures captures = new Captures();
    private volatile ShellConfiguration config;
    private volatile WebStatus web;

    @Reference
    Platform platform;

    @Activate
    void activate(ShellConfiguration c) {
        config = c;
    }

    @Modified
    void modified(ShellConfiguration c) {
        config = c;
    }

    @Deactivate
    void deactivate() {
        held.closeAll();
        for (Capture c : captures.stopAll()) {
            try {
                c.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setWeb(WebStatus w) {
        web = w;
    }

    void unsetWeb(WebStatus w) {
        if (web == w) {
            web = null;
        }
    }

    // ================================================================== commands

    @Descriptor("the ATM interfaces: link, line rate, cells and PDUs in and out, HEC and CRC errors, receive pool use; "
            + "-v: every counter of the driver")
    public String interfaces(@Descriptor(INTERFACES) String... args) {
        return run(() -> {
            Args a = Args.parse("atm:interfaces", INTERFACES, args, List.of(), List.of("-v")).positionalCount(0, 1, "itf");
            Optional<Integer> itf = a.positional(0).map(t -> a.convert("itf", t, AtmCommands::itf));
            List<AtmDevice> devices = new ArrayList<>(platform.devices());
            if (itf.isPresent()) {
                devices.removeIf(d -> d.interfaceNumber() != itf.get());
                if (devices.isEmpty()) {
                    throw new Failed("atm:interfaces: no interface " + itf.get() + " (interfaces: " + itfs() + ")");
                }
            }
            Set<Integer> served = new TreeSet<>();
            platform.server().ifPresent(s -> s.interfaces().forEach(i -> served.add(i.itf())));
            return a.flag("-v") ? Reports.interfacesVerbose(devices, served) : Reports.interfaces(devices, served);
        });
    }

    @Descriptor("one row per connection: PVC, class, contract, measured rate, credit and interval, policy, drops, "
            + "worker priority granted; -v: every counter")
    public String connections(@Descriptor(CONNECTIONS) String... args) {
        return run(() -> {
            Args a = Args.parse("atm:connections", CONNECTIONS, args, List.of(), List.of("-v")).positionalCount(0, 1, "pvc|itf");
            ProtocolServer server = platform.server().orElseThrow(() -> new Failed(
                    "atm:connections: the protocol server (bundle org.drops.atm.core) is not running"));
            List<ConnectionStatistics> list = new ArrayList<>(server.connections());
            a.positional(0).ifPresent(filter -> {
                if (filter.matches("\\d+")) {
                    int itf = a.convert("itf", filter, AtmCommands::itf);
                    if (platform.devices().stream().noneMatch(d -> d.interfaceNumber() == itf)) {
                        // as atm:interfaces: an interface that does not exist is a failure, not "no connections"
                        throw new Failed("atm:connections: no interface " + itf + " (interfaces: " + itfs() + ")");
                    }
                    list.removeIf(c -> c.pvc() == null || c.pvc().itf() != itf);
                } else {
                    PvcAddress pvc = a.convert("pvc", filter, AtmCommands::anyPvc);
                    list.removeIf(c -> !pvc.equals(c.pvc()));
                }
            });
            return a.flag("-v") ? Reports.connectionsVerbose(list, held.keys()) : Reports.connections(list, held.keys());
        });
    }

    @Descriptor("admission control per interface and resource: capacity, reserved, free, the best-effort share, the "
            + "calibrated CPU model; recalibrate: measure the CPU model again")
    public String admission(@Descriptor(ADMISSION) String... args) {
        return run(() -> {
            Args a = Args.parse("atm:admission", ADMISSION, args, List.of(), List.of()).positionalCount(0, 1, "itf");
            Optional<AdmissionControl> cac = platform.admission();
            if (a.positional(0).filter("recalibrate"::equals).isPresent()) {
                AdmissionControl c = cac.orElseThrow(() -> new Failed(
                        "atm:admission recalibrate: no admission control service is present (bundle org.drops.atm.cac)"));
                CpuModel before = c.cpuModel();
                CpuModel after = c.recalibrate();
                return "before: " + Reports.cpuModel(before) + "after:  " + Reports.cpuModel(after);
            }
            Optional<Integer> itf = a.positional(0).map(t -> a.convert("itf", t, AtmCommands::itf));
            if (itf.isPresent() && platform.devices().stream().noneMatch(d -> d.interfaceNumber() == itf.get())) {
                // as atm:interfaces: an interface that does not exist is a failure, not an empty report
                throw new Failed("atm:admission: no interface " + itf.get() + " (interfaces: " + itfs() + ")");
            }
            return Reports.admission(cac, platform.devices(), itf);
        });
    }

    @Descriptor("the policing policies: which are installed, which is selected, what connections use, how to select "
            + "another; select <name>: select one through Configuration Admin")
    public String policies(@Descriptor(POLICIES) String... args) {
        return run(() -> {
            Args a = Args.parse("atm:policies", POLICIES, args, List.of(), List.of()).positionalCount(0, 2, "select", "name");
            List<ConnectionStatistics> connections = platform.server().map(ProtocolServer::connections).orElse(List.of());
            if (a.positionalCount() > 0) {
                if (!a.positional(0).get().equals("select")) {
                    throw a.bad("unknown subcommand \"" + a.positional(0).get() + "\" (only: select)");
                }
                String name = a.positional(1).orElseThrow(() -> a.bad("select needs a policy name"));
                List<Platform.PolicyInfo> installed = platform.policies();
                if (installed.stream().noneMatch(p -> p.name().equals(name))) {
                    throw new Failed("atm:policies select: no policy named \"" + name + "\" is installed (installed: "
                            + (installed.isEmpty() ? "none" : String.join(", ", installed.stream().map(Platform.PolicyInfo::name).toList()))
                            + "); to choose one that is not deployed yet, set policy.name in org.drops.atm.core.cfg");
                }
                try {
                    platform.configurePolicy(name);
                } catch (IOException e) {
                    throw new Failed("atm:policies select " + name + ": " + e.getMessage());
                }
                return "policy.name = " + name + " set in " + Platform.CORE_PID + "; running connections move over at "
                        + "their next interval boundary\n";
            }
            return Reports.policies(platform.policies(), platform.configuredPolicy(), platform.selectedPolicy(), connections);
        });
    }

    @Descriptor("opens a test connection that the shell holds until atm:close; without arguments, lists them")
    public String open(@Descriptor(OPEN) String... args) {
        return run(() -> {
            Args a = Args.parse("atm:open", OPEN, args, List.of(), List.of("--tx", "--rx"));
            if (a.positionalCount() == 0 && !a.flag("--tx") && !a.flag("--rx")) {
                return heldList();
            }
            a.positionalCount(2, 2, "<pvc>", "<qos>");
            PvcAddress pvc = a.convert("pvc", a.positional(0).get(), PvcAddress::parse);
            Qos qos = a.convert("qos", a.positional(1).get(), Qos::parse);
            List<Direction> directions = new ArrayList<>();
            for (Direction d : Direction.values()) {
                boolean asked = d == Direction.TRANSMIT ? a.flag("--tx") : a.flag("--rx");
                boolean any = !a.flag("--tx") && !a.flag("--rx");
                if (asked && !qos.direction(d).carriesTraffic()) {
                    throw a.bad("qos \"" + a.positional(1).get() + "\" carries no " + dir(d) + " traffic");
                }
                if ((asked || any) && qos.direction(d).carriesTraffic()) {
                    directions.add(d);
                }
            }
            AtmSocketFactory sockets = sockets("atm:open");
            List<Held> opened = held.open(sockets, "atm:open", pvc, qos, directions);
            StringBuilder out = new StringBuilder();
            for (Held h : opened) {
                out.append("opened ").append(h.pvc).append(' ').append(dir(h.direction)).append(' ')
                        .append(qos.direction(h.direction).trafficClass()).append(' ')
                        .append(Reports.contract(qos.direction(h.direction))).append(", policy ")
                        .append(orNone(h.socket.statistics().policyName())).append('\n');
            }
            return out.toString();
        });
    }

    @Descriptor("closes the shell's test connections of a PVC (stopping their traffic), or all of them")
    public String close(@Descriptor(CLOSE) String... args) {
        return run(() -> {
            Args a = Args.parse("atm:close", CLOSE, args, List.of(), List.of()).positionalCount(1, 2, "<pvc>", "tx|rx");
            String first = a.positional(0).get();
            List<Held> closed;
            if (first.equals("all")) {
                if (a.positionalCount() > 1) {
                    throw a.bad("all takes no direction");
                }
                closed = held.closeAll();
            } else {
                PvcAddress pvc = a.convert("pvc", first, PvcAddress::parse);
                Direction d = a.positional(1).map(t -> switch (t) {
                    case "tx" -> Direction.TRANSMIT;
                    case "rx" -> Direction.RECEIVE;
                    default -> throw a.bad("direction \"" + t + "\": tx or rx");
                }).orElse(null);
                closed = held.close(pvc, d);
                if (closed.isEmpty()) {
                    throw new Failed("atm:close " + first + ": the shell holds no " + (d == null ? "" : dir(d) + " ")
                            + "connection on " + pvc + " (it closes only its own; it holds: " + heldKeys() + ")");
                }
            }
            StringBuilder out = new StringBuilder();
            for (Held h : closed) {
                out.append("closed ").append(h.pvc).append(' ').append(dir(h.direction)).append('\n');
                h.job().ifPresent(j -> out.append(indent(j.report())));
            }
            return out.length() == 0 ? "the shell holds no connections\n" : out.toString();
        });
    }

    @Descriptor("sends test traffic (count, time, SDU size, offered rate) and reports the rates, like Linux-ATM's awrite")
    public String awrite(@Descriptor(AWRITE) String... args) {
        return run(() -> {
            Args a = Args.parse("atm:awrite", AWRITE, args, List.of("-c", "-t", "-s", "-r"), List.of("--llc", "-b"))
                    .positionalCount(1, 2, "<pvc>", "[qos]");
            PvcAddress pvc = a.convert("pvc", a.positional(0).get(), PvcAddress::parse);
            Optional<Qos> qos = a.positional(1).map(t -> a.convert("qos", t, Qos::parse));
            Optional<Long> count = a.option("-c", Units::count);
            Optional<Long> time = a.option("-t", Units::nanos);
            boolean llc = a.flag("--llc");
            boolean background = a.flag("-b");
            Optional<Held> existing = held.get(pvc, Direction.TRANSMIT);
            Qos contract = contract(a, "atm:awrite", pvc, Direction.TRANSMIT, existing, qos);
            TrafficParameters tx = contract.tx();
            int maxSdu = tx.effectiveMaxSduBytes(Aal.AAL5);
            int sdu = a.option("-s", Units::sduBytes).orElse(tx.maxSduBytes() > 0 ? tx.maxSduBytes()
                    : Math.min(config.default_sdu_bytes(), maxSdu));
            if (sdu > maxSdu) {
                throw a.bad("-s " + sdu + ": the contract's max_sdu is " + maxSdu + " bytes");
            }
            if (sdu < TestSdu.minBytes(llc)) {
                throw a.bad("-s " + sdu + ": a test SDU carries a " + TestSdu.minBytes(llc) + "-byte header"
                        + (llc ? " with --llc" : "") + "; give at least that");
            }
            double rate = a.option("-r", r -> Units.sdusPerSecond(r, sdu)).orElse(0.0);
            long n = count.orElse(time.isPresent() || background ? Long.MAX_VALUE : config.default_count());
            return traffic("atm:awrite", pvc, Direction.TRANSMIT, contract, existing, background,
                    socket -> new Writer(pvc, socket, n, time.orElse(0L), sdu, llc, rate));
        });
    }

    @Descriptor("receives test traffic until a count or a time and reports the rate and sequence, like Linux-ATM's aread")
    public String aread(@Descriptor(AREAD) String... args) {
        return run(() -> {
            Args a = Args.parse("atm:aread", AREAD, args, List.of("-c", "-t"), List.of("-x", "-b"))
                    .positionalCount(1, 2, "<pvc>", "[qos]");
            PvcAddress pvc = a.convert("pvc", a.positional(0).get(), PvcAddress::parse);
            Optional<Qos> qos = a.positional(1).map(t -> a.convert("qos", t, Qos::parse));
            boolean background = a.flag("-b");
            Optional<Held> existing = held.get(pvc, Direction.RECEIVE);
            Qos contract = existing.isEmpty() && qos.isEmpty() ? Qos.parse("ubr:tx:none")
                    : contract(a, "atm:aread", pvc, Direction.RECEIVE, existing, qos);
            long n = a.option("-c", Units::count).orElse(background ? Long.MAX_VALUE : config.default_count());
            long time = a.option("-t", Units::nanos).orElse(background ? 0L : config.aread_seconds() * 1_000_000_000L);
            boolean dump = a.flag("-x");
            return traffic("atm:aread", pvc, Direction.RECEIVE, contract, existing, background,
                    socket -> new Reader(pvc, socket, n, time, dump));
        });
    }

    @Descriptor("captures the AAL5 PDUs of a PVC or an interface into a pcap file (link type SUNATM) for Wireshark")
    public String dump(@Descriptor(DUMP) String... args) {
        return run(() -> {
            Args a = Args.parse("atm:dump", DUMP, args, List.of(), List.of("-b"));
            if (a.positionalCount() == 0 && !a.flag("-b")) {
                return captureList();
            }
            if (a.positional(0).filter("stop"::equals).isPresent()) {
                a.positionalCount(1, 1, "stop"); // "atm:dump stop now": an unexpected argument, not a PVC "stop"
                List<Capture> stopped = captures.stopAll();
                StringBuilder out = new StringBuilder();
                for (Capture c : stopped) {
                    awaitCapture(c);
                    out.append(c.report());
                }
                return stopped.isEmpty() ? "no capture is running\n" : out.toString();
            }
            a.positionalCount(2, 3, "<pvc|itf>", "<file.pcap>", "[count|time]");
            String targetText = a.positional(0).get();
            int itf;
            int vpi = -1;
            int vci = -1;
            if (targetText.matches("\\d+")) {
                itf = a.convert("itf", targetText, AtmCommands::itf);
            } else {
                PvcAddress pvc = a.convert("pvc", targetText, AtmCommands::anyPvc);
                itf = pvc.itf();
                vpi = pvc.vpi();
                vci = pvc.vci();
            }
            long maxPdus = Long.MAX_VALUE;
            long nanos = config.dump_seconds() * 1_000_000_000L;
            if (a.positional(2).isPresent()) {
                String limit = a.positional(2).get();
                if (limit.matches("\\d+")) {
                    maxPdus = a.convert("count", limit, Units::count);
                    nanos = config.dump_max_seconds() * 1_000_000_000L;
                } else {
                    nanos = a.convert("time", limit, Units::nanos);
                }
            }
            Path file = Path.of(a.positional(1).get()).toAbsolutePath().normalize();
            if (file.getParent() != null && !Files.isDirectory(file.getParent())) {
                throw a.bad("file \"" + a.positional(1).get() + "\": the folder " + file.getParent() + " does not exist");
            }
            if (Files.isDirectory(file)) {
                throw a.bad("file \"" + a.positional(1).get() + "\" is a folder");
            }
            AtmDevice device = platform.device(itf).orElseThrow(() -> new Failed(
                    "atm:dump " + targetText + ": no interface " + itf + " (interfaces: " + itfs() + ")"));
            Capture capture;
            try {
                capture = new Capture(captures.nextId(), targetText, vpi, vci, file, maxPdus, nanos,
                        config.capture_buffer_bytes());
            } catch (IOException e) {
                throw new Failed("atm:dump " + targetText + ": cannot write " + file + ": " + e);
            }
            capture.start(device);
            captures.add(capture);
            if (a.flag("-b")) {
                return "capturing " + targetText + " into " + file + " in the background (#" + capture.id()
                        + "); atm:dump lists it, atm:dump stop ends it\n";
            }
            awaitCapture(capture);
            return capture.report();
        });
    }

    @Descriptor("the last platform events the shell has seen since it started (Event Admin topics org/drops/atm/...): "
            + "connections opened, closed, refused; policy changed; interfaces up and down")
    public String events(@Descriptor(EVENTS) String... args) {
        return run(() -> {
            Args a = Args.parse("atm:events", EVENTS, args, List.of(), List.of()).positionalCount(0, 1, "count");
            int n = (int) Math.min(1000, a.positional(0).map(t -> a.convert("count", t, Units::count)).orElse(20L));
            return Reports.events(platform.events().last(n));
        });
    }

    @Descriptor("where the live rate page is served and what it samples")
    public String web(@Descriptor(WEB) String... args) {
        return run(() -> {
            Args.parse("atm:web", WEB, args, List.of(), List.of()).positionalCount(0, 0);
            WebStatus w = web;
            if (w == null) {
                return "the rate page is not served: no Http Whiteboard (Felix HTTP) is running, or its component is "
                        + "not active\n";
            }
            return w.url() + "\n" + w.describe();
        });
    }

    // ================================================================== helpers

    /** Runs a command body: bad arguments and failures pass through; anything else becomes a one-line failure. */
    private static String run(Supplier<String> body) {
        try {
            String out = body.get();
            // Gogo ends every result with a line break of its own
            return out.endsWith("\n") ? out.substring(0, out.length() - 1) : out;
        } catch (BadArguments | Failed e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "an atm command failed unexpectedly", e);
            throw new Failed("unexpected " + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + " (the platform log has the details)");
        }
    }

    private interface JobFactory {
        TrafficJob create(AtmSocket socket);
    }

    /**
     * Runs a job on the held connection, or on one opened for the run (closed after it, unless in the
     * background, where the shell holds it until atm:close).
     */
    private String traffic(String command, PvcAddress pvc, Direction direction, Qos qos, Optional<Held> existing,
            boolean background, JobFactory factory) {
        if (background) {
            Held h = existing.orElseGet(() -> held.open(sockets(command), command, pvc, qos, List.of(direction)).get(0));
            TrafficJob job = factory.create(h.socket);
            held.attach(h, job);
            job.startInBackground();
            return command + " " + pvc + ": running in the background on " + dir(direction) + " " + qos.direction(direction).trafficClass()
                    + " " + Reports.contract(qos.direction(direction)) + "; atm:open lists it, atm:close " + pvc + " ends it\n";
        }
        if (existing.isPresent()) {
            TrafficJob job = factory.create(existing.get().socket);
            held.attach(existing.get(), job);
            job.run();
            return job.report();
        }
        AtmSocket socket = ShellConnections.openSocket(sockets(command), command, pvc, direction, qos);
        try {
            TrafficJob job = factory.create(socket);
            job.run();
            return job.report();
        } finally {
            socket.close();
        }
    }

    /** The contract for a traffic command: the held connection's, or the one given; never two different ones. */
    private static Qos contract(Args a, String command, PvcAddress pvc, Direction direction, Optional<Held> existing,
            Optional<Qos> given) {
        if (existing.isPresent()) {
            Qos holding = existing.get().qos;
            if (given.isPresent() && !given.get().equals(holding)) {
                throw a.bad("the shell holds " + pvc + " " + dir(direction) + " with " + holding + "; omit the qos to use "
                        + "it, or atm:close " + pvc + " first");
            }
            return holding;
        }
        Qos q = given.orElseThrow(() -> a.bad("the shell holds no " + dir(direction) + " connection on " + pvc
                + ": give a qos (e.g. " + (direction == Direction.TRANSMIT ? "ubr:pcr=20000,sdu=8192" : "ubr:tx:none")
                + ") or atm:open it first"));
        if (!q.direction(direction).carriesTraffic()) {
            throw a.bad("qos \"" + q + "\" carries no " + dir(direction) + " traffic");
        }
        return q;
    }

    private AtmSocketFactory sockets(String command) {
        return platform.sockets().orElseThrow(() -> new Failed(command
                + ": the socket service (bundle org.drops.atm.socket) is not running"));
    }

    private String heldList() {
        List<Held> all = held.all();
        String service = platform.sockets().isPresent() ? ""
                : "the socket service (bundle org.drops.atm.socket) is not running: atm:open, atm:awrite and atm:aread need it\n";
        if (all.isEmpty()) {
            return service + "the shell holds no test connections (atm:open <pvc> <qos> opens one)\n";
        }
        Table t = new Table("pvc", "dir", "class", "contract", "job", "state", "progress");
        for (Held h : all) {
            TrafficParameters tp = h.qos.direction(h.direction);
            Optional<TrafficJob> job = h.job();
            t.row(h.pvc, dir(h.direction), tp.trafficClass(), Reports.contract(tp),
                    job.map(TrafficJob::command).orElse("-"),
                    job.map(j -> j.state().name().toLowerCase(Locale.ROOT) + (j.ending().isEmpty() ? "" : ": " + j.ending()))
                            .orElse(h.socket.state().name().toLowerCase(Locale.ROOT)),
                    job.map(TrafficJob::progress).orElse(""));
        }
        return service + t;
    }

    private String heldKeys() {
        List<String> keys = new ArrayList<>();
        for (Held h : held.all()) {
            keys.add(h.pvc + " " + dir(h.direction));
        }
        return keys.isEmpty() ? "nothing" : String.join(", ", keys);
    }

    private String captureList() {
        List<Capture> all = captures.all();
        if (all.isEmpty()) {
            return "no captures (atm:dump <pvc|itf> <file.pcap> starts one)\n";
        }
        StringBuilder out = new StringBuilder();
        for (Capture c : all) {
            out.append(c.line()).append('\n');
        }
        return out.toString();
    }

    private static void awaitCapture(Capture c) {
        try {
            c.await(Long.MAX_VALUE, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            c.stop();
            Thread.currentThread().interrupt();
        }
    }

    private String itfs() {
        List<String> numbers = new ArrayList<>();
        for (AtmDevice d : platform.devices()) {
            numbers.add(Integer.toString(d.interfaceNumber()));
        }
        return numbers.isEmpty() ? "none" : String.join(", ", numbers);
    }

    static int itf(String text) {
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an interface number");
        }
        if (n < 0 || n > PvcAddress.MAX_ITF) {
            throw new IllegalArgumentException("an interface number is 0.." + PvcAddress.MAX_ITF);
        }
        return n;
    }

    /** A PVC to look at or capture: reserved VCIs and NNI VPIs allowed. */
    static PvcAddress anyPvc(String text) {
        return PvcAddress.parse(text, PvcAddress.Option.ALLOW_RESERVED, PvcAddress.Option.NNI);
    }

    private static String dir(Direction d) {
        return d == Direction.TRANSMIT ? "tx" : "rx";
    }

    private static String orNone(String s) {
        return s == null || s.isEmpty() ? "none" : s;
    }

    private static String indent(String text) {
        return "  " + text.strip().replace("\n", "\n  ") + "\n";
    }
}

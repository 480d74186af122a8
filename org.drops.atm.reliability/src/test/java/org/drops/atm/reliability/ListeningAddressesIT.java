package org.drops.atm.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.drops.atm.itest.Namespaces;
import org.drops.atm.itest.RunningPlatform;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Issue 10, security: everything the real platform ({@code run/atm}) listens on — the Gogo telnet daemon, Felix
 * HTTP's rate page, the UDP link's socket — is bound to loopback or to the configured address, never to a wildcard
 * (0.0.0.0, ::), read from the kernel: the platform's socket inodes ({@code /proc/PID/fd}) matched to
 * {@code /proc/PID/net/{tcp,tcp6,udp,udp6}}. And the UDP link takes cells only from its configured peer: valid cells
 * for an open VC from another port or another address of the peer's host are counted as foreign and never delivered,
 * while the same cells from the peer are. Needs root and iproute2; interfaces 91 and 92.
 */
public class ListeningAddressesIT {

    static final Pattern COUNTER = Pattern.compile("^\\s+(\\w+) (-?\\d+)$", Pattern.MULTILINE);
    static final Pattern RECEIVED = Pattern.compile("(\\d+) SDUs received");

    /** A socket of the platform's processes, as the kernel lists it. */
    record Listener(String protocol, InetAddress address, int port) {
        boolean loopback() {
            return address.isLoopbackAddress();
        }

        @Override
        public String toString() {
            return protocol + " " + address.getHostAddress() + ":" + port;
        }
    }

    static final String PLATFORM_NS_SUFFIX = "netem-sec";
    static final String PEER_NS_SUFFIX = "netem-secpeer";

    static Namespaces namespaces;
    static String platformNs;
    static String peerNs;
    static int hostUdpPort;
    static RunningPlatform onHost;
    static RunningPlatform inNamespace;

    /** Both platforms start at once: one on the host, one in a namespace with a veth address. */
    @BeforeClass
    public static void startPlatforms() throws Exception {
        LossyLinkIT.removeOwnLeftovers();
        namespaces = new Namespaces();
        platformNs = namespaces.create(PLATFORM_NS_SUFFIX);
        peerNs = namespaces.create(PEER_NS_SUFFIX);
        String link = LossyLinkIT.LINK_PREFIX + "S";
        String peerLink = LossyLinkIT.LINK_PREFIX + "P";
        Namespaces.run("ip", "link", "add", link, "type", "veth", "peer", "name", peerLink).check();
        Namespaces.run("ip", "link", "set", link, "netns", platformNs).check();
        Namespaces.run("ip", "link", "set", peerLink, "netns", peerNs).check();
        Namespaces.run("ip", "-n", platformNs, "addr", "add", "10.219.3.1/24", "dev", link).check();
        Namespaces.run("ip", "-n", peerNs, "addr", "add", "10.219.3.2/24", "dev", peerLink).check();
        Namespaces.run("ip", "-n", peerNs, "addr", "add", "10.219.3.3/24", "dev", peerLink).check();
        Namespaces.run("ip", "-n", platformNs, "link", "set", link, "up").check();
        Namespaces.run("ip", "-n", peerNs, "link", "set", peerLink, "up").check();

        Path hostWork = LossyLinkIT.freshWorkDir("listen-host");
        RunningPlatform.useDefaultConfiguration(hostWork);
        int[] ports = RunningPlatform.freeLoopbackPorts(2);
        hostUdpPort = ports[0];
        Files.writeString(RunningPlatform.configDir(hostWork).resolve("org.drops.atm.driver.pca200e.interface-listen.cfg"),
                String.join("\n", "atm.itf = 91", "link = udp", "udp.local = 127.0.0.1:" + ports[0],
                        "udp.peer = 127.0.0.1:" + ports[1], ""), StandardCharsets.UTF_8);
        Path nsWork = LossyLinkIT.freshWorkDir("listen-netns");
        Files.createDirectories(RunningPlatform.configDir(nsWork));
        Files.writeString(RunningPlatform.configDir(nsWork).resolve("org.drops.atm.driver.pca200e.interface-sec.cfg"),
                String.join("\n", "atm.itf = 92", "link = udp", "udp.local = 10.219.3.1:2812",
                        "udp.peer = 10.219.3.2:2812", ""), StandardCharsets.UTF_8);
        CompletableFuture<RunningPlatform> host = CompletableFuture.supplyAsync(() -> start(null, hostWork));
        CompletableFuture<RunningPlatform> netns = CompletableFuture.supplyAsync(() -> start(platformNs, nsWork));
        onHost = host.exceptionally(e -> null).join();
        inNamespace = netns.exceptionally(e -> null).join();
        host.join();
        netns.join();
    }

    @AfterClass
    public static void stopPlatforms() throws IOException {
        try {
            for (RunningPlatform p : new RunningPlatform[] {onHost, inNamespace}) {
                if (p != null) {
                    p.close();
                }
            }
        } finally {
            if (namespaces != null) {
                namespaces.close();
            }
        }
    }

    private static RunningPlatform start(String netns, Path work) {
        try {
            return RunningPlatform.startIn(netns, work);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The platform as a user starts it, plus a UDP interface on loopback: every listener on 127.0.0.1. */
    @Test
    public void onTheHostEverythingThePlatformListensOnIsLoopback() throws Exception {
        RunningPlatform p = onHost;
        awaitListeners(p);
        List<Listener> listeners = listeners(p);
        System.out.println("platform on the host listens on: " + listeners);
        assertListening(listeners, "tcp", p.telnetPort, "the Gogo telnet daemon");
        assertListening(listeners, "tcp", p.httpPort, "Felix HTTP (the rate page)");
        assertListening(listeners, "udp", hostUdpPort, "the UDP link");
        for (Listener l : listeners) {
            assertTrue("bound wider than loopback: " + l + " (all: " + listeners + ")", l.loopback());
        }
    }

    /**
     * In a namespace with a veth address: the UDP link binds that address (not the wildcard), telnet and HTTP
     * stay on loopback; datagrams of valid cells from a foreign port or address are counted and not delivered, the
     * same from the configured peer are.
     */
    @Test
    public void theUdpLinkBindsItsConfiguredAddressAndTakesCellsOnlyFromItsPeer() throws Exception {
        RunningPlatform p = inNamespace;
        awaitListeners(p);
        List<Listener> listeners = listeners(p);
        System.out.println("platform in " + platformNs + " listens on: " + listeners);
        assertListening(listeners, "tcp", p.telnetPort, "the Gogo telnet daemon");
        assertListening(listeners, "tcp", p.httpPort, "Felix HTTP (the rate page)");
        InetAddress configured = InetAddress.getByName("10.219.3.1");
        assertTrue("the UDP link on 10.219.3.1:2812: " + listeners,
                listeners.contains(new Listener("udp", configured, 2812)));
        for (Listener l : listeners) {
            assertTrue("bound wider than loopback or the configured address: " + l + " (all: " + listeners + ")",
                    l.loopback() || l.address().equals(configured));
        }

        String pvc = "92.0.100";
        p.atm("atm:aread " + pvc + " ubr:sdu=1500 -b");
        Map<String, Long> before = counters(p);
        // valid cells for the open VC, from the peer's host but another port, and from another address
        foreign(peerNs, "10.219.3.2:2999", 50, 0);
        foreign(peerNs, "10.219.3.3:2812", 50, 50);
        Map<String, Long> after = awaitCounter(p, "foreignDatagrams", before.get("foreignDatagrams") + 100);
        assertEquals("foreign datagrams counted", 100, after.get("foreignDatagrams") - before.get("foreignDatagrams"));
        assertEquals("cells of foreign datagrams reached the card", before.get("cellsIn"), after.get("cellsIn"));
        assertEquals("PDUs delivered from foreign datagrams", before.get("pdusIn"), after.get("pdusIn"));
        assertEquals("SDUs the reader got from foreign datagrams", 0, received(p, pvc));
        // the same cells from the configured peer are delivered: they were valid
        foreign(peerNs, "10.219.3.2:2812", 20, 1000);
        awaitCounter(p, "pdusIn", after.get("pdusIn") + 20);
        // the card delivered them to the core; wait until the reader has taken what its ring held
        long end = System.nanoTime() + 10_000_000_000L;
        for (long last = -1, now = received(p, pvc); now != last && now < 20 && System.nanoTime() - end < 0; ) {
            RunningPlatform.sleep(Duration.ofMillis(300));
            last = now;
            now = received(p, pvc);
        }
        String report = p.atm("atm:close " + pvc);
        System.out.println(report);
        Matcher t = LossyLinkIT.find(LossyLinkIT.TEST_SDUS, report);
        long delivered = Long.parseLong(t.group(1));
        long ringFull = Long.parseLong(LossyLinkIT.find(LossyLinkIT.CONNECTION_DROPS, report).group(2));
        assertEquals("the peer's 20 SDUs: delivered or dropped at the reader's full ring\n" + report, 20, delivered + ringFull);
        assertTrue(report, delivered > 0 && t.group(2).equals("1000"));
        assertEquals(report, "0", t.group(5));
        assertEquals(report, "0", t.group(6));
        assertEquals("still 100 foreign", 100, counters(p).get("foreignDatagrams") - before.get("foreignDatagrams"));
    }

    // ------------------------------------------------------------------ helpers

    private static void foreign(String netns, String from, int count, long firstSequence) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Namespaces.Result r = Namespaces.exec(netns, java, "-XX:+UseSerialGC", "-cp", System.getProperty("atm.itest.classes"),
                ForeignCells.class.getName(), from, "10.219.3.1:2812", "0", "100", Integer.toString(count),
                Long.toString(firstSequence)).check();
        assertTrue(r.output(), r.output().contains("sent " + count));
    }

    private static long received(RunningPlatform p, String pvc) {
        String open = p.atm("atm:open");
        return open.lines().filter(l -> l.startsWith(pvc + " ")).map(RECEIVED::matcher).filter(Matcher::find)
                .mapToLong(m -> Long.parseLong(m.group(1))).findFirst()
                .orElseThrow(() -> new AssertionError("no reader on " + pvc + ":\n" + open));
    }

    private static Map<String, Long> counters(RunningPlatform p) {
        String out = p.atm("atm:interfaces -v 92");
        Map<String, Long> values = new HashMap<>();
        Matcher m = COUNTER.matcher(out);
        while (m.find()) {
            values.put(m.group(1), Long.parseLong(m.group(2)));
        }
        assertTrue(out, values.containsKey("foreignDatagrams"));
        return values;
    }

    private static Map<String, Long> awaitCounter(RunningPlatform p, String name, long value) {
        long end = System.nanoTime() + 10_000_000_000L;
        Map<String, Long> c = counters(p);
        while (c.get(name) < value && System.nanoTime() - end < 0) {
            RunningPlatform.sleep(Duration.ofMillis(50));
            c = counters(p);
        }
        return c;
    }

    /** Waits until the rate page is served (Felix HTTP binds its port when the bundle has started). */
    private static void awaitListeners(RunningPlatform p) {
        p.awaitAtm(Duration.ofSeconds(60), out -> out.contains("http://127.0.0.1:" + p.httpPort), "the rate page served",
                "atm:web");
        p.awaitAtm(Duration.ofSeconds(60), out -> out.contains(" udp ") && out.contains("yes"), "the UDP interface up",
                "atm:interfaces");
        p.awaitAtm(Duration.ofSeconds(60), out -> !out.contains("is not running"), "the socket service running", "atm:open");
    }

    private static void assertListening(List<Listener> listeners, String protocol, int port, String what) {
        assertTrue(what + " (" + protocol + " port " + port + ") not among " + listeners,
                listeners.stream().anyMatch(l -> l.protocol().equals(protocol) && l.port() == port));
    }

    /** Every TCP socket in LISTEN and every UDP socket the platform's processes hold, from the kernel's tables. */
    static List<Listener> listeners(RunningPlatform p) throws IOException {
        Set<Long> inodes = new HashSet<>();
        List<Long> pids = new ArrayList<>();
        for (ProcessHandle h : p.processTree()) {
            pids.add(h.pid());
            Path fds = Path.of("/proc", Long.toString(h.pid()), "fd");
            try (DirectoryStream<Path> all = Files.newDirectoryStream(fds)) {
                for (Path fd : all) {
                    try {
                        String target = Files.readSymbolicLink(fd).toString();
                        if (target.startsWith("socket:[")) {
                            inodes.add(Long.parseLong(target.substring(8, target.length() - 1)));
                        }
                    } catch (IOException closedMeanwhile) {
                        // a descriptor closed while listing
                    }
                }
            } catch (IOException gone) {
                // a short-lived child (the start script's helpers)
            }
        }
        assertTrue("no sockets found for processes " + pids, !inodes.isEmpty());
        List<Listener> found = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (long pid : pids) {
            for (String table : new String[] {"tcp", "tcp6", "udp", "udp6"}) {
                Path file = Path.of("/proc", Long.toString(pid), "net", table);
                List<String> lines;
                try {
                    lines = Files.readAllLines(file);
                } catch (IOException gone) {
                    continue;
                }
                for (String line : lines.subList(1, lines.size())) {
                    String[] f = line.trim().split("\\s+");
                    long inode = Long.parseLong(f[9]);
                    boolean tcp = table.startsWith("tcp");
                    if (!inodes.contains(inode) || (tcp && !f[3].equals("0A")) || !seen.add(table + inode)) {
                        continue;
                    }
                    String[] local = f[1].split(":");
                    found.add(new Listener(tcp ? "tcp" : "udp", address(local[0]), Integer.parseInt(local[1], 16)));
                }
            }
        }
        return found;
    }

    /** The kernel's hex address: IPv4 one little-endian word, IPv6 four; IPv4-mapped IPv6 as IPv4. */
    static InetAddress address(String hex) throws IOException {
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int b = 0; b < 4; b++) {
                bytes[word * 4 + b] = (byte) Integer.parseInt(hex.substring(word * 8 + (3 - b) * 2, word * 8 + (3 - b) * 2 + 2), 16);
            }
        }
        return InetAddress.getByAddress(bytes); // ::ffff:a.b.c.d comes back as an Inet4Address
    }
}

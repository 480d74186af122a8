package org.drops.atm.reliability;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.drops.atm.itest.Namespaces;
import org.drops.atm.itest.RunningPlatform;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Test;
import org.junit.runners.MethodSorters;

/**
 * Issue 10, the lossy link: two real platforms ({@code run/atm}), each in a network namespace of its own, joined by
 * the UDP link through a third namespace that impairs the datagrams as {@code tc netem delay 2ms 1ms distribution
 * normal loss 1% duplicate 0.1% reorder 5% 50%} does, both ways ({@link NetemRelay}: this VM's kernel has no
 * {@code sch_netem}). A CBR connection (8192-byte SDUs, 20 Mbit/s) and a UBR one (1500-byte SDUs) carry the shell's
 * test SDUs (sequence number and a checked filler). No SDU may be delivered damaged, twice or out of order; every
 * datagram is accounted for; the guaranteed stream's loss is what the datagram loss explains; and a cut link
 * (veth down), once restored, carries traffic again within 2 s on the connection that stayed open.
 *
 * <pre>
 *  ns netem-a            ns netem-m (relay)                 ns netem-b
 *  platform A  datmiNmA ---- datmiNmAm   NetemRelay   datmiNmBm ---- datmiNmB  platform B
 *  10.219.1.1:2812           10.219.1.254:2812  10.219.2.254:2812          10.219.2.1:2812
 * </pre>
 *
 * Needs root, iproute2; interface 90 on both platforms.
 */
// The lossy phase runs first: its datagram accounting is a before/after difference, and a datagram the relay lost at
// the very end of the cut test is counted as a gap by the card only when the next one arrives, inside that window
// (seen once in CI: 133 gaps against 132 lost).
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class LossyLinkIT {

    static final String NS_PREFIX = Namespaces.PREFIX + "netem-";
    static final String LINK_PREFIX = Namespaces.LINK_PREFIX + "Nm";
    static final int ITF = 90;
    static final int PORT = 2812;
    static final String A_ADDRESS = "10.219.1.1";
    static final String A_RELAY = "10.219.1.254";
    static final String B_ADDRESS = "10.219.2.1";
    static final String B_RELAY = "10.219.2.254";
    /** 20 Mbit/s of 8192-byte SDUs (171 cells each): CellRates.aal5CellsPerSecond(20_000_000, 8192). */
    static final int CBR_PCR = 52083;
    static final String CBR_TX = "cbr:pcr=" + CBR_PCR + ",sdu=8192";
    /** The receiver's contract: the same rate, with a delay-variation tolerance for the link's 2 ms ± 1 ms. */
    static final String CBR_RX = "cbr:pcr=" + CBR_PCR + ",cdv=50000,sdu=8192";
    static final String UBR_TX = "ubr:pcr=30000,sdu=1500";
    static final String UBR_RX = "ubr:sdu=1500";
    /** Cells per datagram: fewer than a CBR PDU, so that datagram loss damages PDUs (see configure). */
    static final int CELLS_PER_DATAGRAM = 100;
    static final double LOSS = 0.01;
    static final double DUPLICATE = 0.001;
    static final double REORDER = 0.05;
    static final long TRAFFIC_SECONDS = Mode.pick(10, 600);
    static final Duration RESUME_BOUND = Duration.ofSeconds(2);
    static final Duration CUT = Duration.ofSeconds(2);

    /** The progress column of atm:open for a reader. */
    static final Pattern RECEIVED = Pattern.compile("(\\d+) SDUs received");
    static final Pattern SENT = Pattern.compile("sent (\\d+) SDUs");
    static final Pattern TEST_SDUS = Pattern.compile(
            "test SDUs: (\\d+), sequence (-?\\d+)\\.\\.(-?\\d+), (\\d+) missing, (\\d+) out of order, (\\d+) corrupted");
    static final Pattern CONNECTION_DROPS = Pattern.compile("connection dropped (\\d+) non-conforming, (\\d+) for a full ring");
    static final Pattern RATE = Pattern.compile("([\\d.]+) Mbit/s SDU payload");
    static final Pattern COUNTER = Pattern.compile("^\\s+(\\w+) (-?\\d+)$", Pattern.MULTILINE);

    static Namespaces namespaces;
    static String nsA;
    static String nsM;
    static String nsB;
    static Process relay;
    static BufferedReader relayOut;
    static RunningPlatform a;
    static RunningPlatform b;

    @BeforeClass
    public static void startTwoPlatformsAcrossTheImpairedLink() throws Exception {
        removeOwnLeftovers();
        namespaces = new Namespaces();
        nsA = namespaces.create("netem-a");
        nsM = namespaces.create("netem-m");
        nsB = namespaces.create("netem-b");
        veth(nsA, LINK_PREFIX + "A", A_ADDRESS, nsM, LINK_PREFIX + "Am", A_RELAY);
        veth(nsB, LINK_PREFIX + "B", B_ADDRESS, nsM, LINK_PREFIX + "Bm", B_RELAY);

        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        relay = new ProcessBuilder("ip", "netns", "exec", nsM, java, "-XX:+UseSerialGC", "-cp",
                System.getProperty("atm.itest.classes"), NetemRelay.class.getName(),
                A_RELAY + ":" + PORT, A_ADDRESS + ":" + PORT, B_RELAY + ":" + PORT, B_ADDRESS + ":" + PORT,
                "2", "1", Double.toString(LOSS), Double.toString(DUPLICATE), Double.toString(REORDER), "0.5", "20261125")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        relayOut = new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
        String ready = relayOut.readLine();
        assertEquals("the relay in " + nsM + " said", "ready", ready);

        Path workA = freshWorkDir("netem-a");
        Path workB = freshWorkDir("netem-b");
        configure(workA, A_ADDRESS, A_RELAY);
        configure(workB, B_ADDRESS, B_RELAY);
        CompletableFuture<RunningPlatform> startA = CompletableFuture.supplyAsync(() -> start(nsA, workA));
        CompletableFuture<RunningPlatform> startB = CompletableFuture.supplyAsync(() -> start(nsB, workB));
        // whichever started is stopped in stop(), even if the other failed
        a = startA.exceptionally(e -> null).join();
        b = startB.exceptionally(e -> null).join();
        startA.join();
        startB.join();
        for (RunningPlatform p : new RunningPlatform[] {a, b}) {
            awaitReady(p);
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        try {
            for (RunningPlatform p : new RunningPlatform[] {a, b}) {
                if (p != null) {
                    p.close();
                }
            }
        } finally {
            if (relay != null) {
                relay.destroyForcibly();
            }
            if (namespaces != null) {
                namespaces.close();
            }
        }
    }

    /**
     * The lossy phase: both connections run for {@link #TRAFFIC_SECONDS}; afterwards the readers' checks, the
     * driver's counters and the relay's counters must account for every SDU and every datagram.
     */
    @Test
    public void overALossyDuplicatingReorderingLinkNoSduIsDeliveredDamagedTwiceOrOutOfOrderAndTheGuaranteedStreamKeepsGoing()
            throws Exception {
        String cbr = ITF + ".0.100";
        String ubr = ITF + ".0.101";
        Map<String, Long> relayBefore = relayStats();
        Map<String, Long> bBefore = counters(b);

        b.atm("atm:aread " + cbr + " " + CBR_RX + " -b", "atm:aread " + ubr + " " + UBR_RX + " -b");
        a.atm("atm:awrite " + cbr + " " + CBR_TX + " -t " + TRAFFIC_SECONDS + " -b",
                "atm:awrite " + ubr + " " + UBR_TX + " -s 1500 -t " + TRAFFIC_SECONDS + " -b");
        a.awaitAtm(Duration.ofSeconds(TRAFFIC_SECONDS + 30), out -> !out.contains("running"), "both writers done", "atm:open");
        String sentCbr = a.atm("atm:close " + cbr);
        String sentUbr = a.atm("atm:close " + ubr);
        awaitQuiet(b);
        String readCbr = b.atm("atm:close " + cbr);
        String readUbr = b.atm("atm:close " + ubr);
        Map<String, Long> relayAfter = relayStats();
        Map<String, Long> bAfter = counters(b);
        Map<String, Long> link = diff(relayBefore, relayAfter);
        Map<String, Long> card = diff(bBefore, bAfter);
        System.out.println("A: " + sentCbr + sentUbr + "B: " + readCbr + readUbr + "relay a->b: " + link + "\nB's card: " + card);

        // 1. nothing damaged, duplicated or reordered reaches an application
        for (String report : new String[] {readCbr, readUbr}) {
            Matcher t = find(TEST_SDUS, report);
            assertEquals("SDUs delivered out of order or twice:\n" + report, 0, Long.parseLong(t.group(5)));
            assertEquals("SDUs delivered with a damaged filler:\n" + report, 0, Long.parseLong(t.group(6)));
        }
        assertTrue("the relay duplicated datagrams (else the run proves nothing about duplicates): " + link,
                link.get("a->b.duplicated") > 0);
        assertTrue("the relay reordered datagrams: " + link, link.get("a->b.reordered") > 0);

        // 2. every datagram accounted for: what the relay lost, plus what came late (stale minus duplicates),
        //    is exactly the gaps in the link's sequence; none foreign; no cells reach the card from refused datagrams
        long relayLost = link.get("a->b.lost");
        long duplicated = link.get("a->b.duplicated");
        long stale = card.get("staleDatagrams");
        long gaps = card.get("lostDatagrams");
        assertEquals("sequence gaps = datagrams lost by the relay + late ones (stale - duplicates); relay " + link
                + ", card " + card, relayLost + stale - duplicated, gaps);
        assertEquals("the relay sent every datagram it did not lose, and the duplicates: " + link,
                link.get("a->b.sent") + link.get("a->b.sendErrors"), link.get("a->b.received") - relayLost + duplicated);
        assertEquals("foreign datagrams", 0L, (long) card.get("foreignDatagrams"));
        assertEquals("malformed datagrams", 0L, (long) card.get("malformedDatagrams"));

        // 3. every SDU accounted for: sent = delivered + missing, and what is missing was dropped by a counted
        //    reason or lost with a whole datagram (a datagram of at most 100 cells holds at most 4 PDUs of 32 cells; 7 is the bound for the default 171)
        long missingTotal = 0;
        long sentTotal = 0;
        for (String[] pair : new String[][] {{sentCbr, readCbr}, {sentUbr, readUbr}}) {
            long sent = Long.parseLong(find(SENT, pair[0]).group(1));
            Matcher t = find(TEST_SDUS, pair[1]);
            long delivered = Long.parseLong(t.group(1));
            long last = Long.parseLong(t.group(3));
            assertTrue("delivered " + delivered + " of " + sent, delivered > 0 && delivered <= sent && last < sent);
            missingTotal += sent - delivered;
            sentTotal += sent;
        }
        long countedPduDrops = card.get("crcErrors") + card.get("lengthErrors") + card.get("timeoutDrops")
                + card.get("oversizeDrops") + card.get("guaranteedPoolDrops") + card.get("bestEffortPoolDrops");
        long connectionDrops = 0;
        for (String report : new String[] {readCbr, readUbr}) {
            Matcher d = find(CONNECTION_DROPS, report);
            connectionDrops += Long.parseLong(d.group(1)) + Long.parseLong(d.group(2));
        }
        assertTrue("missing SDUs " + missingTotal + " > counted PDU drops " + countedPduDrops + " + connection drops "
                + connectionDrops + " + 7 x datagram gaps " + gaps, missingTotal <= countedPduDrops + connectionDrops + 7 * gaps);
        assertTrue("damaged PDUs were caught by CRC or length: " + card,
                card.get("crcErrors") + card.get("lengthErrors") + card.get("oversizeDrops") > 0);

        // 4. the guaranteed stream's loss on the link is what the datagram loss explains: each PDU (171 cells) rides
        //    in at least one datagram, so with q the share of datagrams lost or refused as late, its loss is at least
        //    q (4 standard deviations below); a lost datagram of at most 100 cells holds cells of at most 2 CBR PDUs
        //    and can join the head of one to the next, so it costs at most 3 of them: at most 3 x gaps. PDUs that
        //    arrived whole but the receiving connection dropped (receive policing, full ring: counted) are not the link's
        long cbrSent = Long.parseLong(find(SENT, sentCbr).group(1));
        long cbrDelivered = Long.parseLong(find(TEST_SDUS, readCbr).group(1));
        double datagrams = link.get("a->b.received");
        double q = gaps / (datagrams - duplicated);
        Matcher cbrDrops = find(CONNECTION_DROPS, readCbr);
        // PDUs the link delivered but the receiving connection dropped (its policing, its ring) are not link loss
        long cbrConnectionDrops = Long.parseLong(cbrDrops.group(1)) + Long.parseLong(cbrDrops.group(2));
        double cbrLoss = 1 - (double) cbrDelivered / cbrSent;
        double cbrLinkLoss = (double) (cbrSent - cbrDelivered - cbrConnectionDrops) / cbrSent;
        double low = q - 4 * Math.sqrt(q * (1 - q) / cbrSent);
        double high = 3.0 * gaps / cbrSent;
        double cellsPerDatagram = (double) card.get("cellsIn") / (link.get("a->b.sent") - stale);
        System.out.printf(Locale.ROOT, "lossy link, %d s: %d datagrams a->b, relay lost %d (%.2f %%), duplicated %d, sent at once %d;"
                + " card: %d stale, %d sequence gaps (q = %.2f %%), %.1f cells per datagram; CBR %d of %d SDUs delivered"
                + " (loss %.2f %%, on the link %.2f %%, band %.2f..%.2f %%; CBR connection drops %d), UBR %s; PDU drops: %d CRC,"
                + " %d length, %d timeout; connection drops %d%n",
                TRAFFIC_SECONDS, (long) datagrams, relayLost, 100.0 * relayLost / datagrams, duplicated,
                link.get("a->b.reordered"), stale, gaps, 100 * q, cellsPerDatagram, cbrDelivered, cbrSent, 100 * cbrLoss,
                100 * cbrLinkLoss, 100 * low, 100 * high, cbrConnectionDrops, find(TEST_SDUS, readUbr).group(0), card.get("crcErrors"), card.get("lengthErrors"),
                card.get("timeoutDrops"), connectionDrops);
        assertTrue(String.format(Locale.ROOT, "CBR loss on the link %.3f %% outside %.3f..%.3f %% (q %.3f %%)", 100 * cbrLinkLoss,
                100 * low, 100 * high, 100 * q), cbrLinkLoss >= low && cbrLinkLoss <= high);
        // and it kept its rate: the receiver's rate is the sender's, less the loss (2 % for timing between the two ends)
        double sentRate = Double.parseDouble(find(RATE, sentCbr).group(1));
        double readRate = Double.parseDouble(find(RATE, readCbr).group(1));
        assertTrue("CBR received at " + readRate + " Mbit/s, sent at " + sentRate + " with loss " + cbrLoss,
                readRate >= sentRate * (1 - cbrLoss) * 0.98);
    }

    /**
     * The cut: a CBR stream runs; the link goes down (the A side's veth); nothing arrives; the link comes back and
     * SDUs arrive again within {@link #RESUME_BOUND}, on the same connection, which stayed open throughout.
     */
    @Test
    public void whenTheCutLinkIsRestoredTheStillOpenConnectionCarriesAgainWithinTwoSeconds() throws Exception {
        String pvc = ITF + ".0.102";
        b.atm("atm:aread " + pvc + " " + CBR_RX + " -b");
        a.atm("atm:awrite " + pvc + " " + CBR_TX + " -t 120 -b");
        try {
            awaitReceived(b, pvc, n -> n >= 300, Duration.ofSeconds(30), "300 SDUs received before the cut");
            Namespaces.run("ip", "-n", nsA, "link", "set", LINK_PREFIX + "A", "down").check();
            long cutAt = System.nanoTime();
            // the flow stops: what was on the way arrives, then the count stands still
            long stopped = awaitStill(b, pvc, Duration.ofSeconds(5));
            long held = System.nanoTime();
            while (System.nanoTime() - cutAt < CUT.toNanos()) {
                long now = received(b, pvc);
                assertEquals("SDUs arrived over a cut link", stopped, now);
                RunningPlatform.sleep(Duration.ofMillis(100)); // observing the cut for its duration
            }
            assertTrue(held > 0);
            Namespaces.run("ip", "-n", nsA, "link", "set", LINK_PREFIX + "A", "up").check();
            long restoredAt = System.nanoTime();
            awaitReceived(b, pvc, n -> n > stopped, RESUME_BOUND.plusSeconds(10), "traffic after the link came back");
            double resumeMs = (System.nanoTime() - restoredAt) / 1e6;
            System.out.printf(Locale.ROOT, "link cut for %.1f s; traffic resumed %.0f ms after the link came back%n",
                    (restoredAt - cutAt) / 1e9, resumeMs);
            assertTrue("traffic resumed only " + resumeMs + " ms after the link came back (bound " + RESUME_BOUND + ")",
                    resumeMs <= RESUME_BOUND.toMillis());
            // the connection stayed open on both ends: the same jobs are still running
            assertTrue(a.atm("atm:open"), a.atm("atm:open").lines().anyMatch(l -> l.startsWith(pvc) && l.contains("running")));
            assertTrue(b.atm("atm:open"), b.atm("atm:open").lines().anyMatch(l -> l.startsWith(pvc) && l.contains("running")));
            long resumed = received(b, pvc);
            awaitReceived(b, pvc, n -> n >= resumed + 300, Duration.ofSeconds(30), "300 more SDUs after the cut");
        } finally {
            Namespaces.run("ip", "-n", nsA, "link", "set", LINK_PREFIX + "A", "up");
            String sent = a.telnet("atm:close " + pvc).output();
            awaitQuiet(b);
            String read = b.telnet("atm:close " + pvc).output();
            System.out.println("cut: A: " + sent + "B: " + read);
            Matcher t = find(TEST_SDUS, read);
            assertEquals("SDUs delivered out of order or twice across the cut:\n" + read, 0, Long.parseLong(t.group(5)));
            assertEquals("SDUs delivered damaged across the cut:\n" + read, 0, Long.parseLong(t.group(6)));
        }
    }

    // ------------------------------------------------------------------ helpers

    /**
     * Interface 90 up and served by the core, the socket service, admission control (CBR needs it) and the
     * default policy installed: FileInstall starts the bundles in any order.
     */
    static void awaitReady(RunningPlatform p) {
        Duration deadline = Duration.ofSeconds(90);
        Pattern served = Pattern.compile("(?m)^\\s*" + ITF + "\\s+\\S+\\s+udp .*\\s+yes\\s+yes\\s");
        p.awaitAtm(deadline, out -> served.matcher(out).find(), "interface " + ITF + " up and served", "atm:interfaces " + ITF);
        p.awaitAtm(deadline, out -> !out.contains("is not running"), "the socket service running", "atm:open");
        p.awaitAtm(deadline, out -> out.contains("BANDWIDTH"), "admission control running", "atm:admission " + ITF);
        p.awaitAtm(deadline, out -> out.contains("interval-credit"), "the interval-credit policy installed", "atm:policies");
    }

    private static long received(RunningPlatform p, String pvc) {
        String open = p.atm("atm:open");
        return open.lines().filter(l -> l.startsWith(pvc + " ")).map(RECEIVED::matcher).filter(Matcher::find)
                .mapToLong(m -> Long.parseLong(m.group(1))).findFirst()
                .orElseThrow(() -> new AssertionError("no reader on " + pvc + ":\n" + open));
    }

    private static void awaitReceived(RunningPlatform p, String pvc, java.util.function.LongPredicate condition,
            Duration deadline, String what) {
        long end = System.nanoTime() + deadline.toNanos();
        long n;
        do {
            n = received(p, pvc);
            if (condition.test(n)) {
                return;
            }
            RunningPlatform.sleep(Duration.ofMillis(20));
        } while (System.nanoTime() - end < 0);
        throw new AssertionError("after " + deadline + ", still not " + what + ": " + n + " received\n" + p.logTail());
    }

    /** Polls the reader's count until it has not moved for 500 ms; returns it. */
    private static long awaitStill(RunningPlatform p, String pvc, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        long last = received(p, pvc);
        long since = System.nanoTime();
        while (System.nanoTime() - end < 0) {
            RunningPlatform.sleep(Duration.ofMillis(50));
            long n = received(p, pvc);
            if (n != last) {
                last = n;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= 500_000_000L) {
                return n;
            }
        }
        throw new AssertionError("SDUs kept arriving over a cut link: " + last);
    }

    /** Waits until the readers of p have received nothing new for 500 ms (what was on the way has arrived). */
    private static void awaitQuiet(RunningPlatform p) {
        String last = p.atm("atm:open");
        long since = System.nanoTime();
        long end = since + 20_000_000_000L;
        while (System.nanoTime() - end < 0) {
            RunningPlatform.sleep(Duration.ofMillis(100));
            String now = p.atm("atm:open");
            if (!now.replaceAll("[\\d.]+ Mbit/s", "").equals(last.replaceAll("[\\d.]+ Mbit/s", ""))) {
                last = now;
                since = System.nanoTime();
            } else if (System.nanoTime() - since >= 500_000_000L) {
                return;
            }
        }
        throw new AssertionError("the readers never came to rest:\n" + last);
    }

    /** Every counter of the card's DeviceStatistics, from {@code atm:interfaces -v}. */
    private static Map<String, Long> counters(RunningPlatform p) {
        String out = p.atm("atm:interfaces -v " + ITF);
        Map<String, Long> values = new HashMap<>();
        Matcher m = COUNTER.matcher(out);
        while (m.find()) {
            values.put(m.group(1), Long.parseLong(m.group(2)));
        }
        assertTrue("no counters in:\n" + out, values.containsKey("staleDatagrams"));
        return values;
    }

    private static synchronized Map<String, Long> relayStats() throws IOException {
        relay.getOutputStream().write("stats\n".getBytes(StandardCharsets.US_ASCII));
        relay.getOutputStream().flush();
        String line = relayOut.readLine();
        Map<String, Long> values = new HashMap<>();
        for (String direction : line.split(" \\| ")) {
            String[] fields = direction.trim().split(" ");
            for (int i = 1; i < fields.length; i++) {
                String[] kv = fields[i].split("=");
                values.put(fields[0] + "." + kv[0], Long.parseLong(kv[1]));
            }
        }
        return values;
    }

    private static Map<String, Long> diff(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new java.util.TreeMap<>();
        after.forEach((k, v) -> d.put(k, v - before.getOrDefault(k, 0L)));
        return d;
    }

    static Matcher find(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            throw new AssertionError("no " + pattern + " in:\n" + text);
        }
        return m;
    }

    private static void veth(String ns1, String name1, String address1, String ns2, String name2, String address2)
            throws IOException {
        Namespaces.run("ip", "link", "add", name1, "type", "veth", "peer", "name", name2).check();
        Namespaces.run("ip", "link", "set", name1, "netns", ns1).check();
        Namespaces.run("ip", "link", "set", name2, "netns", ns2).check();
        Namespaces.run("ip", "-n", ns1, "addr", "add", address1 + "/24", "dev", name1).check();
        Namespaces.run("ip", "-n", ns2, "addr", "add", address2 + "/24", "dev", name2).check();
        Namespaces.run("ip", "-n", ns1, "link", "set", name1, "up").check();
        Namespaces.run("ip", "-n", ns2, "link", "set", name2, "up").check();
    }

    /** What an earlier, killed run of this class left: its namespaces and links, by this class's prefixes only. */
    static void removeOwnLeftovers() throws IOException {
        for (String line : Namespaces.run("ip", "netns", "list").output().split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith(NS_PREFIX)) {
                Namespaces.run("ip", "netns", "del", name).check();
            }
        }
        for (String line : Namespaces.run("ip", "-o", "link", "show").output().split("\n")) {
            String[] fields = line.split(":\\s+");
            if (fields.length > 1 && fields[1].startsWith(LINK_PREFIX)) {
                Namespaces.run("ip", "link", "del", fields[1].split("@")[0]);
            }
        }
    }

    static Path freshWorkDir(String name) throws IOException {
        Path work = Path.of(System.getProperty("atm.itest.work", "target/reliability-work")).toAbsolutePath().resolve(name);
        if (Files.exists(work)) {
            try (Stream<Path> all = Files.walk(work)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        return Files.createDirectories(work);
    }

    private static void configure(Path work, String local, String peer) throws IOException {
        Path conf = Files.createDirectories(RunningPlatform.configDir(work));
        Files.writeString(conf.resolve("org.drops.atm.driver.pca200e.interface-netem.cfg"), String.join("\n",
                "atm.itf = " + ITF,
                "link = udp",
                "udp.local = " + local + ":" + PORT,
                "udp.peer = " + peer + ":" + PORT,
                // -Datm.reliability.udp.sequenced=false shows the defect the sequenced datagrams fixed
                "udp.sequenced = " + Boolean.parseBoolean(System.getProperty("atm.reliability.udp.sequenced", "true")),
                // 100 cells, fewer than a CBR PDU's 171: every CBR PDU spans two or three datagrams, so a lost datagram
                // always damages PDUs, which AAL5's CRC and length must catch. With the default 171, datagrams mostly
                // carried whole PDUs once the sender's bursts shrank to its half of the CDV tolerance (a 10-s run
                // lost 92 datagrams and caught no damage at all), and the check below had nothing to check.
                "udp.cells.per.datagram = " + CELLS_PER_DATAGRAM,
                "line.rate = oc3", ""), StandardCharsets.UTF_8);
    }

    private static RunningPlatform start(String netns, Path work) {
        try {
            return RunningPlatform.startIn(netns, work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

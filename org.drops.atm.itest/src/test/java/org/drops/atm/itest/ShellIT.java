package org.drops.atm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Issue 8: every atm:* command driven through the real platform's Gogo shell (run/atm with the shipped
 * configuration, driven by run/gogo), good input and bad. Tests use PVCs of their own, so they do not depend on
 * each other's order. Traffic is best effort (UBR), which needs no admission control: the tests hold with and
 * without org.drops.atm.cac and the policy bundles deployed, and check what each case must show.
 */
public class ShellIT {

    static final Duration DEADLINE = Duration.ofSeconds(30);
    static final Pattern NUMBER = Pattern.compile("(\\d+(?:\\.\\d+)?)");

    private static RunningPlatform platform;
    private static Path work;

    @BeforeClass
    public static void startPlatform() throws IOException {
        work = LauncherIT.freshWorkDir("shell");
        RunningPlatform.useDefaultConfiguration(work);
        platform = RunningPlatform.start(work);
        awaitReady(platform);
    }

    /**
     * Waits until the shipped interfaces are up and served, the socket service runs and, where deployed, admission
     * control and the configured policy are there (FileInstall starts the bundles in any order).
     */
    static void awaitReady(RunningPlatform platform) {
        platform.awaitAtm(DEADLINE, out -> upLine(out, 0) && upLine(out, 1), "interfaces 0 and 1 up and served",
                "atm:interfaces");
        platform.awaitAtm(DEADLINE, out -> !out.contains("is not running"), "the socket service running", "atm:open");
        // admission control registers once it has calibrated its CPU model; the policies come when their bundles start
        if (deployed("org.drops.atm.cac")) {
            platform.awaitAtm(DEADLINE, out -> !out.startsWith("no admission control service"), "admission control running",
                    "atm:admission");
        }
        if (deployed("org.drops.atm.upc")) {
            platform.awaitAtm(DEADLINE, out -> out.contains("selected: interval-credit"), "interval-credit selected", "atm:policies");
        }
    }

    @AfterClass
    public static void stopPlatform() {
        if (platform != null) {
            platform.close();
        }
    }

    static boolean upLine(String interfaces, int itf) {
        return Pattern.compile("(?m)^\\s*" + itf + "\\s+pca200e" + itf + "\\s+memory wire \"wire0\"\\s+yes\\s+yes\\s")
                .matcher(interfaces).find();
    }

    static boolean deployed(String symbolicName) {
        return LauncherBundleSet.fromSystemProperties().expectedBundles().stream()
                .anyMatch(b -> b.symbolicName().equals(symbolicName));
    }

    /** The first number after {@code label} in {@code text}. */
    static double numberAfter(String text, String label) {
        int at = text.indexOf(label);
        assertTrue("no \"" + label + "\" in:\n" + text, at >= 0);
        Matcher m = NUMBER.matcher(text.substring(at + label.length()));
        assertTrue("no number after \"" + label + "\" in:\n" + text, m.find());
        return Double.parseDouble(m.group(1));
    }

    // ------------------------------------------------------------------ reading the platform

    @Test
    public void interfacesShowsTheTwoShippedInterfacesBackToBackAtOc3() {
        String all = platform.atm("atm:interfaces");
        for (int itf : new int[] {0, 1}) {
            Matcher m = Pattern.compile("(?m)^\\s*" + itf + "\\s+pca200e" + itf + "\\s+memory wire \"wire0\"\\s+yes\\s+yes\\s+"
                    + "353208\\s+149\\.76\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+\\s+\\d+/\\d+\\s+\\d+\\s+\\d+\\s+\\d+/64 \\d+/64$").matcher(all);
            assertTrue("itf " + itf + " with link, OC-3 line rate, counters and pools in:\n" + all, m.find());
        }
        String one = platform.atm("atm:interfaces 1");
        assertTrue(one, upLine(one, 1));
        assertFalse(one, upLine(one, 0));
        // -v: the row, then every counter of the driver, one "name value" line each
        String verbose = platform.atm("atm:interfaces -v 1");
        assertTrue(verbose, upLine(verbose, 1));
        for (String counter : List.of("cellsIn", "crcErrors", "lengthErrors", "timeoutDrops", "foreignDatagrams",
                "staleDatagrams", "lostDatagrams")) {
            assertTrue(counter + " in:\n" + verbose, Pattern.compile("(?m)^  " + counter + " \\d+$").matcher(verbose).find());
        }
    }

    @Test
    public void admissionTellsWhatAdmissionControlHoldsOrThatItIsAbsent() {
        String out = platform.atm("atm:admission");
        if (deployed("org.drops.atm.cac")) {
            for (String resource : List.of("BANDWIDTH", "BUFFER", "CPU")) {
                assertTrue(resource + " in:\n" + out, out.contains(resource));
            }
            assertTrue(out, out.contains("best-effort cells/s"));
            assertTrue(out, out.contains("CPU model"));
            // a guaranteed connection's reservation, and a refusal that says what would fit
            String opened = platform.atm("atm:open 0.0.190 cbr:pcr=100000,sdu=8192,rx:none");
            assertTrue(opened, opened.startsWith("opened 0.0.190 tx CBR pcr=100000 sdu=8192, policy "));
            if (deployed("org.drops.atm.upc")) {
                String row = platform.atm("atm:connections 0.0.190");
                assertTrue("interval-credit's credit and interval in:\n" + row, Pattern.compile(
                        "(?m)^0\\.0\\.190\\s+tx\\s+CBR\\s+pcr=100000 sdu=8192\\s+\\d+\\.\\d\\d\\s+\\d+\\s+\\d+ cells\\s+\\d+\\.\\d ms\\s+interval-credit\\s")
                        .matcher(row).find());
            }
            String reserved = platform.atm("atm:admission 0");
            assertTrue(reserved, reserved.matches("(?s).*\\n\\s*0\\s+BANDWIDTH\\s+353207\\s+100000\\s+253207\\s+28\\.3 %\\s+cells/s\\n.*"));
            assertTrue(reserved, reserved.contains("  0.0.190 tx CBR: 100000 cells/s, "));
            RunningPlatform.Gogo refused = platform.telnet("atm:open 0.0.191 cbr:pcr=300000,sdu=8192,rx:none");
            assertTrue(refused.output(), refused.output().startsWith("gogo: Failed: atm:open 0.0.191 tx: admission refused (BANDWIDTH)"));
            assertTrue(refused.output(), refused.output().contains("\n  to open what fits now: atm:open --tx 0.0.191 cbr:tx:pcr=253207,max_sdu=8192,rx:none"));
            platform.atm("atm:close 0.0.190");
        } else {
            assertTrue(out, out.startsWith("no admission control service is present"));
            assertTrue(out, out.matches("(?s).*\\n\\s*0\\s+353208\\s+149\\.76\\n\\s*1\\s+353208\\s+149\\.76.*"));
            RunningPlatform.Gogo recalibrate = platform.gogo("atm:admission recalibrate");
            assertEquals(recalibrate.output(), 1, recalibrate.exitCode());
            assertTrue(recalibrate.output(), recalibrate.output().startsWith("gogo: Failed: atm:admission recalibrate: "
                    + "no admission control service is present"));
        }
    }

    @Test
    public void policiesShowTheShippedChoiceInterValCreditAndHowToChange() {
        String out = platform.atm("atm:policies");
        assertTrue(out, out.contains("configured: policy.name = interval-credit in PID org.drops.atm.core"));
        assertTrue(out, out.contains("to select another: atm:policies select <name>"));
        if (deployed("org.drops.atm.upc")) {
            assertTrue(out, out.matches("(?s).*\\*\\s+interval-credit\\s.*"));
            assertTrue(out, out.contains("selected: interval-credit"));
            if (deployed("org.drops.atm.upc.gcra")) {
                // selecting through Configuration Admin reaches the core, which posts the change; then back
                assertEquals("policy.name = gcra set in org.drops.atm.core; running connections move over at their next interval boundary",
                        platform.atm("atm:policies select gcra").strip());
                platform.awaitAtm(DEADLINE, o -> o.contains("selected: gcra"), "gcra selected", "atm:policies");
                platform.awaitAtm(DEADLINE, o -> Pattern.compile("policy/CHANGED\\s+policy=gcra").matcher(o).find(),
                        "the core posting the change", "atm:events 200");
                platform.atm("atm:policies select interval-credit");
                platform.awaitAtm(DEADLINE, o -> o.contains("selected: interval-credit"), "interval-credit selected again", "atm:policies");
            }
        } else {
            assertTrue(out, out.contains("interval-credit is not installed"));
            RunningPlatform.Gogo select = platform.gogo("atm:policies select gcra");
            assertTrue(select.output(), select.output().startsWith("gogo: Failed: atm:policies select: no policy named \"gcra\" is installed"));
        }
    }

    // ------------------------------------------------------------------ test connections and traffic

    /**
     * A receive connection's delivered and dropped PDUs, from {@code atm:connections -v}. Every PDU that reaches a
     * receive connection is one or the other; a loaded machine can drop some (a receive ring of admission control's
     * size overflows while the reader is not scheduled, receive policing refuses a burst), never lose them uncounted.
     */
    static long[] deliveredAndDropped(String pvc) {
        String v = platform.atm("atm:connections -v " + pvc);
        Matcher traffic = Pattern.compile("traffic\\s+(\\d+) PDUs").matcher(v);
        Matcher dropped = Pattern.compile("dropped\\s+(\\d+) non-conforming, (\\d+) ring full").matcher(v);
        assertTrue(v, traffic.find() && dropped.find());
        return new long[] {Long.parseLong(traffic.group(1)), Long.parseLong(dropped.group(1)) + Long.parseLong(dropped.group(2))};
    }

    /** Waits until every one of {@code sent} PDUs is delivered or dropped at the receiver, and the reader has read them. */
    static long[] awaitAccounted(String pvc, long sent) {
        long end = System.nanoTime() + DEADLINE.toNanos();
        long[] counts;
        while ((counts = deliveredAndDropped(pvc))[0] + counts[1] < sent && System.nanoTime() - end < 0) {
            RunningPlatform.sleep(Duration.ofMillis(100));
        }
        assertEquals("PDUs delivered or dropped at " + pvc + " of " + sent + " sent", sent, counts[0] + counts[1]);
        long delivered = counts[0];
        platform.awaitAtm(DEADLINE, out -> out.contains(delivered + " SDUs received"), "the reader has read all " + delivered,
                "atm:open");
        return counts;
    }

    @Test
    public void awriteSendsTestTrafficThatAreadReceivesInSequenceAndBothReportRates() {
        // the receiver has no peak rate: receive policing lets everything through
        String opened = platform.atm("atm:open --rx 1.0.110 ubr:sdu=2048");
        assertEquals("opened 1.0.110 rx UBR sdu=2048, policy " + policyOf(opened), opened.strip());
        platform.atm("atm:aread 1.0.110 -c 200 -x -b");
        // a foreground awrite opens 0.0.110 for the run and closes it after the last SDU has left
        String written = platform.atm("atm:awrite 0.0.110 ubr:pcr=20000,sdu=2048 -c 200");
        assertTrue(written, written.startsWith("atm:awrite 0.0.110: sent 200 SDUs of 2048 bytes (409600 bytes, 8600 cells)"));
        double contract = numberAfter(written, "sdu=2048 (");
        assertEquals("20000 cells/s of 43-cell SDUs", 20000.0 / 43 * 2048 * 8 / 1e6, contract, 0.01);
        double measured = numberAfter(written, "s: ");
        assertTrue("sent at " + measured + " Mbit/s, contract " + contract + ":\n" + written,
                measured > 0.5 * contract && measured < 1.1 * contract);
        assertTrue(written, written.strip().endsWith("count reached"));

        long[] counts = awaitAccounted("1.0.110", 200);
        String connections = platform.atm("atm:connections 1.0.110");
        assertTrue(connections, connections.matches("(?s).*\\n1\\.0\\.110\\s+rx\\s+UBR\\s+sdu=2048\\s+\\d+\\.\\d\\d\\s+" + counts[0] + "\\s.*\\sshell\\n.*"));
        String read = platform.atm("atm:close 1.0.110");
        assertTrue(read, read.startsWith("closed 1.0.110 rx\n  atm:aread 1.0.110: received " + counts[0] + " SDUs ("
                + counts[0] * 2048 + " bytes)"));
        assertTrue(read, read.contains(", 0 out of order"));
        if (counts[1] == 0) {
            assertTrue(read, read.contains("test SDUs: 200, sequence 0..199, 0 missing, 0 out of order"));
        }
        assertTrue(read, read.contains("first SDU: 23 41 54 4d 54 45 53 54 00 00 00 00 00 00 00 00 10 11"));
        double received = numberAfter(read, "; ");
        assertTrue("received at " + received + " Mbit/s:\n" + read, received > 0.5 * contract && received < 1.1 * contract);
        assertEquals("no connections", platform.atm("atm:connections 1.0.110").strip());

        // a foreground aread binds for the run, waits at most its time, and says what it got
        String nothing = platform.atm("atm:aread 1.0.111 ubr:tx:none -c 1 -t 300ms");
        assertTrue(nothing, nothing.startsWith("atm:aread 1.0.111: received 0 SDUs (0 bytes) in 0.3"));
        assertTrue(nothing, nothing.strip().endsWith("time up"));
    }

    @Test
    public void backgroundTrafficIsListedShownInConnectionsAndStoppedByClose() {
        platform.atm("atm:open --rx 1.0.120 ubr:sdu=1024", "atm:aread 1.0.120 -b",
                "atm:awrite 0.0.120 ubr:pcr=10000,sdu=1024 -b");
        String list = platform.atm("atm:open");
        assertTrue(list, list.matches("(?s).*1\\.0\\.120\\s+rx\\s+UBR\\s+sdu=1024\\s+atm:aread\\s+running.*"));
        assertTrue(list, list.matches("(?s).*0\\.0\\.120\\s+tx\\s+UBR\\s+pcr=10000 sdu=1024\\s+atm:awrite\\s+running.*"));
        String connections = platform.awaitAtm(DEADLINE, out -> Pattern.compile("(?m)^1\\.0\\.120\\s+rx\\s+UBR\\s+sdu=1024\\s+\\S+\\s+[1-9]\\d+\\s")
                .matcher(out).find(), "PDUs arriving on 1.0.120", "atm:connections");
        Matcher tx = Pattern.compile("(?m)^0\\.0\\.120\\s+tx\\s+UBR\\s+pcr=10000 sdu=1024\\s+(\\d+\\.\\d\\d)\\s+(\\d+)\\s+.+\\s+"
                + "(\\d+)\\s+(OTHER nice -?\\d+\\*?|FIFO \\d+\\*?)\\s+shell$").matcher(connections);
        assertTrue("tx row with rate, PDUs, credit, interval, policy, drops, suspensions, worker and owner:\n" + connections, tx.find());
        String verbose = platform.atm("atm:connections -v 0.0.120");
        assertTrue(verbose, verbose.startsWith("0.0.120 tx  (held by this shell)\n  contract   ubr:pcr=10000,max_sdu=1024\n"));
        assertTrue(verbose, verbose.contains("  worker     OTHER nice 0 (best-effort connection: time-sharing priority)"));

        String closedTx = platform.atm("atm:close 0.0.120");
        assertTrue(closedTx, closedTx.startsWith("closed 0.0.120 tx\n  atm:awrite 0.0.120: sent "));
        assertTrue(closedTx, closedTx.strip().endsWith("stopped"));
        long sent = (long) numberAfter(closedTx, "sent ");
        // what is still on its way arrives: every SDU sent is delivered to the reader or counted as dropped
        long[] counts = awaitAccounted("1.0.120", sent);
        String rx = platform.atm("atm:close 1.0.120 rx");
        assertTrue(rx, rx.contains("received " + counts[0] + " SDUs"));
        assertTrue(rx, rx.contains(", 0 out of order"));
        assertEquals("the shell holds no test connections (atm:open <pvc> <qos> opens one)", platform.atm("atm:open").strip());
    }

    @Test
    public void eventsReportEachConnectionOpenedAndClosed() {
        platform.atm("atm:open 0.0.130 ubr:pcr=1000,sdu=100,rx:none", "atm:close 0.0.130");
        String events = platform.awaitAtm(DEADLINE, out -> Pattern.compile("connection/CLOSED\\s+direction=TRANSMIT, pvc=0\\.0\\.130,")
                .matcher(out).find(), "the close of 0.0.130 posted", "atm:events 200");
        assertTrue(events, Pattern.compile("connection/OPENED\\s+direction=TRANSMIT, pvc=0\\.0\\.130, qos=ubr:tx:pcr=1000,max_sdu=100,rx:none")
                .matcher(events).find());
    }

    // ------------------------------------------------------------------ capture

    @Test
    public void dumpWritesPcapFilesThatTsharkDecodesWithTheVpiVciAndEveryPdu() throws Exception {
        Tools.require("tshark");
        Path tx = work.resolve("dump-tx.pcap");
        Path rx = work.resolve("dump-rx.pcap");
        Path raw = work.resolve("dump-raw.pcap");
        platform.atm("atm:open --rx 1.0.140 ubr:sdu=2000",
                "atm:dump 0.0.140 " + tx + " 30 -b",
                "atm:dump 1.0.140 " + rx + " 30 -b",
                "atm:awrite 0.0.140 ubr:pcr=50000,sdu=2000 -c 30 -s 1500 --llc");
        String captures = platform.awaitAtm(DEADLINE, out -> out.lines().filter(l -> l.contains(" done ")).count() >= 2,
                "both captures done", "atm:dump");
        // a capture ends by itself when its count is reached; the next one sees only the next traffic
        platform.atm("atm:dump 1.0.140 " + raw + " 5 -b", "atm:awrite 0.0.140 ubr:pcr=50000,sdu=2000 -c 5 -s 100");
        platform.awaitAtm(DEADLINE, out -> out.lines().filter(l -> l.contains(" done ")).count() >= 3,
                "the third capture done", "atm:dump");
        assertTrue(captures, captures.matches("(?s).*0\\.0\\.140\\s+done\\s+30 PDUs\\s+" + Pattern.quote(tx.toString()) + ".*"));

        List<String[]> sent = Tools.tshark(tx, "atm.vpi", "atm.vci", "atm.channel", "atm.traffic_type", "llc.type", "data.len", "data.data");
        List<String[]> received = Tools.tshark(rx, "atm.vpi", "atm.vci", "atm.channel", "atm.traffic_type", "llc.type", "data.len", "data.data");
        for (List<String[]> packets : List.of(sent, received)) {
            assertEquals("PDUs in the capture", 30, packets.size());
            for (int i = 0; i < packets.size(); i++) {
                String[] p = packets.get(i);
                assertEquals("VPI", "0", p[0]);
                assertEquals("VCI", "140", p[1]);
                assertEquals("traffic type: LLC multiplexed", "1", p[3]);
                assertEquals("SNAP EtherType", "0x88b5", p[4].toLowerCase(Locale.ROOT));
                assertEquals("payload after the 8-byte LLC/SNAP header", "1492", p[5]);
                // "#ATMTEST" and the sequence number, in order
                assertTrue(p[6], p[6].startsWith("2341544d54455354" + String.format(Locale.ROOT, "%016x", i)));
            }
        }
        assertTrue("transmitted PDUs: DTE->DCE (0)", sent.stream().allMatch(p -> p[2].equals("0")));
        assertTrue("received PDUs: DCE->DTE (1)", received.stream().allMatch(p -> p[2].equals("1")));

        List<String[]> plain = Tools.tshark(raw, "atm.vci", "atm.traffic_type", "frame.protocols", "data.len");
        assertEquals(5, plain.size());
        for (String[] p : plain) {
            assertEquals("140", p[0]);
            assertEquals("unknown traffic type: data, not mistaken for IP", "0", p[1]);
            assertEquals("atm:data", p[2]);
            assertEquals("100", p[3]);
        }
        platform.atm("atm:close 1.0.140");
    }

    // ------------------------------------------------------------------ help, bad input, the page

    @Test
    public void everyCommandCarriesHelp() {
        List<String> commands = List.of("interfaces", "connections", "admission", "policies", "open", "close", "awrite",
                "aread", "dump", "events", "web");
        List<String> lines = new ArrayList<>();
        for (String c : commands) {
            lines.add("help atm:" + c);
        }
        String help = platform.atm(lines.toArray(String[]::new));
        for (String c : commands) {
            assertTrue("help for " + c + " in:\n" + help, Pattern.compile("(?m)^" + c + " - \\S.{20,}\\n\\s+scope: atm\\n\\s+parameters:\\n\\s+String\\[\\]\\s+atm:" + c)
                    .matcher(help).find());
        }
    }

    /** A command line, then what its answer must start with after {@code gogo: }. */
    record Bad(String line, String answer) {
    }

    @Test
    public void badArgumentsAnswerWithWhatWasWrongAndTheUsageAndFailuresNameTheirReason() {
        List<Bad> bad = List.of(
                new Bad("atm:interfaces x", "BadArguments: atm:interfaces: itf \"x\": not an interface number\nusage: atm:interfaces [-v] [itf]"),
                new Bad("atm:interfaces 0 1", "BadArguments: atm:interfaces: unexpected argument \"1\"\nusage: atm:interfaces"),
                new Bad("atm:connections -q", "BadArguments: atm:connections: unknown option -q (options: -v)\nusage: atm:connections"),
                new Bad("atm:admission 0 1", "BadArguments: atm:admission: unexpected argument \"1\"\nusage: atm:admission"),
                new Bad("atm:policies choose x", "BadArguments: atm:policies: unknown subcommand \"choose\" (only: select)\nusage: atm:policies"),
                new Bad("atm:open 0.0.5 ubr", "BadArguments: atm:open: pvc: PVC address \"0.0.5\": vci 5 is reserved"),
                new Bad("atm:open 0.0.150", "BadArguments: atm:open: missing <qos>\nusage: atm:open [--tx|--rx] <pvc> <qos>"),
                new Bad("atm:open 0.0.150 cbr", "BadArguments: atm:open: qos: tx.pcr: CBR contracts need at least one of max_pcr, pcr, min_pcr"),
                new Bad("atm:open --tx 0.0.150 ubr:tx:none", "BadArguments: atm:open: qos \"ubr:tx:none\" carries no tx traffic"),
                new Bad("atm:close", "BadArguments: atm:close: missing <pvc>\nusage: atm:close <pvc> [tx|rx]"),
                new Bad("atm:close 0.0.150 up", "BadArguments: atm:close: direction \"up\": tx or rx\nusage: atm:close"),
                new Bad("atm:awrite 0.0.150 ubr -c many", "BadArguments: atm:awrite: -c many: not a whole number\nusage: atm:awrite <pvc> [qos]"),
                new Bad("atm:awrite 0.0.150", "BadArguments: atm:awrite: the shell holds no tx connection on 0.0.150: give a qos"),
                new Bad("atm:awrite 0.0.150 ubr:sdu=100 -s 200", "BadArguments: atm:awrite: -s 200: the contract's max_sdu is 100 bytes"),
                new Bad("atm:awrite 0.0.150 ubr -r fast", "BadArguments: atm:awrite: -r fast: not a rate: give a unit, as in 10Mbps"),
                new Bad("atm:aread 1.0.150 -t forever", "BadArguments: atm:aread: -t forever: not a duration (10, 10s, 500ms or 2m)\nusage: atm:aread"),
                new Bad("atm:aread", "BadArguments: atm:aread: missing <pvc>\nusage: atm:aread"),
                new Bad("atm:dump 0.0.150", "BadArguments: atm:dump: missing <file.pcap>\nusage: atm:dump <pvc|itf> <file.pcap>"),
                new Bad("atm:dump 0.0.150 /no/such/folder/x.pcap", "BadArguments: atm:dump: file \"/no/such/folder/x.pcap\": the folder /no/such/folder does not exist"),
                new Bad("atm:dump 0.0.150 x.pcap 10 more", "BadArguments: atm:dump: unexpected argument \"more\"\nusage: atm:dump"),
                new Bad("atm:dump 0.0.150 x.pcap soon", "BadArguments: atm:dump: time \"soon\": not a duration"),
                new Bad("atm:events none", "BadArguments: atm:events: count \"none\": not a whole number\nusage: atm:events [count]"),
                new Bad("atm:web now", "BadArguments: atm:web: unexpected argument \"now\" (it takes none)\nusage: atm:web"),
                new Bad("atm:interfaces 9", "Failed: atm:interfaces: no interface 9 (interfaces: 0, 1)"),
                new Bad("atm:open 9.0.150 ubr", "Failed: atm:open 9.0.150 tx: connect 9.0.150: no interface 9"),
                new Bad("atm:close 0.0.151", "Failed: atm:close 0.0.151: the shell holds no connection on 0.0.151 (it closes only its own"),
                new Bad("atm:dump 9 " + work.resolve("x.pcap"), "Failed: atm:dump 9: no interface 9 (interfaces: 0, 1)"));
        // through run/gogo, the operator's client: its exit code says a command failed
        RunningPlatform.Gogo answer = platform.gogo(bad.stream().map(Bad::line).toArray(String[]::new));
        assertEquals("run/gogo exits 1 when a command failed:\n" + answer.output(), 1, answer.exitCode());
        List<String> blocks = new ArrayList<>();
        for (String line : answer.output().split("\n")) {
            if (line.startsWith("gogo: ")) {
                blocks.add(line.substring("gogo: ".length()));
            } else if (!blocks.isEmpty()) {
                blocks.set(blocks.size() - 1, blocks.get(blocks.size() - 1) + "\n" + line);
            }
            assertFalse("a stack trace line: " + line, line.matches("\\s+at [\\w.$]+\\(.*"));
        }
        assertEquals("one answer per bad command:\n" + answer.output(), bad.size(), blocks.size());
        for (int i = 0; i < bad.size(); i++) {
            assertTrue(bad.get(i).line() + " answered:\n" + blocks.get(i), blocks.get(i).startsWith(bad.get(i).answer()));
            if (blocks.get(i).startsWith("BadArguments")) {
                String command = bad.get(i).line().split(" ")[0];
                assertTrue(bad.get(i).line() + ": the usage of " + command + " in:\n" + blocks.get(i),
                        blocks.get(i).contains("\nusage: " + command));
            }
        }
        assertFalse("nothing written for a refused dump", Files.exists(work.resolve("x.pcap")));
    }

    @Test
    public void webNamesTheLoopbackUrlOfTheRatePageAndServesIt() throws Exception {
        String web = platform.atm("atm:web");
        String url = "http://127.0.0.1:" + platform.httpPort + "/atm/";
        assertTrue(web, web.startsWith(url + "\nsampling every 1000 ms, keeping 300 s, the page polls every 1000 ms"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body(), page.body().contains("<title>DROPS ATM: live rates</title>"));
        HttpResponse<String> state = http.send(HttpRequest.newBuilder(URI.create(url + "api/state")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, state.statusCode());
        assertTrue(state.headers().firstValue("content-type").orElse(""), state.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        assertTrue(state.body(), state.body().contains("\"interfaces\":[{\"itf\":0,"));
        HttpResponse<String> missing = http.send(HttpRequest.newBuilder(URI.create(url + "nothing")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, missing.statusCode());
    }

    private static String policyOf(String opened) {
        return opened.substring(opened.indexOf(", policy ") + ", policy ".length()).strip();
    }
}

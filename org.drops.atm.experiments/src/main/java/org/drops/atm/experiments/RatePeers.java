package org.drops.atm.experiments;

import com.google.common.util.concurrent.RateLimiter;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The peers of Table 2: the same rates enforced by other means, measured at their receivers over the same window
 * length as ours.
 * <ul>
 * <li>a Guava {@link RateLimiter}-paced writer over plain Java UDP on loopback (permits = bytes);
 * <li>Linux {@code tc tbf} on a veth pair between two network namespaces created for the run, with a greedy
 * sender and a counting receiver ({@link NetnsPeer}) in JVMs of their own, one in each namespace.
 * </ul>
 */
final class RatePeers {

    /** One flow: a rate to enforce and the datagram (SDU) size. */
    record Flow(long bytesPerSecond, int sduBytes) {
    }

    /** What a peer achieved for one flow, or why it was not measured ({@code sent}/{@code received} NaN). */
    record Measured(double sentBytesPerSecond, double receivedBytesPerSecond, String notMeasured) {
        static Measured not(String why) {
            return new Measured(Double.NaN, Double.NaN, why);
        }

        boolean measured() {
            return notMeasured == null;
        }
    }

    /** Prefix of the namespaces this experiment creates; the rest of the name is the JVM's pid and a random part. */
    static final String NETNS_PREFIX = "datm-t2-";
    /** Ethernet (14) + IPv4 (20) + UDP (8) header bytes of one datagram on the veth: what tbf counts besides the SDU. */
    static final int FRAME_OVERHEAD_BYTES = 14 + 20 + 8;
    /** tbf bucket size in frames: the burst of our interval credit, 10 PDUs. */
    static final int TBF_BURST_FRAMES = 10;
    /** veth MTU: an 8192-byte datagram is one frame, not six IP fragments. */
    static final int VETH_MTU = 9000;

    private RatePeers() {
    }

    // ------------------------------------------------------------------------------------------------ Guava + UDP

    /** Guava RateLimiter-paced writers over loopback UDP, one per flow, concurrently. */
    static List<Measured> guavaUdp(List<Flow> flows, long warmupMillis, long windowMillis) throws Exception {
        int n = flows.size();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLongArray sent = new AtomicLongArray(n);
        AtomicLongArray received = new AtomicLongArray(n);
        List<DatagramChannel> channels = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                Flow f = flows.get(i);
                DatagramChannel in = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                in.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
                DatagramChannel out = DatagramChannel.open();
                out.connect(in.getLocalAddress());
                channels.add(in);
                channels.add(out);
                int index = i;
                // permits = bytes; Guava's SmoothBursty stores at most one second of unused permits
                RateLimiter limiter = RateLimiter.create(f.bytesPerSecond());
                threads.add(new Thread(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(f.sduBytes());
                    try {
                        while (!stop.get()) {
                            limiter.acquire(f.sduBytes());
                            b.clear();
                            sent.addAndGet(index, out.write(b));
                        }
                    } catch (IOException e) {
                        // closed at the end
                    }
                }, "lab-guava-writer-" + i));
                threads.add(new Thread(() -> {
                    ByteBuffer b = ByteBuffer.allocateDirect(65536);
                    try {
                        while (!stop.get()) {
                            b.clear();
                            in.receive(b);
                            received.addAndGet(index, b.position());
                        }
                    } catch (IOException e) {
                        // closed at the end
                    }
                }, "lab-guava-receiver-" + i));
            }
            threads.forEach(t -> {
                t.setDaemon(true);
                t.start();
            });
            Thread.sleep(warmupMillis); // warm-up: the limiters' first (free) permits and stored burst are spent
            long[] s0 = new long[n];
            long[] r0 = new long[n];
            for (int i = 0; i < n; i++) {
                s0[i] = sent.get(i);
                r0[i] = received.get(i);
            }
            long t0 = System.nanoTime();
            Thread.sleep(windowMillis); // the measurement window
            long[] s1 = new long[n];
            long[] r1 = new long[n];
            for (int i = 0; i < n; i++) {
                s1[i] = sent.get(i);
                r1[i] = received.get(i);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            List<Measured> result = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                result.add(new Measured((s1[i] - s0[i]) / seconds, (r1[i] - r0[i]) / seconds, null));
            }
            return result;
        } finally {
            stop.set(true);
            for (DatagramChannel c : channels) {
                c.close();
            }
            for (Thread t : threads) {
                t.join(2000);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ tc tbf

    /** The tbf rate that lets {@code sduBytesPerSecond} of datagrams through: tbf counts whole frames. */
    static long tbfBytesPerSecond(long sduBytesPerSecond, int sduBytes) {
        return (sduBytesPerSecond * (sduBytes + FRAME_OVERHEAD_BYTES) + sduBytes - 1) / sduBytes;
    }

    /** Why the tbf peer cannot run here, or null if it can. */
    static String tbfUnavailable() {
        try {
            if (!"0".equals(run(List.of("id", "-u")).output.trim())) {
                return "not root (network namespaces and tc need CAP_NET_ADMIN)";
            }
            Result ip = run(List.of("ip", "-V"));
            if (ip.exit != 0) {
                return "`ip` (iproute2) does not run: " + ip.output.trim();
            }
            Result tc = run(List.of("tc", "-V"));
            if (tc.exit != 0) {
                return "`tc` (iproute2) does not run: " + tc.output.trim();
            }
            return null;
        } catch (IOException e) {
            return "iproute2 is not installed (" + e.getMessage() + ")";
        }
    }

    /**
     * Two namespaces ({@code ...-tx}, {@code ...-rx}) joined by one veth pair per flow, each with a tbf at the
     * flow's rate on the sender's end; a sender JVM in one namespace, a receiver JVM in the other. The namespaces
     * (and the veths in them) are deleted when done, whatever happens.
     *
     * @param progress for progress lines
     */
    static List<Measured> tcTbf(List<Flow> flows, long warmupMillis, long windowMillis, Lab lab) throws Exception {
        removeLeftovers();
        String base = NETNS_PREFIX + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff));
        String tx = base + "-tx";
        String rx = base + "-rx";
        List<String> created = new ArrayList<>();
        Path classes = Files.createTempDirectory("datm-netns-peer");
        Process receiver = null;
        Process sender = null;
        try {
            Path classFile = classes.resolve("org/drops/atm/experiments/NetnsPeer.class");
            Files.createDirectories(classFile.getParent());
            try (InputStream in = NetnsPeer.class.getResourceAsStream("NetnsPeer.class")) {
                if (in == null) {
                    throw new IOException("NetnsPeer.class is not in the experiments bundle");
                }
                Files.copy(in, classFile);
            }
            for (String ns : List.of(tx, rx)) {
                check(run(List.of("ip", "netns", "add", ns)));
                created.add(ns);
                check(run(List.of("ip", "-n", ns, "link", "set", "lo", "up")));
            }
            List<String> sendArgs = new ArrayList<>();
            List<String> receiveArgs = new ArrayList<>();
            for (int i = 0; i < flows.size(); i++) {
                Flow f = flows.get(i);
                String a = "veth" + i + "a"; // interface names live inside the namespaces: no clash between runs
                String b = "veth" + i + "b";
                String subnet = "10.199." + i + ".";
                check(run(List.of("ip", "link", "add", a, "netns", tx, "mtu", "" + VETH_MTU, "type", "veth", "peer",
                        "name", b, "netns", rx, "mtu", "" + VETH_MTU)));
                check(run(List.of("ip", "-n", tx, "addr", "add", subnet + "1/30", "dev", a)));
                check(run(List.of("ip", "-n", rx, "addr", "add", subnet + "2/30", "dev", b)));
                check(run(List.of("ip", "-n", tx, "link", "set", a, "up")));
                check(run(List.of("ip", "-n", rx, "link", "set", b, "up")));
                long frame = f.sduBytes() + FRAME_OVERHEAD_BYTES;
                long rate = tbfBytesPerSecond(f.bytesPerSecond(), f.sduBytes());
                // burst: 10 frames, the burst our interval-credit meter grants (10 PDUs per interval: POLICING.md);
                // with 2 frames a loaded machine's late softirqs cost tbf 10-20 % of the rate (tokens are capped at
                // the burst). Queue: 4 MiB, more than the sender's socket buffer, so the sender blocks (flow
                // control) instead of tbf dropping.
                check(run(List.of("ip", "netns", "exec", tx, "tc", "qdisc", "add", "dev", a, "root", "tbf",
                        "rate", (rate * 8) + "bit", "burst", "" + TBF_BURST_FRAMES * frame, "limit", "" + (4 << 20))));
                int port = 7000 + i;
                sendArgs.add(subnet + "2:" + port + ":" + f.sduBytes());
                receiveArgs.add("" + port);
            }
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            List<String> jvm = List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                    classes.toString(), NetnsPeer.class.getName());
            List<String> rcmd = new ArrayList<>(List.of("ip", "netns", "exec", rx));
            rcmd.addAll(jvm);
            rcmd.addAll(List.of("receive", "" + warmupMillis, "" + windowMillis));
            rcmd.addAll(receiveArgs);
            receiver = new ProcessBuilder(rcmd).redirectErrorStream(true).start();
            BufferedReader rout = new BufferedReader(new InputStreamReader(receiver.getInputStream(), StandardCharsets.UTF_8));
            String first = rout.readLine();
            if (!"ready".equals(first)) {
                throw new IOException("the tbf receiver did not start: " + first + "\n" + drain(rout));
            }
            List<String> scmd = new ArrayList<>(List.of("ip", "netns", "exec", tx));
            scmd.addAll(jvm);
            // the sender keeps sending after its own window until the receiver's (which starts at the first
            // arrival, a JVM start later) has ended; then it is stopped
            scmd.addAll(List.of("send", "" + warmupMillis, "" + windowMillis, "60000"));
            scmd.addAll(sendArgs);
            lab.progress("table2: peer tc tbf: namespaces %s and %s, %d ms", tx, rx, windowMillis);
            sender = new ProcessBuilder(scmd).redirectErrorStream(true).start();
            Map<String, double[]> rates = new HashMap<>(); // port -> {sent, received}
            BufferedReader sreader = new BufferedReader(new InputStreamReader(sender.getInputStream(), StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder();
            int sentLines = 0;
            for (String line; sentLines < flows.size() && (line = sreader.readLine()) != null; ) {
                sb.append(line).append('\n');
                sentLines += line.startsWith("sent ") ? 1 : 0;
            }
            String rest = drain(rout); // until the receiver, its window over, exits
            if (!receiver.waitFor(30, TimeUnit.SECONDS)) {
                throw new IOException("the tbf receiver did not end");
            }
            sender.destroy();
            if (!sender.waitFor(10, TimeUnit.SECONDS)) {
                sender.destroyForcibly();
            }
            String sout = sb.toString();
            for (String line : (sout + "\n" + rest).split("\n")) {
                String[] w = line.trim().split(" ");
                if (w.length == 4 && (w[0].equals("sent") || w[0].equals("received"))) {
                    double bps = Long.parseLong(w[2]) * 1e9 / Long.parseLong(w[3]);
                    rates.computeIfAbsent(w[1], k -> new double[] {Double.NaN, Double.NaN})[w[0].equals("sent") ? 0 : 1] = bps;
                }
            }
            List<Measured> result = new ArrayList<>();
            for (int i = 0; i < flows.size(); i++) {
                double[] r = rates.get("" + (7000 + i));
                if (r == null || Double.isNaN(r[0]) || Double.isNaN(r[1])) {
                    throw new IOException("the tbf peer reported no rate for flow " + i + ":\nsender: " + sout + "\nreceiver: " + rest);
                }
                result.add(new Measured(r[0], r[1], null));
            }
            return result;
        } finally {
            for (Process p : new Process[] {sender, receiver}) {
                if (p != null && p.isAlive()) {
                    p.destroyForcibly();
                }
            }
            for (String ns : created) {
                Result r = run(List.of("ip", "netns", "del", ns));
                if (r.exit != 0) {
                    lab.progress("table2: could not delete namespace %s: %s", ns, r.output.trim());
                }
            }
            Files.deleteIfExists(classes.resolve("org/drops/atm/experiments/NetnsPeer.class"));
            Files.deleteIfExists(classes.resolve("org/drops/atm/experiments"));
            Files.deleteIfExists(classes.resolve("org/drops/atm"));
            Files.deleteIfExists(classes.resolve("org/drops"));
            Files.deleteIfExists(classes.resolve("org"));
            Files.deleteIfExists(classes);
        }
    }

    /** Namespaces of earlier runs whose JVM is gone (killed before its finally): never another live run's. */
    private static void removeLeftovers() throws IOException {
        for (String line : run(List.of("ip", "netns", "list")).output.split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (!name.startsWith(NETNS_PREFIX)) {
                continue;
            }
            String[] parts = name.substring(NETNS_PREFIX.length()).split("-");
            try {
                long pid = Long.parseLong(parts[0]);
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
            } catch (NumberFormatException e) {
                continue; // not ours
            }
            run(List.of("ip", "netns", "del", name));
        }
    }

    private static String drain(BufferedReader r) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String line; (line = r.readLine()) != null; ) {
            b.append(line).append('\n');
        }
        return b.toString();
    }

    private record Result(String command, int exit, String output) {
    }

    private static void check(Result r) throws IOException {
        if (r.exit != 0) {
            throw new IOException(r.command + " exited with " + r.exit + ": " + r.output.trim());
        }
    }

    private static Result run(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no end within 30 s");
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(String.join(" ", command), p.exitValue(), out);
    }

    static String format(double bytesPerSecond) {
        return String.format(Locale.ROOT, "%.0f", bytesPerSecond);
    }
}

package org.drops.atm.itest;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Network namespaces an integration test creates for itself, and what runs in them: iproute2, ping, and
 * {@link NetTool} JVMs. Every name starts with {@link #PREFIX} (interfaces with {@link #LINK_PREFIX}), so
 * {@link #removeLeftovers()} can clear what an earlier, killed run left behind before a test starts. Tests
 * close their namespaces in finally blocks; only loopback and these namespaces see traffic.
 */
public final class Namespaces implements AutoCloseable {

    public static final String PREFIX = "dropsatm-it-";
    public static final String LINK_PREFIX = "datmi";
    public static final Duration COMMAND_DEADLINE = Duration.ofSeconds(60);
    /** "rtt min/avg/max/mdev = 0.061/0.083/0.121/0.020 ms" */
    public static final Pattern RTT = Pattern.compile("rtt min/avg/max/mdev = ([\\d.]+)/([\\d.]+)/([\\d.]+)/([\\d.]+) ms");

    private final List<String> names = new ArrayList<>();

    /** Namespaces and interfaces of earlier runs, by prefix: the namespaces, then links left in the host's. */
    public static void removeLeftovers() throws IOException {
        for (String line : run("ip", "netns", "list").output().split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith(PREFIX)) {
                run("ip", "netns", "del", name).check();
            }
        }
        for (String link : leftoverLinks()) {
            run("ip", "link", "del", link); // may fail: deleting one end of a veth pair took the other
        }
        List<String> still = leftoverLinks();
        if (!still.isEmpty()) {
            throw new IOException("cannot delete interfaces left by an earlier run: " + still);
        }
    }

    private static List<String> leftoverLinks() throws IOException {
        List<String> links = new ArrayList<>();
        for (String line : run("ip", "-o", "link", "show").output().split("\n")) {
            String[] fields = line.split(":\\s+");
            if (fields.length > 1 && fields[1].startsWith(LINK_PREFIX)) {
                links.add(fields[1].split("@")[0]);
            }
        }
        return links;
    }

    /** Creates a namespace named PREFIX + suffix, with its loopback up. */
    public String create(String suffix) throws IOException {
        String name = PREFIX + suffix;
        run("ip", "netns", "add", name).check();
        names.add(name);
        run("ip", "-n", name, "link", "set", "lo", "up").check();
        return name;
    }

    /** Deletes every namespace this object created; the interfaces moved into them go with them. */
    @Override
    public void close() throws IOException {
        IOException first = null;
        for (String name : names) {
            Result r = run("ip", "netns", "del", name);
            if (r.exitCode() != 0 && first == null) {
                first = new IOException("ip netns del " + name + ": " + r.output());
            }
        }
        names.clear();
        if (first != null) {
            throw first;
        }
    }

    /** What a command said and how it ended. */
    public record Result(String command, int exitCode, String output) {
        public Result check() throws IOException {
            if (exitCode != 0) {
                throw new IOException(command + " exited with " + exitCode + ":\n" + output);
            }
            return this;
        }
    }

    public static Result run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(COMMAND_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no end within " + COMMAND_DEADLINE);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return new Result(String.join(" ", command), p.exitValue(), out);
    }

    public static Result exec(String netns, String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /** Polls {@code ip -n netns link show dev name} until the interface has carrier; returns the last output. */
    public static String awaitCarrier(String netns, String name, Duration deadline) throws IOException {
        long end = System.nanoTime() + deadline.toNanos();
        Result r;
        do {
            r = run("ip", "-n", netns, "link", "show", "dev", name);
            if (r.exitCode() == 0 && r.output().contains(",LOWER_UP")) {
                return r.output();
            }
            RunningPlatform.sleep(Duration.ofMillis(100)); // polling the kernel's state, not waiting it out
        } while (System.nanoTime() - end < 0);
        throw new AssertionError(name + " in " + netns + " has no carrier after " + deadline + ":\n" + r.output());
    }

    /** {@code ping} from a namespace; the average RTT in ms, after asserting that every echo came back. */
    public static double ping(String netns, String address, int count) throws IOException {
        Result r = exec(netns, "ping", address.contains(":") ? "-6" : "-4", "-c", Integer.toString(count), "-i", "0.2",
                "-W", "2", "-n", address);
        if (r.exitCode() != 0 || !r.output().contains(count + " received")) {
            throw new AssertionError("ping " + address + " from " + netns + " failed (exit " + r.exitCode() + "):\n" + r.output());
        }
        Matcher m = RTT.matcher(r.output());
        if (!m.find()) {
            throw new AssertionError("no rtt line in:\n" + r.output());
        }
        double avg = Double.parseDouble(m.group(2));
        System.out.printf(Locale.ROOT, "ping %s -> %s: %d of %d, rtt min/avg/max %s/%s/%s ms%n", netns, address, count,
                count, m.group(1), m.group(2), m.group(3));
        return avg;
    }

    /** Outcome of a {@link NetTool} transfer. */
    public record Transfer(long bytes, String sentSha256, String receivedSha256, long receiveNanos) {
        public double megabitsPerSecond() {
            return bytes * 8 / (receiveNanos / 1e9) / 1e6;
        }
    }

    /**
     * A TCP transfer of {@code bytes} pseudo-random bytes from a {@link NetTool} client in {@code from} to a
     * server in {@code to} listening on {@code address}: both JVMs run in their namespaces; the server is
     * started first and the client only once the server said it listens.
     */
    public static Transfer tcpTransfer(String from, String to, String address, int port, long bytes) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classes = System.getProperty("atm.itest.classes");
        if (classes == null) {
            throw new IllegalStateException("system property atm.itest.classes is not set (failsafe sets it; see pom.xml)");
        }
        Process server = new ProcessBuilder("ip", "netns", "exec", to, java, "-cp", classes, NetTool.class.getName(),
                "server", address, Integer.toString(port)).redirectErrorStream(true).start();
        try (BufferedReader serverOut = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
            String line = serverOut.readLine();
            if (!"listening".equals(line)) {
                throw new AssertionError("NetTool server in " + to + " said: " + line);
            }
            Result client = exec(from, java, "-cp", classes, NetTool.class.getName(), "client", address,
                    Integer.toString(port), Long.toString(bytes), "2026");
            String received = serverOut.readLine();
            if (!server.waitFor(COMMAND_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("NetTool server in " + to + " did not end");
            }
            String[] sent = client.check().output().strip().split(" ");
            if (received == null || !received.startsWith("received ") || sent.length != 4 || !sent[0].equals("sent")) {
                throw new AssertionError("transfer failed; client said: " + client.output() + "; server said: " + received);
            }
            String[] got = received.split(" ");
            return new Transfer(Long.parseLong(got[1]), sent[2], got[2], Long.parseLong(got[3]));
        } finally {
            server.destroyForcibly();
        }
    }
}

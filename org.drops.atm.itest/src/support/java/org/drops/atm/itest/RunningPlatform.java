package org.drops.atm.itest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real platform, started the way a user starts it: {@code run/atm --no-console} with a telnet port
 * of its own, and folders of its own for bundles, configuration and framework storage, so that a test
 * neither disturbs nor depends on the developer's bundles/ or a platform already running. Driven
 * through {@code run/gogo}. Only loopback.
 *
 * <p>{@link #startIn} starts it inside a network namespace ({@code ip netns exec}): its telnet daemon then listens
 * on the namespace's loopback, and the test talks to it through {@code ip netns exec ... run/gogo}, and for
 * {@link #telnet} through one relay JVM in the namespace ({@link #main}), so that many shell calls stay cheap.
 */
public final class RunningPlatform implements AutoCloseable {

    public static final String ROOT_PROPERTY = "atm.root";
    public static final Duration START_DEADLINE = Duration.ofSeconds(90);
    public static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
    public static final Duration GOGO_DEADLINE = Duration.ofSeconds(60);

    /** What run/gogo said and how it ended. */
    public record Gogo(int exitCode, String output) {
    }

    public final Path root;
    public final Path workDir;
    public final Path bundlesDir;
    public final Path configDir;
    public final int telnetPort;
    /** Felix HTTP's port on 127.0.0.1 (the rate page): a free one, so platforms never collide on the default 8019. */
    public final int httpPort;
    public final Path log;
    /** The network namespace it runs in, or null for the host's. */
    public final String netns;
    private final Process process;
    private Process relay;
    private java.io.BufferedReader relayOut;

    private RunningPlatform(Path root, Path workDir, int telnetPort, int httpPort, Process process, String netns) {
        this.netns = netns;
        this.root = root;
        this.workDir = workDir;
        this.bundlesDir = bundlesDir(workDir);
        this.configDir = configDir(workDir);
        this.telnetPort = telnetPort;
        this.httpPort = httpPort;
        this.log = workDir.resolve("platform.log");
        this.process = process;
    }

    /** The folders a platform of workDir uses; a test may fill them before {@link #start}. */
    public static Path bundlesDir(Path workDir) {
        return workDir.resolve("bundles");
    }

    public static Path configDir(Path workDir) {
        return workDir.resolve("conf");
    }

    /** Copies the shipped default configuration (run/conf/*.cfg) into the configuration folder of workDir. */
    public static void useDefaultConfiguration(Path workDir) throws IOException {
        Path root = Path.of(System.getProperty(ROOT_PROPERTY, "..")).toAbsolutePath().normalize();
        Path target = Files.createDirectories(configDir(workDir));
        try (var files = Files.list(root.resolve("run/conf"))) {
            for (Path cfg : files.filter(f -> f.getFileName().toString().endsWith(".cfg")).toList()) {
                Files.copy(cfg, target.resolve(cfg.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /**
     * Replaces a file of the configuration folder in one step (write beside it, then move), so FileInstall never
     * reads half a file.
     */
    public void writeConfiguration(String fileName, String content) throws IOException {
        Path temporary = Files.createTempFile(workDir, "cfg", ".tmp");
        Files.writeString(temporary, content, StandardCharsets.UTF_8);
        Files.move(temporary, configDir.resolve(fileName), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * Starts run/atm on a fresh storage folder with the project's bundles (a copy of bundles/) and
     * returns once its telnet daemon answers.
     */
    public static RunningPlatform start(Path workDir, String... extraArguments) throws IOException {
        return startIn(null, workDir, extraArguments);
    }

    /** {@link #start} inside the network namespace netns ({@code ip netns exec}); null for the host's. */
    public static RunningPlatform startIn(String netns, Path workDir, String... extraArguments) throws IOException {
        Path root = Path.of(System.getProperty(ROOT_PROPERTY, "..")).toAbsolutePath().normalize();
        Files.createDirectories(bundlesDir(workDir));
        Files.createDirectories(configDir(workDir));
        for (Path bundle : LauncherBundleSet.fromSystemProperties().hotDeployedBundles()) {
            Files.copy(bundle, bundlesDir(workDir).resolve(bundle.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        int[] ports = freeLoopbackPorts(2);
        int port = ports[0];
        int httpPort = ports[1];
        List<String> command = new ArrayList<>(inNetns(netns));
        command.addAll(List.of("bash", root.resolve("run/atm").toString(),
                "--no-console",
                "--telnet-port", Integer.toString(port),
                "--bundles", bundlesDir(workDir).toString(),
                "--config", configDir(workDir).toString(),
                "--storage", workDir.resolve("storage").toString(),
                "-Dorg.osgi.service.http.port=" + httpPort));
        command.addAll(List.of(extraArguments));
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile()) // run/atm must work from any current directory
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("platform.log").toFile())
                .start();
        RunningPlatform platform = new RunningPlatform(root, workDir, port, httpPort, process, netns);
        try {
            platform.awaitTelnetDaemon();
            return platform;
        } catch (RuntimeException | Error e) {
            platform.close();
            throw e;
        }
    }

    private static List<String> inNetns(String netns) {
        return netns == null ? List.of() : List.of("ip", "netns", "exec", netns);
    }

    private void awaitTelnetDaemon() {
        long deadline = System.nanoTime() + START_DEADLINE.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new AssertionError("run/atm exited with " + process.exitValue() + " before its telnet daemon answered\n" + logTail());
            }
            // run/gogo itself retries the connection for a few seconds; this loop also covers a slow build
            Gogo answer = gogo("--wait", "5", "echo ready");
            if (answer.exitCode() == 0 && answer.output().contains("ready")) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new AssertionError("no telnet daemon on 127.0.0.1:" + telnetPort + " after " + START_DEADLINE + "\n" + logTail());
            }
        }
    }

    /** Runs run/gogo with these arguments (options, then command lines) against this platform. */
    public Gogo gogo(String... arguments) {
        List<String> command = new ArrayList<>(inNetns(netns));
        command.addAll(List.of("bash", root.resolve("run/gogo").toString(),
                "--port", Integer.toString(telnetPort), "--timeout", Long.toString(GOGO_DEADLINE.toSeconds())));
        command.addAll(List.of(arguments));
        try {
            Process gogo = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(gogo.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!gogo.waitFor(GOGO_DEADLINE.toSeconds() + 30, TimeUnit.SECONDS)) {
                gogo.destroyForcibly();
                throw new AssertionError("run/gogo did not end: " + command);
            }
            return new Gogo(gogo.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Runs command lines in one Gogo session over the telnet daemon from this JVM: the conversation of
     * run/GogoClient.java (write the lines, half-close, read to the end, drop telnet negotiation, banner and prompts)
     * without starting a client JVM per call, for tests that talk to the shell many times. Exit code as run/gogo's:
     * 1 if a line starts with {@code gogo: }.
     */
    public Gogo telnet(String... commandLines) {
        if (netns != null) {
            return relayed(commandLines);
        }
        return telnet(telnetPort, commandLines);
    }

    /** Separates command lines in a request to the relay, and ends its answer (with the exit code after it). */
    private static final char RELAY_SEPARATOR = '\u001f';
    private static final char RELAY_END = '\u001e';

    private synchronized Gogo relayed(String... commandLines) {
        try {
            if (relay == null || !relay.isAlive()) {
                String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
                String classes = System.getProperty("atm.itest.classes");
                if (classes == null) {
                    throw new IllegalStateException("system property atm.itest.classes is not set (failsafe sets it; see pom.xml)");
                }
                List<String> command = new ArrayList<>(inNetns(netns));
                command.addAll(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", classes,
                        RunningPlatform.class.getName(), Integer.toString(telnetPort)));
                relay = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
                relayOut = new java.io.BufferedReader(new java.io.InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8));
            }
            for (String line : commandLines) {
                if (line.indexOf('\n') >= 0 || line.indexOf(RELAY_SEPARATOR) >= 0) {
                    throw new IllegalArgumentException("a command line with a line break: " + line);
                }
            }
            relay.getOutputStream().write((String.join(String.valueOf(RELAY_SEPARATOR), commandLines) + "\n").getBytes(StandardCharsets.UTF_8));
            relay.getOutputStream().flush();
            StringBuilder output = new StringBuilder();
            for (String line = relayOut.readLine(); ; line = relayOut.readLine()) {
                if (line == null) {
                    throw new AssertionError("the telnet relay in " + netns + " ended");
                }
                if (!line.isEmpty() && line.charAt(0) == RELAY_END) {
                    return new Gogo(Integer.parseInt(line.substring(1)), output.toString());
                }
                output.append(line).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException("telnet relay in " + netns, e);
        }
    }

    /**
     * The relay {@link #telnet} uses for a platform in a network namespace, run there by {@code ip netns exec}:
     * argument the telnet port; reads requests (command lines joined by U+001F) from stdin, one a line, and answers
     * each with the shell's output and a line of U+001E and the exit code.
     */
    public static void main(String[] args) throws IOException {
        int port = Integer.parseInt(args[0]);
        java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in, StandardCharsets.UTF_8));
        java.io.PrintStream out = new java.io.PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
        for (String request = in.readLine(); request != null; request = in.readLine()) {
            Gogo answer;
            try {
                answer = telnet(port, request.split(String.valueOf(RELAY_SEPARATOR), -1));
            } catch (RuntimeException e) {
                answer = new Gogo(2, "relay: " + e + "\n");
            }
            out.print(answer.output());
            if (!answer.output().isEmpty() && !answer.output().endsWith("\n")) {
                out.print('\n');
            }
            out.print(RELAY_END + Integer.toString(answer.exitCode()) + "\n");
            out.flush();
        }
    }

    private static Gogo telnet(int telnetPort, String... commandLines) {
        try (java.net.Socket socket = new java.net.Socket(InetAddress.getLoopbackAddress(), telnetPort)) {
            socket.setSoTimeout((int) GOGO_DEADLINE.toMillis());
            socket.getOutputStream().write((String.join("\n", commandLines) + "\n").getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            socket.shutdownOutput();
            java.io.InputStream in = socket.getInputStream();
            java.io.ByteArrayOutputStream data = new java.io.ByteArrayOutputStream();
            for (int b = in.read(); b >= 0; b = in.read()) {
                if (b != 255) {
                    data.write(b);
                    continue;
                }
                int command = in.read(); // IAC: RFC 854 command
                if (command == 255) {
                    data.write(255);
                } else if (command >= 251 && command <= 254) {
                    in.read();
                } else if (command == 250) {
                    for (int previous = 0, c = in.read(); c >= 0 && !(previous == 255 && c == 240); previous = c, c = in.read()) {
                        // subnegotiation
                    }
                }
            }
            StringBuilder text = new StringBuilder();
            boolean banner = true;
            for (String line : data.toString(StandardCharsets.UTF_8).replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
                while (line.startsWith("g! ")) {
                    line = line.substring(3);
                }
                if (line.equals("g!")) {
                    line = "";
                }
                if (banner && (line.isEmpty() || line.startsWith("____") || line.startsWith("Welcome to Apache Felix Gogo"))) {
                    continue;
                }
                banner = false;
                if (!line.equals("gosh: stopping shell")) {
                    text.append(line).append('\n');
                }
            }
            String output = text.toString().replaceAll("\n+$", "") + "\n";
            boolean failed = output.lines().anyMatch(l -> l.startsWith("gogo: "));
            return new Gogo(failed ? 1 : 0, output.equals("\n") ? "" : output);
        } catch (IOException e) {
            throw new UncheckedIOException("telnet to 127.0.0.1:" + telnetPort, e);
        }
    }

    /** Output of command lines that must succeed, through {@link #telnet}. */
    public String atm(String... commandLines) {
        Gogo answer = telnet(commandLines);
        if (answer.exitCode() != 0) {
            throw new AssertionError(String.join(" | ", commandLines) + " failed:\n" + answer.output());
        }
        return answer.output();
    }

    /** Repeats the command lines (through {@link #telnet}) until their output satisfies the condition. */
    public String awaitAtm(Duration deadline, Predicate<String> condition, String description, String... commandLines) {
        long end = System.nanoTime() + deadline.toNanos();
        String last;
        do {
            last = telnet(commandLines).output();
            if (condition.test(last)) {
                return last;
            }
            sleep(Duration.ofMillis(100));
        } while (System.nanoTime() - end < 0);
        throw new AssertionError("after " + deadline + ", still not " + description + "; last output of "
                + String.join(" | ", commandLines) + ":\n" + last + "\n" + logTail());
    }

    /** Output of Gogo command lines that must succeed. */
    public String shell(String... commandLines) {
        Gogo answer = gogo(commandLines);
        if (answer.exitCode() != 0) {
            throw new AssertionError("run/gogo " + String.join(" | ", commandLines) + " exited with "
                    + answer.exitCode() + ":\n" + answer.output());
        }
        return answer.output();
    }

    /** Repeats the command lines until their output satisfies the condition: no fixed sleeps. */
    public String awaitShell(Duration deadline, Predicate<String> condition, String description, String... commandLines) {
        long end = System.nanoTime() + deadline.toNanos();
        String last;
        do {
            last = gogo(commandLines).output();
            if (condition.test(last)) {
                return last;
            }
            sleep(Duration.ofMillis(200));
        } while (System.nanoTime() - end < 0);
        throw new AssertionError("after " + deadline + ", still not " + description + "; last output of "
                + String.join(" | ", commandLines) + ":\n" + last + "\n" + logTail());
    }

    /** The platform's processes: run/atm and what it started (the platform's JVM among them). */
    public List<ProcessHandle> processTree() {
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(process.toHandle());
        tree.addAll(process.descendants().toList());
        return tree;
    }

    /** Waits for the platform's process (run/atm) to end and returns its exit code. */
    public int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("run/atm still running " + deadline + " later\n" + logTail());
        }
        return process.exitValue();
    }

    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return "--- last lines of " + log + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the platform: `stop 0` if it still answers, then TERM, then KILL for the script and its java. */
    @Override
    public void close() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        try {
            if (process.isAlive()) {
                gogo("stop 0");
                if (!process.waitFor(STOP_DEADLINE.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroy(); // run/atm passes TERM on to java
                    process.waitFor(10, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | AssertionError e) {
            // fall through to killing
        } finally {
            tree.addAll(process.descendants().toList());
            tree.forEach(ProcessHandle::destroyForcibly);
            synchronized (this) {
                if (relay != null) {
                    relay.destroyForcibly();
                }
            }
        }
    }

    /** Distinct free ports: each is held open until all are found. */
    public static int[] freeLoopbackPorts(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } finally {
            for (ServerSocket socket : held) {
                socket.close();
            }
        }
    }

    public static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

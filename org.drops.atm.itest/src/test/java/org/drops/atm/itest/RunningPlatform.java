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
 */
final class RunningPlatform implements AutoCloseable {

    static final String ROOT_PROPERTY = "atm.root";
    static final Duration START_DEADLINE = Duration.ofSeconds(90);
    static final Duration STOP_DEADLINE = Duration.ofSeconds(30);
    static final Duration GOGO_DEADLINE = Duration.ofSeconds(60);

    /** What run/gogo said and how it ended. */
    record Gogo(int exitCode, String output) {
    }

    final Path root;
    final Path workDir;
    final Path bundlesDir;
    final Path configDir;
    final int telnetPort;
    final Path log;
    private final Process process;

    private RunningPlatform(Path root, Path workDir, int telnetPort, Process process) {
        this.root = root;
        this.workDir = workDir;
        this.bundlesDir = bundlesDir(workDir);
        this.configDir = configDir(workDir);
        this.telnetPort = telnetPort;
        this.log = workDir.resolve("platform.log");
        this.process = process;
    }

    /** The folders a platform of workDir uses; a test may fill them before {@link #start}. */
    static Path bundlesDir(Path workDir) {
        return workDir.resolve("bundles");
    }

    static Path configDir(Path workDir) {
        return workDir.resolve("conf");
    }

    /**
     * Starts run/atm on a fresh storage folder with the project's bundles (a copy of bundles/) and
     * returns once its telnet daemon answers.
     */
    static RunningPlatform start(Path workDir, String... extraArguments) throws IOException {
        Path root = Path.of(System.getProperty(ROOT_PROPERTY, "..")).toAbsolutePath().normalize();
        Files.createDirectories(bundlesDir(workDir));
        Files.createDirectories(configDir(workDir));
        for (Path bundle : LauncherBundleSet.fromSystemProperties().hotDeployedBundles()) {
            Files.copy(bundle, bundlesDir(workDir).resolve(bundle.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        int port = freeLoopbackPort();
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("run/atm").toString(),
                "--no-console",
                "--telnet-port", Integer.toString(port),
                "--bundles", bundlesDir(workDir).toString(),
                "--config", configDir(workDir).toString(),
                "--storage", workDir.resolve("storage").toString()));
        command.addAll(List.of(extraArguments));
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile()) // run/atm must work from any current directory
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("platform.log").toFile())
                .start();
        RunningPlatform platform = new RunningPlatform(root, workDir, port, process);
        try {
            platform.awaitTelnetDaemon();
            return platform;
        } catch (RuntimeException | Error e) {
            platform.close();
            throw e;
        }
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
    Gogo gogo(String... arguments) {
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("run/gogo").toString(),
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

    /** Output of Gogo command lines that must succeed. */
    String shell(String... commandLines) {
        Gogo answer = gogo(commandLines);
        if (answer.exitCode() != 0) {
            throw new AssertionError("run/gogo " + String.join(" | ", commandLines) + " exited with "
                    + answer.exitCode() + ":\n" + answer.output());
        }
        return answer.output();
    }

    /** Repeats the command lines until their output satisfies the condition: no fixed sleeps. */
    String awaitShell(Duration deadline, Predicate<String> condition, String description, String... commandLines) {
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

    /** Waits for the platform's process (run/atm) to end and returns its exit code. */
    int awaitExit(Duration deadline) throws InterruptedException {
        if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("run/atm still running " + deadline + " later\n" + logTail());
        }
        return process.exitValue();
    }

    String logTail() {
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
        }
    }

    static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

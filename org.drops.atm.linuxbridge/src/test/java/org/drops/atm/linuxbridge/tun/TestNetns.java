package org.drops.atm.linuxbridge.tun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Network namespaces a test creates for itself, named with a prefix of its own so that leftovers of an earlier
 * run that was killed before its cleanup can be found and removed first.
 */
final class TestNetns implements AutoCloseable {

    static final String PREFIX = "dropsatm-u-";

    final String name;

    private TestNetns(String name) {
        this.name = name;
    }

    /** Removes every namespace with the prefix (an earlier run's), then creates a fresh one. */
    static TestNetns create(String suffix) throws IOException {
        for (String leftover : list()) {
            run("ip", "netns", "del", leftover);
        }
        String name = PREFIX + suffix;
        run("ip", "netns", "add", name);
        return new TestNetns(name);
    }

    static List<String> list() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : run("ip", "netns", "list").split("\n")) {
            String name = line.trim().split("\\s+")[0];
            if (name.startsWith(PREFIX)) {
                names.add(name);
            }
        }
        return names;
    }

    /** A command inside the namespace; its output. */
    String exec(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return run(full.toArray(String[]::new));
    }

    /** A command inside the namespace; its exit code, output ignored. */
    int execStatus(String... command) throws IOException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return status(full.toArray(String[]::new));
    }

    /** The kernel's counter of the interface in this namespace, such as {@code rx_packets}. */
    long counter(String device, String counter) throws IOException {
        return Long.parseLong(exec("cat", "/sys/class/net/" + device + "/statistics/" + counter).strip());
    }

    @Override
    public void close() throws IOException {
        run("ip", "netns", "del", name);
    }

    static String run(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return out;
    }

    static int status(String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
        return p.exitValue();
    }
}

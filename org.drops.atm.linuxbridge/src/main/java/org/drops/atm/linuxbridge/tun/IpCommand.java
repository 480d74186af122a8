package org.drops.atm.linuxbridge.tun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * iproute2's {@code ip}, run as a process: moves an interface into a network namespace, sets its MTU, assigns
 * addresses and brings it up. (Netlink through JNA would do the same without a process; {@code ip} is what an
 * administrator reads and types, so the log shows the exact command that failed.)
 */
final class IpCommand {

    static final long TIMEOUT_SECONDS = 10;

    private final String executable;

    /** @param executable the {@code ip} program, a path or a name looked up on PATH */
    IpCommand(String executable) {
        this.executable = executable;
    }

    /**
     * Runs {@code ip [-n netns] arguments...}.
     *
     * @param netns the namespace to act in, or empty for the platform's own
     * @throws IOException with the command line, exit code and {@code ip}'s message if it fails
     */
    void run(String netns, String... arguments) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(executable);
        if (!netns.isEmpty()) {
            command.add("-n");
            command.add(netns);
        }
        command.addAll(List.of(arguments));
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new IOException(String.join(" ", command) + ": cannot run " + executable
                    + " (install iproute2, or set ip.command): " + e.getMessage(), e);
        }
        try {
            // ip prints little; reading to the end before waiting cannot deadlock on a full pipe
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + ": no answer within " + TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + ": exit " + process.exitValue()
                        + (output.isEmpty() ? "" : ": " + output));
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + ": interrupted", e);
        }
    }
}

package org.drops.atm.itest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Assume;

/** External programs the tests use (installed by .ci/run): found on the PATH, run with a time limit. */
public final class Tools {

    private Tools() {
    }

    /**
     * The tool's path. Missing: the test is skipped on a developer's machine, and fails under CI (CI=true), where
     * .ci/run installs it, so a broken install never passes silently.
     */
    public static Path require(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        String message = tool + " is not installed (Debian package " + (tool.equals("tshark") ? "tshark" : tool)
                + "; .ci/run installs it)";
        if ("true".equals(System.getenv("CI"))) {
            throw new AssertionError(message);
        }
        Assume.assumeTrue(message, false);
        return null;
    }

    /** tshark's fields of every packet of a capture, one array per packet. */
    public static List<String[]> tshark(Path capture, String... fields) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(require("tshark").toString(), "-r", capture.toString(), "-T", "fields",
                "-E", "separator=/t", "-E", "occurrence=f"));
        for (String f : fields) {
            command.add("-e");
            command.add(f);
        }
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tshark did not end: " + command);
        }
        if (p.exitValue() != 0) {
            throw new AssertionError("tshark exited with " + p.exitValue() + ": " + command);
        }
        List<String[]> packets = new ArrayList<>();
        for (String line : out.split("\n")) {
            if (!line.isEmpty()) {
                packets.add(line.split("\t", -1));
            }
        }
        return packets;
    }
}

package org.drops.atm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.Test;

/**
 * Issue 7, IP over ATM between two platforms: two real launchers (run/atm) on this host, their ATM interfaces
 * joined by the UDP link on loopback, each with a TUN interface moved into a network namespace of the test's
 * own. Configured the way an administrator would, by .cfg files; observed through ping, TCP and {@code atm:tun}.
 * Needs root (CI runs as root), iproute2 and iputils-ping.
 */
public class IpOverAtmUdpLinkIT {

    static final Duration ATTACH_DEADLINE = Duration.ofSeconds(60);
    static final long TRANSFER_BYTES = 10L * 1024 * 1024;

    @Test
    public void pingBothWaysAndTenMegabytesOfTcpCrossTheUdpLinkBetweenTwoPlatforms() throws Exception {
        Namespaces.removeLeftovers();
        int portA = RunningPlatform.freeLoopbackPort();
        int portB = RunningPlatform.freeLoopbackPort();
        while (portB == portA) {
            portB = RunningPlatform.freeLoopbackPort();
        }
        String a;
        String b;
        try (Namespaces ns = new Namespaces()) {
            a = ns.create("udp-a");
            b = ns.create("udp-b");
            Path workA = LauncherIT.freshWorkDir("ipoa-a");
            Path workB = LauncherIT.freshWorkDir("ipoa-b");
            configure(workA, portA, portB, "datmiU1", a, "10.215.0.1/24");
            configure(workB, portB, portA, "datmiU2", b, "10.215.0.2/24");
            // both launchers start at once: each takes a few seconds, mostly JVM and framework start-up
            CompletableFuture<RunningPlatform> startA = CompletableFuture.supplyAsync(() -> start(workA));
            CompletableFuture<RunningPlatform> startB = CompletableFuture.supplyAsync(() -> start(workB));
            try (Platforms started = new Platforms(startA, startB)) {
                RunningPlatform pa = startA.join();
                RunningPlatform pb = startB.join();
                Namespaces.awaitCarrier(a, "datmiU1", ATTACH_DEADLINE);
                Namespaces.awaitCarrier(b, "datmiU2", ATTACH_DEADLINE);
                String tun = pa.shell("tun");
                assertTrue(tun, tun.contains("datmiU1 (netns " + a + ")") && tun.contains("state ATTACHED"));

                Namespaces.ping(a, "10.215.0.2", 5);
                Namespaces.ping(b, "10.215.0.1", 5);

                Namespaces.Transfer t = Namespaces.tcpTransfer(b, a, "10.215.0.1", 5002, TRANSFER_BYTES);
                System.out.printf(Locale.ROOT, "TCP %d bytes over the UDP link at OC-3 between two platforms: %.1f Mbit/s, sha256 %s%n",
                        t.bytes(), t.megabitsPerSecond(), t.receivedSha256());
                assertEquals("bytes received", TRANSFER_BYTES, t.bytes());
                assertEquals("SHA-256 of what arrived", t.sentSha256(), t.receivedSha256());
                System.out.println("platform A, atm:tun\n" + pa.shell("tun") + "platform B, atm:tun\n" + pb.shell("tun"));
            }
            // the platforms stopped (stop 0): their bundles stopped and removed the interfaces
            assertNotEquals("datmiU1 outlived its platform", 0, Namespaces.run("ip", "-n", a, "link", "show", "dev", "datmiU1").exitCode());
            assertNotEquals("datmiU2 outlived its platform", 0, Namespaces.run("ip", "-n", b, "link", "show", "dev", "datmiU2").exitCode());
        }
    }

    /** Waits for both starts to end, then closes every platform that did start, whatever happened. */
    private static final class Platforms implements AutoCloseable {
        private final CompletableFuture<RunningPlatform>[] starts;

        @SafeVarargs
        Platforms(CompletableFuture<RunningPlatform>... starts) {
            this.starts = starts;
        }

        @Override
        public void close() {
            for (CompletableFuture<RunningPlatform> s : starts) {
                try {
                    s.join().close();
                } catch (RuntimeException failedToStart) {
                    // RunningPlatform.start stops what it started before it throws
                }
            }
        }
    }

    private static RunningPlatform start(Path work) {
        try {
            return RunningPlatform.start(work);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The platform's configuration folder: one ATM interface on the UDP link, one TUN interface on its PVC. */
    private static void configure(Path work, int localPort, int peerPort, String tunName, String netns, String address)
            throws java.io.IOException {
        Path conf = Files.createDirectories(RunningPlatform.configDir(work));
        Files.writeString(conf.resolve("org.drops.atm.driver.pca200e.interface-udp.cfg"), String.join("\n",
                "atm.itf = 0",
                "link = udp",
                "udp.local = 127.0.0.1:" + localPort,
                "udp.peer = 127.0.0.1:" + peerPort,
                "line.rate = oc3", ""), StandardCharsets.UTF_8);
        Files.writeString(conf.resolve("org.drops.atm.linuxbridge.tun-ip.cfg"), String.join("\n",
                "name = " + tunName,
                "netns = " + netns,
                "address = " + address,
                "pvc = 0.0.100", ""), StandardCharsets.UTF_8);
    }
}

package org.drops.atm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import javax.inject.Inject;
import org.drops.atm.api.server.ProtocolServer;
import org.drops.atm.linuxbridge.IpOverAtmInterface;
import org.drops.atm.linuxbridge.IpOverAtmStatistics;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 7, IP over ATM in one platform: two TUN interfaces, each moved into a network namespace of the test's
 * own, joined through the whole ATM stack (bridge, protocol server, PCA-200E model at OC-3, memory wire
 * between interfaces 40 and 41). Linux in each namespace sees a point-to-point link; ping and a 10 MB TCP
 * transfer cross it. Needs root (CI runs as root), iproute2 and iputils-ping (.ci/run installs them).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class IpOverAtmIT {

    static final String TUN_FACTORY_PID = "org.drops.atm.linuxbridge.tun";
    static final Duration ATTACH_DEADLINE = Duration.ofSeconds(20);
    static final long TRANSFER_BYTES = 10L * 1024 * 1024;

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Inject
    ProtocolServer server;

    @Configuration
    public Option[] configuration() throws IOException {
        return PlatformBundlesIT.platform();
    }

    @Test
    public void pingBothWaysAndTenMegabytesOfTcpCrossTheMemoryLink() throws Exception {
        Namespaces.removeLeftovers();
        // closed in reverse order: the TUN configurations first, then the ATM interfaces, then the namespaces
        try (Namespaces ns = new Namespaces();
             Interfaces itfs = Interfaces.backToBack(configurationAdmin, 40, 41, "it-ipoa");
             Tuns tuns = new Tuns()) {
            String a = ns.create("mem-a");
            String b = ns.create("mem-b");
            SocketServiceIT.awaitInterfaces(server, 2);
            tuns.add("mem-a", "datmiA", a, "40.0.100", "10.214.0.1/24, fd00:214::1/64");
            tuns.add("mem-b", "datmiB", b, "41.0.100", "10.214.0.2/24, fd00:214::2/64");
            awaitAttached("datmiA");
            awaitAttached("datmiB");
            String link = Namespaces.awaitCarrier(a, "datmiA", ATTACH_DEADLINE);
            assertTrue(link, link.contains("mtu 9180"));
            Namespaces.awaitCarrier(b, "datmiB", ATTACH_DEADLINE);

            Namespaces.ping(a, "10.214.0.2", 5);
            Namespaces.ping(b, "10.214.0.1", 5);
            Namespaces.ping(a, "fd00:214::2", 3);
            Namespaces.ping(b, "fd00:214::1", 3);

            Namespaces.Transfer t = Namespaces.tcpTransfer(a, b, "10.214.0.2", 5001, TRANSFER_BYTES);
            System.out.printf(Locale.ROOT, "TCP %d bytes over the memory link at OC-3: %.1f Mbit/s, sha256 %s%n",
                    t.bytes(), t.megabitsPerSecond(), t.receivedSha256());
            assertEquals("bytes received", TRANSFER_BYTES, t.bytes());
            assertEquals("SHA-256 of what arrived", t.sentSha256(), t.receivedSha256());

            IpOverAtmStatistics sa = statistics("datmiA");
            IpOverAtmStatistics sb = statistics("datmiB");
            System.out.println("datmiA " + sa + "\ndatmiB " + sb);
            assertEquals("nothing dropped on the way in: " + sb, 0, sb.rxDropped());
            assertEquals("nothing dropped on the way in: " + sa, 0, sa.rxDropped());
            assertTrue("the transfer went through datmiA: " + sa, sa.txBytes() > TRANSFER_BYTES);

            // stopping the bridge bundle removes the interfaces; starting it brings them back, attached
            Bundle bridge = null;
            for (Bundle candidate : context.getBundles()) {
                if ("org.drops.atm.linuxbridge".equals(candidate.getSymbolicName())) {
                    bridge = candidate;
                }
            }
            assertTrue("the bridge bundle is installed", bridge != null);
            bridge.stop();
            try {
                awaitGone(a, "datmiA");
                awaitGone(b, "datmiB");
            } finally {
                bridge.start();
            }
            awaitAttached("datmiA");
            awaitAttached("datmiB");
            Namespaces.awaitCarrier(a, "datmiA", ATTACH_DEADLINE);
            Namespaces.ping(a, "10.214.0.2", 2);

            // deleting the configurations removes the interfaces from their namespaces
            tuns.close();
            awaitGone(a, "datmiA");
            awaitGone(b, "datmiB");
        }
    }

    /** TUN factory configurations of the test, deleted on close. */
    private final class Tuns implements AutoCloseable {
        private final List<org.osgi.service.cm.Configuration> configurations = new ArrayList<>();

        void add(String configName, String name, String netns, String pvc, String addresses) throws IOException {
            org.osgi.service.cm.Configuration c = configurationAdmin.getFactoryConfiguration(TUN_FACTORY_PID, configName, "?");
            Dictionary<String, Object> p = new Hashtable<>();
            p.put("name", name);
            p.put("netns", netns);
            p.put("pvc", pvc);
            p.put("address", addresses);
            c.update(p);
            configurations.add(c);
        }

        @Override
        public void close() throws IOException {
            for (org.osgi.service.cm.Configuration c : configurations) {
                c.delete();
            }
            configurations.clear();
        }
    }

    private IpOverAtmInterface find(String name) throws Exception {
        for (ServiceReference<IpOverAtmInterface> r : context.getServiceReferences(IpOverAtmInterface.class, "(name=" + name + ")")) {
            return context.getService(r);
        }
        return null;
    }

    private IpOverAtmStatistics statistics(String name) throws Exception {
        return find(name).statistics();
    }

    private void awaitAttached(String name) throws Exception {
        long deadline = System.nanoTime() + ATTACH_DEADLINE.toNanos();
        IpOverAtmInterface i = null;
        while (System.nanoTime() - deadline < 0) {
            i = find(name);
            if (i != null && i.state() == IpOverAtmInterface.State.ATTACHED) {
                return;
            }
            RunningPlatform.sleep(Duration.ofMillis(50));
        }
        throw new AssertionError(name + " not attached after " + ATTACH_DEADLINE + ": "
                + (i == null ? "no service (see the log for the activation error)" : i.state() + " " + i.stateReason()));
    }

    private static void awaitGone(String netns, String name) throws IOException {
        long deadline = System.nanoTime() + ATTACH_DEADLINE.toNanos();
        Namespaces.Result r;
        do {
            r = Namespaces.run("ip", "-n", netns, "link", "show", "dev", name);
            if (r.exitCode() != 0) {
                return;
            }
            RunningPlatform.sleep(Duration.ofMillis(50));
        } while (System.nanoTime() - deadline < 0);
        assertNotEquals(name + " still in " + netns + ":\n" + r.output(), 0, r.exitCode());
    }
}

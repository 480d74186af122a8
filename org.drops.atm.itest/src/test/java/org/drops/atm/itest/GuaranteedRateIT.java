package org.drops.atm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import javax.inject.Inject;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.Resource;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.server.ProtocolServer;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 6, guaranteed connections end to end on the memory link at OC-3: a bundle (this probe) opens CBR
 * connections by text QoS and writes like a dumb application; receivers bound on the peer interface measure.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GuaranteedRateIT {

    /** 8·10⁶ B/s of 8192-byte SDUs: 166993 cells/s (paper Table 2, first row). */
    static final int PCR_8MB = CellRates.aal5CellsPerSecond(8_000_000, 8192);
    /** 3·10⁶ B/s of 4096-byte SDUs: 62989 cells/s (Table 2, second row). */
    static final int PCR_3MB = CellRates.aal5CellsPerSecond(3_000_000, 4096);
    static final long MEASURE_MILLIS = Long.getLong("atm.itest.measure.millis", 10_000);
    /**
     * The delay-variation tolerance the test applications state: 50 ms. It sizes the receive rings (jitter-
     * constrained stream model), so a reader that a loaded 2-core machine deschedules for tens of milliseconds
     * does not lose SDUs to a full ring.
     */
    static final int CDV_MICROS = 50_000;

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Inject
    AtmSocketFactory sockets;

    @Inject
    ProtocolServer server;

    @Configuration
    public Option[] configuration() throws IOException {
        return PlatformBundlesIT.platform();
    }

    private AtmSocket open(String qos, String pvc, boolean transmit) throws Exception {
        AtmSocket s = sockets.createSocket();
        s.setQos(qos);
        if (transmit) {
            s.connect(PvcAddress.parse(pvc));
        } else {
            s.bind(PvcAddress.parse(pvc));
        }
        return s;
    }

    /** The SDU payload rate a cell rate carries, in bytes per second. */
    static double sduBytesPerSecond(double cellsPerSecond, int sduBytes) {
        return cellsPerSecond / CellRates.aal5CellsPerSdu(sduBytes) * sduBytes;
    }

    /** Bytes per second the platform delivered into the connection's receive ring over the next {@code millis}. */
    static double receivedBytesPerSecond(AtmSocket rx, long millis) throws InterruptedException {
        long b0 = rx.statistics().bytes();
        long t0 = System.nanoTime();
        Thread.sleep(millis); // the measurement window
        return (rx.statistics().bytes() - b0) * 1e9 / (System.nanoTime() - t0);
    }

    static void assertWithin(String what, double expected, double measured, double tolerance) {
        double error = measured / expected - 1;
        String line = String.format(Locale.ROOT, "%s: %.0f B/s measured, %.0f B/s contracted, error %+.3f %% (bound %.1f %%)",
                what, measured, expected, error * 100, tolerance * 100);
        System.out.println(line);
        assertTrue(line, Math.abs(error) <= tolerance);
    }

    @Test
    public void aCbrConnectionOpenedByTextDeliversItsContractedRate() throws Exception {
        try (Interfaces itfs = Interfaces.backToBack(configurationAdmin, 20, 21, "it-rate")) {
            SocketServiceIT.awaitInterfaces(server, 20, 21);
            String qos = "cbr:pcr=" + PCR_8MB + ",sdu=8192,cdv=" + CDV_MICROS;
            try (AtmSocket rx = open(qos, "21.0.100", false); AtmSocket tx = open(qos, "20.0.100", true)) {
                Traffic.Reader reader = new Traffic.Reader(rx, 8192, "it-reader");
                Traffic.Writer writer = new Traffic.Writer(tx, 8192, "it-writer");
                reader.start();
                writer.start();
                reader.bytesPerSecondOver(1000); // warm-up
                double rate = receivedBytesPerSecond(rx, MEASURE_MILLIS);
                assertWithin("CBR 8e6 B/s of 8192-byte SDUs", sduBytesPerSecond(PCR_8MB, 8192), rate, 0.005);
                ConnectionStatistics in = rx.statistics();
                assertEquals("nothing dropped at the receiver: " + in, 0, in.dropped());
            }
        }
    }

    @Test
    public void theTableTwoPairKeepTheirRatesAndBestEffortTakesWhatIsLeft() throws Exception {
        try (Interfaces itfs = Interfaces.backToBack(configurationAdmin, 22, 23, "it-pair")) {
            SocketServiceIT.awaitInterfaces(server, 22, 23);
            String qosA = "cbr:pcr=" + PCR_8MB + ",sdu=8192,cdv=" + CDV_MICROS;
            String qosB = "cbr:pcr=" + PCR_3MB + ",sdu=4096,cdv=" + CDV_MICROS;
            AtmSocket rxA = open(qosA, "23.0.100", false);
            AtmSocket rxB = open(qosB, "23.0.101", false);
            AtmSocket rxU = open("ubr:sdu=8192", "23.0.102", false);
            AtmSocket txA = open(qosA, "22.0.100", true);
            AtmSocket txB = open(qosB, "22.0.101", true);
            AtmSocket txU = open("ubr:sdu=8192", "22.0.102", true);
            try {
                Traffic.Reader readerA = new Traffic.Reader(rxA, 8192, "it-reader-a");
                Traffic.Reader readerB = new Traffic.Reader(rxB, 4096, "it-reader-b");
                Traffic.Reader readerU = new Traffic.Reader(rxU, 8192, "it-reader-u");
                for (Thread t : new Thread[] {readerA, readerB, readerU, new Traffic.Writer(txA, 8192, "it-writer-a"),
                    new Traffic.Writer(txB, 4096, "it-writer-b"), new Traffic.Writer(txU, 8192, "it-writer-u")}) {
                    t.start();
                }
                readerA.bytesPerSecondOver(1000); // warm-up
                // what the platform delivered into each receive ring (the pseudo-interrupt thread's count): a
                // reader's backlog at the window's edges does not blur it
                long a0 = rxA.statistics().bytes();
                long b0 = rxB.statistics().bytes();
                long u0 = rxU.statistics().bytes();
                long t0 = System.nanoTime();
                Thread.sleep(MEASURE_MILLIS); // the measurement window
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertWithin("CBR A, 8e6 B/s of 8192 B", sduBytesPerSecond(PCR_8MB, 8192), (rxA.statistics().bytes() - a0) / seconds, 0.005);
                assertWithin("CBR B, 3e6 B/s of 4096 B", sduBytesPerSecond(PCR_3MB, 4096), (rxB.statistics().bytes() - b0) / seconds, 0.005);
                double line = server.interfaces().stream().filter(i -> i.itf() == 22).findFirst().orElseThrow().lineCellsPerSecond();
                double unreserved = sduBytesPerSecond(line - PCR_8MB - PCR_3MB, 8192);
                double ubr = (rxU.statistics().bytes() - u0) / seconds;
                System.out.printf(Locale.ROOT, "UBR with both CBRs: %.0f B/s of %.0f B/s unreserved (%.1f %%)%n", ubr, unreserved, ubr / unreserved * 100);
                assertTrue("UBR got " + ubr + " B/s of " + unreserved + " unreserved", ubr >= 0.9 * unreserved);

                txA.close(); // the share grows by A's reservation
                long closedAt = System.nanoTime();
                Thread.sleep(1000); // "within one second"
                double after = receivedBytesPerSecond(rxU, 2000);
                double unreservedAfter = sduBytesPerSecond(line - PCR_3MB, 8192);
                System.out.printf(Locale.ROOT, "UBR from 1 s after A closed: %.0f B/s of %.0f B/s unreserved (%.1f %%), %d ms after the close%n",
                        after, unreservedAfter, after / unreservedAfter * 100, (System.nanoTime() - closedAt) / 1_000_000);
                assertTrue("UBR after A closed got " + after + " of " + unreservedAfter, after >= 0.9 * unreservedAfter);
            } finally {
                for (AtmSocket s : new AtmSocket[] {txA, txB, txU, rxA, rxB, rxU}) {
                    s.close();
                }
            }
        }
    }

    @Test
    public void aRefusedRequestGetsARecommendationThatIsThenAdmitted() throws Exception {
        try (Interfaces itfs = Interfaces.backToBack(configurationAdmin, 24, 25, "it-refuse")) {
            SocketServiceIT.awaitInterfaces(server, 24, 25);
            try (AtmSocket big = open("cbr:pcr=300000,sdu=8192", "24.0.100", true)) {
                AtmSocket refused = sockets.createSocket();
                refused.setQos("cbr:pcr=100000,sdu=8192");
                try {
                    refused.connect(PvcAddress.parse("24.0.101"));
                    fail("100000 cells/s more cannot fit beside 300000 on OC-3");
                } catch (AdmissionException e) {
                    assertEquals(Resource.BANDWIDTH, e.resource());
                    Qos recommended = e.recommended().orElseThrow(() -> new AssertionError("no recommendation: " + e.getMessage()));
                    System.out.println("refused: " + e.getMessage());
                    refused.close();
                    try (AtmSocket second = sockets.createSocket()) {
                        second.setQos(recommended);
                        second.connect(PvcAddress.parse("24.0.101"));
                        assertEquals(AtmSocket.State.CONNECTED, second.state());
                    }
                }
            }
        }
    }

    @Test
    public void swappingThePolicingPolicyUnderTrafficLosesNoConformingPdu() throws Exception {
        org.osgi.service.cm.Configuration core = configurationAdmin.getConfiguration("org.drops.atm.core", "?");
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put("policy.name", "gcra");
        core.update(properties);
        Bundle gcra = bundle("org.drops.atm.upc.gcra");
        try (Interfaces itfs = Interfaces.backToBack(configurationAdmin, 26, 27, "it-swap")) {
            SocketServiceIT.awaitInterfaces(server, 26, 27);
            String qos = "cbr:pcr=" + PCR_8MB + ",sdu=8192,cdv=200000"; // a deep receive ring: bursts around each swap
            try (AtmSocket rx = open(qos, "27.0.100", false); AtmSocket tx = open(qos, "26.0.100", true)) {
                Traffic.Reader reader = new Traffic.Reader(rx, 8192, "it-reader");
                Traffic.Writer writer = new Traffic.Writer(tx, 8192, "it-writer");
                reader.start();
                writer.start();
                reader.bytesPerSecondOver(1000);
                assertEquals("gcra", tx.statistics().policyName());
                long b0 = rx.statistics().bytes();
                long t0 = System.nanoTime();
                Thread.sleep(MEASURE_MILLIS / 3);
                gcra.stop(); // the configured policy goes: the highest-ranked other one takes over
                Thread.sleep(MEASURE_MILLIS / 3);
                String during = tx.statistics().policyName();
                gcra.start(); // and back
                Thread.sleep(MEASURE_MILLIS / 3);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double rate = (rx.statistics().bytes() - b0) / seconds;
                System.out.println("policies: gcra -> " + during + " -> " + tx.statistics().policyName());
                assertTrue("another policy ran while gcra was stopped: " + during, !during.equals("gcra"));
                assertEquals("gcra", tx.statistics().policyName());
                assertWithin("CBR 8e6 B/s across two policy swaps", sduBytesPerSecond(PCR_8MB, 8192), rate, 0.01);
                writer.interrupt(); // the writer stops; what it wrote is in the ring and still goes out
                writer.join(5000);
                long until = System.currentTimeMillis() + 5000;
                while (reader.sdus.get() < writer.sdus.get() && System.currentTimeMillis() < until) {
                    Thread.onSpinWait(); // the last SDUs in flight arrive
                }
                assertEquals("every SDU written arrived; tx " + tx.statistics() + " rx " + rx.statistics(),
                        writer.sdus.get(), reader.sdus.get());
                assertEquals("nothing dropped: " + rx.statistics(), 0, rx.statistics().dropped());
            }
        } finally {
            if (gcra.getState() != Bundle.ACTIVE) {
                gcra.start();
            }
            core.delete();
        }
    }

    private Bundle bundle(String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
    }
}

package org.drops.atm.reliability;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.inject.Inject;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.BufferTooSmallException;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.RxView;
import org.drops.atm.api.TxSlot;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.admission.AdmissionRequest;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.policing.PolicingPolicy;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.InvalidQosException;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.server.ProtocolServer;
import org.drops.atm.itest.Interfaces;
import org.drops.atm.itest.Platform;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 10, hostile input through the API: every entry point of the socket service, the protocol server SPI,
 * admission control and the policing policies fed invalid arguments and called in the wrong state, and the
 * {@code atm:*} shell commands fed bad arguments ShellIT does not already cover (mostly state: what is open, held
 * or running). Each case must end with a clear exception (type, and a message naming the field or state); each
 * prints what it fed and what came back. Afterwards the connection table and admission control hold exactly what
 * the test still holds open, and a fresh connection on the same PVC carries data.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class InvalidArgumentsIT {

    static final int TX_ITF = 62;
    static final int RX_ITF = 63;
    static final String WIRE = "rel-hostile-args";

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Inject
    AtmSocketFactory sockets;

    @Inject
    ProtocolServer server;

    @Inject
    AdmissionControl admission;

    @Inject
    CommandProcessor commands;

    @Configuration
    public Option[] configuration() throws IOException {
        return Platform.options();
    }

    interface Action {
        Object run() throws Exception;
    }

    /**
     * One case: what is fed, the exception type it must end in (null: it must return normally, as a documented
     * no-op), and words the message must contain.
     */
    record Case(String fed, Action action, Class<? extends Throwable> type, String... mentions) {
    }

    /** Runs the cases, printing each, and returns the ones that did not come back as they must. */
    static List<String> run(String table, List<Case> cases) {
        List<String> wrong = new ArrayList<>();
        System.out.println("== " + table);
        for (Case c : cases) {
            String back;
            boolean ok;
            try {
                Object result = c.action().run();
                back = "returned " + result;
                ok = c.type() == null;
            } catch (Throwable t) {
                back = t.getClass().getSimpleName() + ": " + t.getMessage();
                ok = c.type() != null && c.type().isInstance(t) && t.getMessage() != null;
                for (String m : c.mentions()) {
                    ok &= t.getMessage() != null && t.getMessage().contains(m);
                }
            }
            String line = String.format(Locale.ROOT, "%s %-55s -> %s", ok ? "ok  " : "BAD ", c.fed(), back.replace("\n", " | "));
            System.out.println(line);
            if (!ok) {
                wrong.add(line + "  (wanted " + (c.type() == null ? "a normal return" : c.type().getSimpleName())
                        + " mentioning " + String.join(", ", c.mentions()) + ")");
            }
        }
        return wrong;
    }

    private AtmSocket socket(String qos, String pvc, boolean transmit) throws Exception {
        AtmSocket s = sockets.createSocket();
        s.setQos(qos);
        if (transmit) {
            s.connect(PvcAddress.parse(pvc));
        } else {
            s.bind(PvcAddress.parse(pvc));
        }
        return s;
    }

    private static String pvc(int itf, int vci) {
        return itf + ".0." + vci;
    }

    private Set<String> openConnections() {
        return server.connections().stream().filter(c -> c.pvc() != null && (c.pvc().itf() == TX_ITF || c.pvc().itf() == RX_ITF))
                .map(c -> c.pvc() + " " + c.direction()).collect(Collectors.toCollection(TreeSet::new));
    }

    private Set<String> reservations() {
        Set<String> r = new TreeSet<>();
        for (int itf : new int[] {TX_ITF, RX_ITF}) {
            AdmissionState s = admission.state(itf).orElseThrow(() -> new AssertionError("no admission state for " + itf));
            for (Reservation reservation : s.reservations()) {
                r.add(reservation.request().pvc() + " " + reservation.request().direction());
            }
        }
        return r;
    }

    @Test
    public void invalidArgumentsAndWrongStatesGetClearExceptionsAndLeaveTheTablesIntact() throws Exception {
        try (Interfaces itfs = Interfaces.backToBack(configurationAdmin, TX_ITF, RX_ITF, WIRE)) {
            Platform.awaitInterfaces(server, TX_ITF, RX_ITF);
            List<String> wrong = new ArrayList<>();
            String ubr = "ubr:pcr=20000,sdu=1024";

            // ---------------------------------------------------------------- QoS text and values
            List<Case> qos = new ArrayList<>();
            for (String[] q : new String[][] {
                {"cbx:pcr=1", "class"}, {"cbr:pcrr=100", "expected a parameter"}, {"cbr:pcr=-5", "pcr"},
                {"cbr:pcr=abc", "pcr"}, {"cbr:pcr=99999999999", "pcr"}, {"cbr:pcr=100,sdu=70000", "max_sdu"},
                {"cbr:pcr=0", "pcr"}, {"cbr:max_pcr=100,min_pcr=200", "min_pcr"}, {"cbr:pcr=100,cdv=-1", "max_cdv"},
                {"cbr:pcr=100,pcr=200", "twice"}, {"cbr:pcr=100,mbs=5", "mbs"}, {"ubr:pcr=100,scr=50", "scr"},
                {"vbr:pcr=100", "scr"}, {"vbr:pcr=100,scr=200,mbs=10", "scr"}, {"abr:pcr=100", "ABR"},
                {"cbr:tx:none,rx:none", "direction"}, {"", "class"}, {"cbr:pcr=100,,sdu=8", "expected a parameter"},
                {"cbr:pcr", "expected a parameter"}, {"cbr:pcr=100:extra", "pcr"},
                {"cbr:tx:pcr=10,rx:none,rx:pcr=1", "unexpected text"}, {"aal0:cbr:pcr=1", "class"},
                {"cbr:max_sdu=-1,pcr=100", "max_sdu"}, {"ubr:sdu=1x", "max_sdu"}}) {
                qos.add(new Case("setQos(\"" + q[0] + "\")", () -> {
                    try (AtmSocket s = sockets.createSocket()) {
                        s.setQos(q[0]);
                        return s.qos();
                    }
                }, InvalidQosException.class, q[1]));
            }
            qos.add(new Case("setQos((String) null)", () -> {
                try (AtmSocket s = sockets.createSocket()) {
                    s.setQos((String) null);
                    return s.qos();
                }
            }, InvalidQosException.class, "null"));
            qos.add(new Case("setQos((Qos) null)", () -> {
                try (AtmSocket s = sockets.createSocket()) {
                    s.setQos((Qos) null);
                    return s.qos();
                }
            }, IllegalArgumentException.class, "qos"));
            qos.add(new Case("createSocket(null)", () -> sockets.createSocket(null), IllegalArgumentException.class, "aal is null"));
            qos.add(new Case("createSocket(AAL0)", () -> sockets.createSocket(Aal.AAL0), AtmException.class, "AAL0"));
            wrong.addAll(run("QoS", qos));

            // ---------------------------------------------------------------- addresses
            List<Case> addresses = new ArrayList<>();
            for (String[] p : new String[][] {
                {"62.0.5", "reserved"}, {"62.0.31", "reserved"}, {"-1.0.100", "itf"}, {"62.256.100", "vpi 256"},
                {"62.0.65536", "vci 65536"}, {"40000.0.100", "itf 40000"}, {"62.0.0100", "leading zero"},
                {"a.b.c", "itf"}, {"", "expected"}, {"62.0.100.4", "expected"}, {"62..100", "vpi is empty"},
                {"62.1.0", "VCI 0"}}) {
                addresses.add(new Case("connect(parse(\"" + p[0] + "\"))", () -> {
                    try (AtmSocket s = sockets.createSocket()) {
                        s.setQos(ubr);
                        s.connect(PvcAddress.parse(p[0]));
                        return s.state();
                    }
                }, IllegalArgumentException.class, p[1]));
            }
            addresses.add(new Case("PvcAddress.of(-1, 0, 100)", () -> PvcAddress.of(-1, 0, 100), IllegalArgumentException.class, "itf"));
            addresses.add(new Case("PvcAddress.of(62, 4096, 100)", () -> PvcAddress.of(62, 4096, 100), IllegalArgumentException.class, "vpi"));
            addresses.add(new Case("PvcAddress.of(62, 0, 70000)", () -> PvcAddress.of(62, 0, 70000), IllegalArgumentException.class, "vci"));
            addresses.add(new Case("connect(of(62, 0, 5)) (reserved VCI built by value)", () -> {
                try (AtmSocket s = sockets.createSocket()) {
                    s.setQos(ubr);
                    s.connect(PvcAddress.of(TX_ITF, 0, 5));
                    return s.state();
                }
            }, IllegalArgumentException.class, "reserved"));
            addresses.add(new Case("connect(69.0.100) (no such interface)", () -> {
                try (AtmSocket s = sockets.createSocket()) {
                    s.setQos(ubr);
                    s.connect(PvcAddress.parse("69.0.100"));
                    return s.state();
                }
            }, AtmException.class, "no interface 69"));
            addresses.add(new Case("bind(69.0.100) (no such interface)", () -> {
                try (AtmSocket s = sockets.createSocket()) {
                    s.setQos(ubr);
                    s.bind(PvcAddress.parse("69.0.100"));
                    return s.state();
                }
            }, AtmException.class, "no interface 69"));
            addresses.add(new Case("connect(null)", () -> {
                try (AtmSocket s = sockets.createSocket()) {
                    s.setQos(ubr);
                    s.connect(null);
                    return s.state();
                }
            }, IllegalArgumentException.class, "PVC address is null"));
            addresses.add(new Case("bind(null)", () -> {
                try (AtmSocket s = sockets.createSocket()) {
                    s.setQos(ubr);
                    s.bind(null);
                    return s.state();
                }
            }, IllegalArgumentException.class, "PVC address is null"));
            wrong.addAll(run("addresses", addresses));

            // ---------------------------------------------------------------- states and sizes on a live pair
            AtmSocket rx = socket(ubr, pvc(RX_ITF, 200), false);
            AtmSocket tx = socket(ubr, pvc(TX_ITF, 200), true);
            AtmSocket fresh = sockets.createSocket();
            AtmSocket closed = sockets.createSocket();
            closed.setQos(ubr);
            closed.close();
            List<Case> states = new ArrayList<>();
            states.add(new Case("write before connect", () -> fresh.write(ByteBuffer.allocate(10)), IllegalStateException.class, "OPEN"));
            states.add(new Case("claim before connect", () -> fresh.claim(), IllegalStateException.class, "OPEN"));
            states.add(new Case("read before bind", () -> fresh.read(ByteBuffer.allocate(10)), IllegalStateException.class, "OPEN"));
            states.add(new Case("receive before bind", () -> fresh.receive(1, TimeUnit.MILLISECONDS), IllegalStateException.class, "OPEN"));
            states.add(new Case("connect without a QoS", () -> {
                fresh.connect(PvcAddress.parse(pvc(TX_ITF, 201)));
                return fresh.state();
            }, IllegalStateException.class, "QoS"));
            states.add(new Case("connect with a QoS of no tx traffic", () -> {
                try (AtmSocket s = sockets.createSocket()) {
                    s.setQos("ubr:tx:none,rx:sdu=100");
                    s.connect(PvcAddress.parse(pvc(TX_ITF, 201)));
                    return s.state();
                }
            }, IllegalStateException.class, "tx"));
            states.add(new Case("bind with a QoS of no rx traffic", () -> {
                try (AtmSocket s = sockets.createSocket()) {
                    s.setQos("ubr:tx:sdu=100,rx:none");
                    s.bind(PvcAddress.parse(pvc(RX_ITF, 201)));
                    return s.state();
                }
            }, IllegalStateException.class, "rx"));
            states.add(new Case("connect twice", () -> {
                tx.connect(PvcAddress.parse(pvc(TX_ITF, 202)));
                return tx.state();
            }, IllegalStateException.class, "CONNECTED"));
            states.add(new Case("bind after connect", () -> {
                tx.bind(PvcAddress.parse(pvc(TX_ITF, 202)));
                return tx.state();
            }, IllegalStateException.class, "CONNECTED"));
            states.add(new Case("connect after bind", () -> {
                rx.connect(PvcAddress.parse(pvc(RX_ITF, 202)));
                return rx.state();
            }, IllegalStateException.class, "BOUND"));
            states.add(new Case("setQos after connect", () -> {
                tx.setQos("ubr:sdu=100");
                return tx.qos();
            }, IllegalStateException.class, "CONNECTED"));
            states.add(new Case("a second socket connects the same PVC", () -> {
                try (AtmSocket s = socket(ubr, pvc(TX_ITF, 200), true)) {
                    return s.state();
                }
            }, AtmException.class, "already connected"));
            states.add(new Case("a second socket binds the same PVC", () -> {
                try (AtmSocket s = socket(ubr, pvc(RX_ITF, 200), false)) {
                    return s.state();
                }
            }, AtmException.class, "already bound"));
            states.add(new Case("write on a bound socket", () -> rx.write(ByteBuffer.allocate(10)), IllegalStateException.class, "BOUND"));
            states.add(new Case("claim on a bound socket", () -> rx.claim(), IllegalStateException.class, "BOUND"));
            states.add(new Case("read on a connected socket", () -> tx.read(ByteBuffer.allocate(10)), IllegalStateException.class, "CONNECTED"));
            states.add(new Case("receive on a connected socket", () -> tx.receive(), IllegalStateException.class, "CONNECTED"));
            states.add(new Case("write(null)", () -> tx.write((ByteBuffer) null), IllegalArgumentException.class, "null"));
            states.add(new Case("write((byte[]) null, 0, 1)", () -> tx.write(null, 0, 1), IllegalArgumentException.class, "null"));
            states.add(new Case("write(bytes, -1, 10)", () -> tx.write(new byte[10], -1, 10), IndexOutOfBoundsException.class, "out of bounds"));
            states.add(new Case("write of 1025 bytes (max_sdu 1024)", () -> tx.write(ByteBuffer.allocate(1025)),
                    IllegalArgumentException.class, "max_sdu"));
            states.add(new Case("read(null)", () -> rx.read(null, 1, TimeUnit.MILLISECONDS), IllegalArgumentException.class, "null"));
            states.add(new Case("read into a read-only buffer", () -> rx.read(ByteBuffer.allocate(10).asReadOnlyBuffer(), 1, TimeUnit.MILLISECONDS),
                    IllegalArgumentException.class, "read-only"));
            states.add(new Case("read with a null unit", () -> rx.read(ByteBuffer.allocate(10), 1, null), IllegalArgumentException.class, "unit"));
            states.add(new Case("claim with a null unit", () -> tx.claim(1, null), IllegalArgumentException.class, "unit"));
            states.add(new Case("a zero-length SDU (allowed: AAL5 carries it)", () -> tx.write(ByteBuffer.allocate(0)), null));
            wrong.addAll(run("states and sizes", states));

            // a too-small buffer: BufferTooSmallException, the SDU stays queued
            byte[] sdu = "an SDU of forty bytes for a small buffer".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            ByteBuffer zero = ByteBuffer.allocate(16);
            assertEquals("the zero-length SDU", 0, rx.read(zero, 5, TimeUnit.SECONDS));
            tx.write(ByteBuffer.wrap(sdu));
            List<Case> small = new ArrayList<>();
            small.add(new Case("read of a 40-byte SDU into 16 bytes", () -> rx.read(ByteBuffer.allocate(16), 5, TimeUnit.SECONDS),
                    BufferTooSmallException.class, "40"));
            wrong.addAll(run("buffer too small", small));
            ByteBuffer big = ByteBuffer.allocate(64);
            assertEquals("the SDU stayed queued after BufferTooSmallException", sdu.length, rx.read(big, 5, TimeUnit.SECONDS));
            assertArrayEquals(sdu, java.util.Arrays.copyOf(big.array(), sdu.length));

            // zero-copy slots and views
            TxSlot committed = tx.claim();
            committed.buffer().put(sdu);
            committed.commit();
            TxSlot aborted = tx.claim();
            aborted.abort();
            TxSlot slot = tx.claim();
            RxView view = rx.receive(5, TimeUnit.SECONDS);
            assertNotNull("the committed SDU arrived", view);
            view.release();
            List<Case> zeroCopy = new ArrayList<>();
            zeroCopy.add(new Case("commit a slot twice", () -> {
                committed.commit(1);
                return null;
            }, IllegalStateException.class, "committed"));
            zeroCopy.add(new Case("commit an aborted slot", () -> {
                aborted.commit(1);
                return null;
            }, IllegalStateException.class, "aborted"));
            zeroCopy.add(new Case("buffer() of a committed slot", () -> committed.buffer(), IllegalStateException.class, "committed"));
            zeroCopy.add(new Case("commit(1025) (capacity 1024)", () -> {
                slot.commit(1025);
                return null;
            }, IllegalArgumentException.class, "max_sdu 1024"));
            zeroCopy.add(new Case("commit(-1)", () -> {
                slot.commit(-1);
                return null;
            }, IllegalArgumentException.class, "length -1"));
            zeroCopy.add(new Case("the slot after refused commits still commits", () -> {
                slot.commit(3);
                return "committed";
            }, null));
            zeroCopy.add(new Case("release a view twice (harmless)", () -> {
                view.release();
                return "released";
            }, null));
            zeroCopy.add(new Case("buffer() of a released view", () -> view.buffer(), IllegalStateException.class, "release"));
            zeroCopy.add(new Case("length() of a released view", () -> view.length(), IllegalStateException.class, "release"));
            wrong.addAll(run("zero-copy slots and views", zeroCopy));
            assertEquals("the SDU of the slot that finally committed", 3, rx.read(ByteBuffer.allocate(64), 5, TimeUnit.SECONDS));

            // after close
            TxSlot orphan = tx.claim();
            AtmSocket closedTx = tx;
            closedTx.close();
            List<Case> afterClose = new ArrayList<>();
            afterClose.add(new Case("close twice (harmless)", () -> {
                closedTx.close();
                return closedTx.state();
            }, null));
            afterClose.add(new Case("write after close", () -> closedTx.write(ByteBuffer.allocate(1)), ConnectionClosedException.class, "closed"));
            afterClose.add(new Case("claim after close", () -> closedTx.claim(), ConnectionClosedException.class, "closed"));
            afterClose.add(new Case("commit a slot claimed before close", () -> {
                orphan.commit(1);
                return null;
            }, ConnectionClosedException.class, "closed"));
            afterClose.add(new Case("setQos after close", () -> {
                closed.setQos(ubr);
                return null;
            }, IllegalStateException.class, "CLOSED"));
            afterClose.add(new Case("connect after close", () -> {
                closed.connect(PvcAddress.parse(pvc(TX_ITF, 203)));
                return null;
            }, IllegalStateException.class, "CLOSED"));
            afterClose.add(new Case("bind after close", () -> {
                closed.bind(PvcAddress.parse(pvc(RX_ITF, 203)));
                return null;
            }, IllegalStateException.class, "CLOSED"));
            afterClose.add(new Case("statistics after close (allowed)", () -> closedTx.statistics().pdus(), null));
            wrong.addAll(run("after close", afterClose));

            // ---------------------------------------------------------------- the protocol server SPI, admission, policies
            Qos ubrQos = Qos.parse(ubr);
            PvcAddress spiPvc = PvcAddress.parse(pvc(TX_ITF, 210));
            List<Case> spi = new ArrayList<>();
            spi.add(new Case("open(null pvc)", () -> server.open(null, ubrQos, Direction.TRANSMIT, Aal.AAL5, "it"), IllegalArgumentException.class, "pvc"));
            spi.add(new Case("open(null qos)", () -> server.open(spiPvc, null, Direction.TRANSMIT, Aal.AAL5, "it"), IllegalArgumentException.class, "qos"));
            spi.add(new Case("open(null direction)", () -> server.open(spiPvc, ubrQos, null, Aal.AAL5, "it"), IllegalArgumentException.class, "direction"));
            spi.add(new Case("open(null aal)", () -> server.open(spiPvc, ubrQos, Direction.TRANSMIT, null, "it"), IllegalArgumentException.class, "aal"));
            spi.add(new Case("open(null owner) (allowed: shown as ?)", () -> {
                org.drops.atm.api.server.Connection c = server.open(spiPvc, ubrQos, Direction.TRANSMIT, Aal.AAL5, null);
                c.close();
                return c.pvc();
            }, null));
            spi.add(new Case("open(tx of a qos with tx:none)", () -> server.open(spiPvc, Qos.parse("ubr:tx:none,rx:sdu=10"), Direction.TRANSMIT, Aal.AAL5, "it"),
                    AtmException.class, "tx"));
            spi.add(new Case("open(reserved VCI 62.0.5)", () -> server.open(PvcAddress.of(TX_ITF, 0, 5), ubrQos, Direction.TRANSMIT, Aal.AAL5, "it"),
                    IllegalArgumentException.class, "reserved"));
            spi.add(new Case("open(no interface 69)", () -> server.open(PvcAddress.of(69, 0, 100), ubrQos, Direction.TRANSMIT, Aal.AAL5, "it"),
                    AtmException.class, "no interface 69"));
            spi.add(new Case("open(aal0 socket, aal5 qos)", () -> server.open(spiPvc, ubrQos, Direction.TRANSMIT, Aal.AAL0, "it"),
                    AtmException.class, "AAL"));
            spi.add(new Case("open(the PVC rx holds)", () -> server.open(PvcAddress.parse(pvc(RX_ITF, 200)), ubrQos, Direction.RECEIVE, Aal.AAL5, "it"),
                    AtmException.class, "already bound"));
            spi.add(new Case("AdmissionRequest(null, qos, tx)", () -> new AdmissionRequest(null, ubrQos, Direction.TRANSMIT), IllegalArgumentException.class, "pvc"));
            spi.add(new Case("admit(null)", () -> admission.admit(null), NullPointerException.class, "request"));
            spi.add(new Case("admit(no interface 69)", () -> admission.admit(new AdmissionRequest(PvcAddress.of(69, 0, 100), ubrQos, Direction.TRANSMIT)),
                    AdmissionException.class, "69"));
            spi.add(new Case("admit(cbr above the line rate)", () -> admission.admit(new AdmissionRequest(spiPvc, Qos.parse("cbr:pcr=400000"), Direction.TRANSMIT)),
                    AdmissionException.class, "400000"));
            spi.add(new Case("release(null)", () -> admission.release(null), NullPointerException.class, "reservation"));
            spi.add(new Case("state(-1) (empty)", () -> admission.state(-1), null));
            spi.add(new Case("bestEffortCellsPerSecond(69) (no share: 0)", () -> admission.bestEffortCellsPerSecond(69), null));
            for (ServiceReference<PolicingPolicy> ref : context.getServiceReferences(PolicingPolicy.class, null)) {
                PolicingPolicy policy = context.getService(ref);
                spi.add(new Case(policy.name() + ".newMeter(null contract)", () -> policy.newMeter(null, Aal.AAL5, Direction.TRANSMIT, 0),
                        NullPointerException.class, "contract"));
                // the meters of both policies are the same in either direction: a null direction is not looked at
                spi.add(new Case(policy.name() + ".newMeter(null direction) (not used)", () -> policy.newMeter(ubrQos.tx(), Aal.AAL5, null, 0), null));
                spi.add(new Case(policy.name() + ".newMeter(cbr:pcr=0)", () -> policy.newMeter(
                        org.drops.atm.api.qos.TrafficParameters.cbr(0, 100), Aal.AAL5, Direction.TRANSMIT, 0), IllegalArgumentException.class, "pcr"));
            }
            wrong.addAll(run("protocol server, admission control, policies", spi));
            assertTrue("the admit(...) cases must not leave reservations behind, but: " + reservations(),
                    reservations().stream().noneMatch(r -> r.startsWith(TX_ITF + ".0.210")));

            // ---------------------------------------------------------------- the tables are intact
            assertEquals("connections while rx is held", Set.of(RX_ITF + ".0.200 RECEIVE"), openConnections());
            assertEquals("reservations while rx is held", Set.of(RX_ITF + ".0.200 RECEIVE"), reservations());
            rx.close();
            fresh.close();
            assertEquals("no connections left", Set.of(), openConnections());
            assertEquals("no reservations left", Set.of(), reservations());
            // a fresh connection on the same PVC works and carries data
            try (AtmSocket rx2 = socket(ubr, pvc(RX_ITF, 200), false); AtmSocket tx2 = socket(ubr, pvc(TX_ITF, 200), true)) {
                tx2.write(ByteBuffer.wrap(sdu));
                ByteBuffer in = ByteBuffer.allocate(1024);
                assertEquals(sdu.length, rx2.read(in, 5, TimeUnit.SECONDS));
                assertArrayEquals(sdu, java.util.Arrays.copyOf(in.array(), sdu.length));
            }
            assertEquals("no connections left", Set.of(), openConnections());
            assertEquals("no reservations left", Set.of(), reservations());

            assertTrue("cases that did not come back as they must:\n" + String.join("\n", wrong), wrong.isEmpty());
        }
    }

    /** A command line and words its failure must contain (null: it must succeed). */
    record Line(String line, String... mentions) {
    }

    @Test
    public void shellCommandsInTheWrongStateAnswerWithWhatWasWrong() throws Exception {
        try (Interfaces itfs = Interfaces.backToBack(configurationAdmin, 64, 65, WIRE + "-shell")) {
            Platform.awaitInterfaces(server, 64, 65);
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            PrintStream sink = new PrintStream(console, true);
            List<String> wrong = new ArrayList<>();
            try (CommandSession session = commands.createSession(new ByteArrayInputStream(new byte[0]), sink, sink)) {
                List<Case> cases = new ArrayList<>();
                // state set-up commands (must succeed)
                cases.add(shell(session, "atm:open --rx 65.0.300 ubr:sdu=1024", null));
                cases.add(shell(session, "atm:open --tx 64.0.300 ubr:pcr=10000,sdu=1024", null));
                // both flags: both directions, as without a flag (not refused: documented as "--tx / --rx" each)
                cases.add(shell(session, "atm:open --tx --rx 64.0.301 ubr", null));
                // then every command in a state it does not accept, or with arguments ShellIT does not try
                for (Line l : List.of(
                        new Line("atm:open --rx 65.0.300 ubr:sdu=1024", "already holds its rx"),
                        new Line("atm:open --tx 64.0.300 ubr:sdu=1024", "already holds its tx"),
                        new Line("atm:open 64.0.301 ubr:sdu=1x", "max_sdu"),
                        new Line("atm:open 64.0.302 cbr:pcr=400000,rx:none", "64.0.302"),
                        new Line("atm:open 64.0.301 ubr extra", "unexpected argument"),
                        new Line("atm:close 64.0.300 rx", "64.0.300"),
                        new Line("atm:close 65.0.300 tx", "65.0.300"),
                        new Line("atm:close 64.0.300 tx extra", "unexpected argument"),
                        new Line("atm:close nonsense", "PVC address"),
                        new Line("atm:awrite 65.0.300 -c 1", "65.0.300"),
                        new Line("atm:awrite 64.0.300 ubr:sdu=2048 -c 1", "the shell holds 64.0.300 tx"),
                        new Line("atm:awrite 64.0.300 -c -1", "-c"),
                        new Line("atm:awrite 64.0.300 -s -5", "-s"),
                        new Line("atm:awrite 64.0.300 -t 0", "-t"),
                        new Line("atm:awrite 64.0.300 -c", "-c"),
                        new Line("atm:awrite 64.0.300 --fast", "unknown option"),
                        new Line("atm:aread 65.0.300 ubr:sdu=2048 -c 1", "the shell holds 65.0.300 rx"),
                        new Line("atm:aread 65.0.300 -c zero", "-c"),
                        new Line("atm:aread 65.0.300 -c -3", "-c"),
                        new Line("atm:dump stop now", "unexpected argument"),
                        new Line("atm:dump 65.0.300 /tmp/rel-hostile-x.pcap -1", "-1"),
                        new Line("atm:dump 99.0.300 /tmp/rel-hostile-x.pcap", "no interface 99"),
                        new Line("atm:policies select", "name"),
                        new Line("atm:policies select no-such-policy", "no-such-policy"),
                        new Line("atm:policies select gcra extra", "unexpected argument"),
                        new Line("atm:admission 99", "no interface 99"),
                        new Line("atm:admission -1", "-1"),
                        new Line("atm:admission recalibrate now", "unexpected argument"),
                        new Line("atm:interfaces -1", "-1"),
                        new Line("atm:connections 99", "no interface 99"),
                        new Line("atm:connections nonsense", "nonsense"),
                        new Line("atm:connections -v -v 64.0.300", "-v is given twice"),
                        new Line("atm:connections 64.0.300 65.0.300", "unexpected argument"),
                        new Line("atm:events -5", "-5"),
                        new Line("atm:events 1 2", "unexpected argument"))) {
                    cases.add(shell(session, l.line(), AtmCommandFailure.class, l.mentions()));
                }
                cases.add(shell(session, "atm:close 64.0.300", null));
                cases.add(shell(session, "atm:close 65.0.300", null));
                cases.add(shell(session, "atm:close 64.0.300", AtmCommandFailure.class, "holds no"));
                cases.add(shell(session, "atm:close all", null));
                cases.add(shell(session, "atm:dump stop", null));
                wrong.addAll(run("shell", cases));
                String list = String.valueOf(session.execute("atm:open"));
                assertTrue("the shell holds nothing after atm:close: " + list, list.startsWith("the shell holds no test connections"));
            }
            assertEquals("no connections left on 64/65", 0,
                    server.connections().stream().filter(c -> c.pvc() != null && c.pvc().itf() >= 64 && c.pvc().itf() <= 65).count());
            assertTrue("commands that did not answer as they must:\n" + String.join("\n", wrong), wrong.isEmpty());
        }
    }

    /** A shell command's failure: the exception's simple class name (BadArguments, Failed, ...) and its message. */
    static final class AtmCommandFailure extends Exception {
        AtmCommandFailure(Throwable t) {
            super(t.getClass().getSimpleName() + ": " + t.getMessage(), t);
        }
    }

    private static Case shell(CommandSession session, String line, Class<? extends Throwable> type, String... mentions) {
        return new Case(line, () -> {
            try {
                Object out = session.execute(line);
                return out == null ? "" : String.valueOf(out).strip();
            } catch (Exception e) {
                boolean known = e.getClass().getSimpleName().equals("BadArguments") || e.getClass().getSimpleName().equals("Failed");
                // only the shell's own two exception types count as clear answers: anything else escaped a command
                if (known) {
                    throw new AtmCommandFailure(e);
                }
                throw new AssertionError("escaped: " + e, e);
            }
        }, type, mentions);
    }
}

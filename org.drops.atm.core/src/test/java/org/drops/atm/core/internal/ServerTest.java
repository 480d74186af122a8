package org.drops.atm.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.drops.atm.api.AtmEvents;
import org.drops.atm.api.AtmException;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.server.Connection;
import org.drops.atm.api.server.RxRing;
import org.drops.atm.api.server.TxRing;
import org.junit.jupiter.api.Test;

class ServerTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void sdusCrossFromTransmitRingToReceiveRingByteExact() throws Exception {
        try (TestPlatform p = new TestPlatform("exact", Double.POSITIVE_INFINITY)) {
            Connection tx = p.server.open(PvcAddress.parse("0.0.100"), Qos.parse("ubr:sdu=9000"), Direction.TRANSMIT, Aal.AAL5, "test");
            Connection rx = p.server.open(PvcAddress.parse("1.0.100"), Qos.parse("ubr:sdu=9000"), Direction.RECEIVE, Aal.AAL5, "test");
            Random random = new Random(5);
            for (int n = 0; n < 200; n++) {
                byte[] sdu = new byte[random.nextInt(9001)];
                random.nextBytes(sdu);
                TxRing ring = tx.txRing();
                int slot = ring.claim(SECOND);
                ring.slot(slot).put(0, sdu);
                ring.commit(slot, sdu.length);
                RxRing in = rx.rxRing();
                int got = in.take(5 * SECOND);
                assertTrue(got >= 0, "SDU " + n + " arrived");
                byte[] received = new byte[in.length(got)];
                in.slot(got).get(0, received);
                in.release(got);
                assertArrayEquals(sdu, received, "SDU " + n);
            }
            long until = System.nanoTime() + 5 * SECOND;
            while (tx.statistics().pdus() < 200 && System.nanoTime() < until) {
                Thread.onSpinWait(); // the worker counts a PDU after the driver's send returns
            }
            assertEquals(200, tx.statistics().pdus());
            until = System.nanoTime() + 5 * SECOND;
            while (rx.statistics().pdus() < 200 && System.nanoTime() < until) {
                Thread.onSpinWait(); // the pseudo-interrupt thread counts a PDU after publishing it
            }
            assertEquals(200, rx.statistics().pdus());
            assertTrue(p.services.topics.contains(AtmEvents.CONNECTION_OPENED));
        }
    }

    @Test
    void openRefusesWithMessagesNamingTheProblem() throws Exception {
        try (TestPlatform p = new TestPlatform("refuse", Double.POSITIVE_INFINITY)) {
            Qos ubr = Qos.parse("ubr");
            assertTrue(assertThrows(AtmException.class, () -> p.server.open(PvcAddress.parse("7.0.100"), ubr,
                    Direction.TRANSMIT, Aal.AAL5, "t")).getMessage().contains("no interface 7"));
            p.server.open(PvcAddress.parse("0.0.100"), ubr, Direction.TRANSMIT, Aal.AAL5, "t");
            assertTrue(assertThrows(AtmException.class, () -> p.server.open(PvcAddress.parse("0.0.100"), ubr,
                    Direction.TRANSMIT, Aal.AAL5, "t")).getMessage().contains("already connected"));
            p.server.open(PvcAddress.parse("0.0.100"), ubr, Direction.RECEIVE, Aal.AAL5, "t"); // the other direction is free
            assertTrue(assertThrows(AtmException.class, () -> p.server.open(PvcAddress.parse("0.0.101"),
                    Qos.parse("cbr:tx:pcr=10,rx:none"), Direction.RECEIVE, Aal.AAL5, "t")).getMessage().contains("rx direction is none"));
            p.services.admission = null;
            assertTrue(assertThrows(AtmException.class, () -> p.server.open(PvcAddress.parse("0.0.102"),
                    Qos.parse("cbr:pcr=10"), Direction.TRANSMIT, Aal.AAL5, "t")).getMessage().contains("needs admission control"));
        }
    }

    /**
     * Found by the reliability suite's chaos run: admission control stopped and started while connections ran came
     * back with empty books, so it would have admitted the line rate twice over. Its successor books the open
     * connections (once each, also those it admitted itself meanwhile) and closing releases them there.
     */
    @Test
    void aRestartedAdmissionControlBooksTheConnectionsStillOpenOnce() throws Exception {
        try (TestPlatform p = new TestPlatform("rebook", Double.POSITIVE_INFINITY)) {
            TestPlatform.FakeAdmission first = (TestPlatform.FakeAdmission) p.services.admission;
            Connection cbr = p.server.open(PvcAddress.parse("0.0.100"), Qos.parse("cbr:pcr=200000"), Direction.TRANSMIT, Aal.AAL5, "t");
            Connection ubr = p.server.open(PvcAddress.parse("1.0.100"), Qos.parse("ubr"), Direction.RECEIVE, Aal.AAL5, "t");
            assertEquals(2, first.held());
            p.services.admission = null; // the bundle stops: the connections run on
            TestPlatform.FakeAdmission second = new TestPlatform.FakeAdmission(353_207);
            p.services.admission = second; // and starts again, with empty books
            Connection later = p.server.open(PvcAddress.parse("0.0.101"), Qos.parse("ubr"), Direction.TRANSMIT, Aal.AAL5, "t");
            assertEquals(1, second.held(), "booked at open by the new instance");
            p.server.admissionChanged();
            long until = System.nanoTime() + 5 * SECOND;
            while (second.held() < 3 && System.nanoTime() < until) {
                Thread.onSpinWait(); // the service thread books them
            }
            assertEquals(3, second.held(), "each open connection booked once by the new admission control");
            assertTrue(assertThrows(AtmException.class, () -> p.server.open(PvcAddress.parse("0.0.102"),
                    Qos.parse("cbr:pcr=200000"), Direction.TRANSMIT, Aal.AAL5, "t")).getMessage().contains("bandwidth"),
                    "the running CBR's bandwidth is booked again: a second one does not fit");
            cbr.close();
            ubr.close();
            later.close();
            assertEquals(0, second.held(), "closing releases the reservations where they are booked now");
            assertEquals(2, first.held(), "nothing is given back to the stopped instance");
        }
    }

    @Test
    void aPvcCarriesOneConnectionOfEachDirectionOnTheSameInterface() throws Exception {
        // itf 0 loops nothing back; use both ends of the wire in both directions
        try (TestPlatform p = new TestPlatform("both", Double.POSITIVE_INFINITY)) {
            Connection aTx = p.server.open(PvcAddress.parse("0.0.100"), Qos.parse("ubr"), Direction.TRANSMIT, Aal.AAL5, "t");
            Connection aRx = p.server.open(PvcAddress.parse("0.0.100"), Qos.parse("ubr"), Direction.RECEIVE, Aal.AAL5, "t");
            Connection bTx = p.server.open(PvcAddress.parse("1.0.100"), Qos.parse("ubr"), Direction.TRANSMIT, Aal.AAL5, "t");
            Connection bRx = p.server.open(PvcAddress.parse("1.0.100"), Qos.parse("ubr"), Direction.RECEIVE, Aal.AAL5, "t");
            send(aTx, new byte[] {1});
            send(bTx, new byte[] {2});
            assertEquals(1, receive(bRx)[0]);
            assertEquals(2, receive(aRx)[0]);
            aRx.close(); // the transmit direction goes on over the reconfigured VC
            send(aTx, new byte[] {3});
            assertEquals(3, receive(bRx)[0]);
        }
    }

    private static void send(Connection c, byte[] sdu) throws Exception {
        int slot = c.txRing().claim(SECOND);
        c.txRing().slot(slot).put(0, sdu);
        c.txRing().commit(slot, sdu.length);
    }

    private static byte[] receive(Connection c) throws Exception {
        int slot = c.rxRing().take(5 * SECOND);
        assertTrue(slot >= 0, () -> "an SDU arrived: " + c.statistics());
        byte[] b = new byte[c.rxRing().length(slot)];
        c.rxRing().slot(slot).get(0, b);
        c.rxRing().release(slot);
        return b;
    }

    @Test
    void closingWakesBlockedCallersReleasesTheReservationAndStopsTheWorker() throws Exception {
        try (TestPlatform p = new TestPlatform("close", Double.POSITIVE_INFINITY)) {
            int threadsBefore = Thread.activeCount();
            // 10 cells/s: the ring of 8 slots of 1-cell SDUs fills at once and the writer blocks.
            Connection tx = p.server.open(PvcAddress.parse("0.0.100"), Qos.parse("cbr:pcr=10,sdu=40"), Direction.TRANSMIT, Aal.AAL5, "t");
            Connection rx = p.server.open(PvcAddress.parse("1.0.200"), Qos.parse("ubr"), Direction.RECEIVE, Aal.AAL5, "t");
            CompletableFuture<Throwable> writer = CompletableFuture.supplyAsync(() -> {
                try {
                    while (true) {
                        send(tx, new byte[40]);
                    }
                } catch (Throwable t) {
                    return t;
                }
            });
            CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    rx.rxRing().take(60 * SECOND);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            long until = System.nanoTime() + 5 * SECOND;
            while (tx.statistics().suspensions() == 0 && System.nanoTime() < until) {
                Thread.onSpinWait(); // the worker is suspended for credit: the ring is full
            }
            long t0 = System.nanoTime();
            tx.close();
            rx.close();
            Throwable w = writer.get(5, TimeUnit.SECONDS);
            Throwable r = reader.get(5, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(w instanceof ConnectionClosedException && w.getMessage().contains("closed by its owner"), String.valueOf(w));
            assertTrue(r instanceof ConnectionClosedException, String.valueOf(r));
            assertTrue(millis < 1000, "woken after " + millis + " ms");
            assertTrue(tx.isClosed() && rx.isClosed());
            assertEquals(0, ((TestPlatform.FakeAdmission) p.services.admission).held(), "reservations released");
            assertTrue(p.server.connections().isEmpty());
            assertThrows(ConnectionClosedException.class, () -> tx.txRing().claim(1));
            until = System.nanoTime() + 5 * SECOND;
            while (Thread.activeCount() > threadsBefore && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertFalse(java.util.Arrays.stream(threads()).anyMatch(t -> t.getName().startsWith("atm-worker-0.0.100")),
                    "the worker thread is gone");
        }
    }

    private static Thread[] threads() {
        Thread[] all = new Thread[Thread.activeCount() + 10];
        int n = Thread.enumerate(all);
        return java.util.Arrays.copyOf(all, n);
    }

    @Test
    void losingTheInterfaceClosesItsConnectionsWithTheReason() throws Exception {
        try (TestPlatform p = new TestPlatform("lose", Double.POSITIVE_INFINITY)) {
            Connection rx = p.server.open(PvcAddress.parse("1.0.100"), Qos.parse("ubr"), Direction.RECEIVE, Aal.AAL5, "t");
            CompletableFuture<Throwable> reader = CompletableFuture.supplyAsync(() -> {
                try {
                    rx.rxRing().take(60 * SECOND);
                    return null;
                } catch (Throwable t) {
                    return t;
                }
            });
            p.server.removeDevice(p.itf1);
            Throwable r = reader.get(5, TimeUnit.SECONDS);
            assertTrue(r instanceof ConnectionClosedException && r.getMessage().contains("interface 1 went away"), String.valueOf(r));
            assertTrue(rx.isClosed());
            assertTrue(p.services.topics.contains(AtmEvents.INTERFACE_DOWN));
        }
    }

    @Test
    void steadyStateAllocatesNothingOnTheWorkerAndPseudoInterruptThreads() throws Exception {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (TestPlatform p = new TestPlatform("alloc", Double.POSITIVE_INFINITY)) {
            Connection tx = p.server.open(PvcAddress.parse("0.0.100"), Qos.parse("cbr:pcr=200000,sdu=1000"), Direction.TRANSMIT, Aal.AAL5, "t");
            Connection rx = p.server.open(PvcAddress.parse("1.0.100"), Qos.parse("cbr:pcr=200000,sdu=1000"), Direction.RECEIVE, Aal.AAL5, "t");
            byte[] sdu = new byte[1000];
            Thread worker = find("atm-worker-0.0.100");
            Thread interrupt = find("atm-itf1-interrupt");
            for (int i = 0; i < 20_000; i++) { // warm-up: JIT, lazily created JDK internals
                send(tx, sdu);
                receive(rx);
            }
            long workerBefore = mx.getThreadAllocatedBytes(worker.getId());
            long interruptBefore = mx.getThreadAllocatedBytes(interrupt.getId());
            int pdus = 20_000;
            for (int i = 0; i < pdus; i++) {
                send(tx, sdu);
                int slot = rx.rxRing().take(5 * SECOND);
                rx.rxRing().release(slot);
            }
            long workerBytes = mx.getThreadAllocatedBytes(worker.getId()) - workerBefore;
            long interruptBytes = mx.getThreadAllocatedBytes(interrupt.getId()) - interruptBefore;
            // Zero per PDU: a few hundred bytes at most in the window (a monitor inflating once), not 20000 × anything.
            assertTrue(workerBytes < 1024, "worker allocated " + workerBytes + " bytes over " + pdus + " PDUs");
            assertTrue(interruptBytes < 1024, "pseudo-interrupt thread allocated " + interruptBytes + " bytes over " + pdus + " PDUs");
            long until = System.nanoTime() + 5 * SECOND;
            while (rx.statistics().pdus() < 40_000 && System.nanoTime() < until) {
                Thread.onSpinWait(); // counted just after publishing
            }
            ConnectionStatistics s = rx.statistics();
            assertEquals(40_000, s.pdus());
        }
    }

    private static Thread find(String name) {
        for (Thread t : threads()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no thread " + name);
    }

    /**
     * Per-owner limits (issue 10, misbehaving bundles): the greedy owner gets exactly the limit, then refusals
     * naming the limit, the owner and the configuration key; a refused open keeps no reservation; another owner
     * is not affected; a limit changed at run time binds the next open.
     */
    @Test
    void perOwnerLimitsRefuseTheGreedyOwnerNamingTheKeyAndAChangedLimitBindsTheNextOpen() throws Exception {
        try (TestPlatform p = new TestPlatform("limits", Double.POSITIVE_INFINITY)) {
            Qos ubr = Qos.parse("ubr:sdu=1000");
            p.server.setOwnerLimits(new OwnerLimits(3, Long.MAX_VALUE));
            for (int i = 0; i < 3; i++) {
                p.server.open(PvcAddress.parse("0.0." + (100 + i)), ubr, Direction.TRANSMIT, Aal.AAL5, "greedy [7]");
            }
            int held = p.services.admission instanceof TestPlatform.FakeAdmission f ? f.held() : -1;
            AtmException refused = assertThrows(AtmException.class, () -> p.server.open(PvcAddress.parse("0.0.103"), ubr,
                    Direction.TRANSMIT, Aal.AAL5, "greedy [7]"));
            assertTrue(refused.getMessage().contains("greedy [7] already holds 3 connections")
                    && refused.getMessage().contains("max.connections.per.owner = 3"), refused.getMessage());
            p.server.open(PvcAddress.parse("0.0.200"), ubr, Direction.TRANSMIT, Aal.AAL5, "good [8]");
            p.server.setOwnerLimits(new OwnerLimits(4, Long.MAX_VALUE)); // raised at run time
            p.server.open(PvcAddress.parse("0.0.103"), ubr, Direction.TRANSMIT, Aal.AAL5, "greedy [7]");
            assertThrows(AtmException.class, () -> p.server.open(PvcAddress.parse("0.0.104"), ubr, Direction.TRANSMIT,
                    Aal.AAL5, "greedy [7]"));

            // ring bytes: the fake admission control reserves 8 slots of the contract's SDU, 8000 bytes here
            p.server.setOwnerLimits(new OwnerLimits(100, 2 * 8000 + 7999));
            Connection a = p.server.open(PvcAddress.parse("1.0.100"), ubr, Direction.RECEIVE, Aal.AAL5, "hoarder [9]");
            p.server.open(PvcAddress.parse("1.0.101"), ubr, Direction.RECEIVE, Aal.AAL5, "hoarder [9]");
            TestPlatform.FakeAdmission cac = (TestPlatform.FakeAdmission) p.services.admission;
            int before = cac.held();
            AtmException full = assertThrows(AtmException.class, () -> p.server.open(PvcAddress.parse("1.0.102"), ubr,
                    Direction.RECEIVE, Aal.AAL5, "hoarder [9]"));
            assertTrue(full.getMessage().contains("hoarder [9] holds 16000 ring bytes")
                    && full.getMessage().contains("needs 8000 more (8 slots of 1000 bytes)")
                    && full.getMessage().contains("max.buffer.bytes.per.owner = 23999"), full.getMessage());
            assertEquals(before, cac.held(), "the refused open gave its reservation back");
            assertTrue(p.server.connections().stream().noneMatch(s -> s.pvc().equals(PvcAddress.parse("1.0.102"))));
            a.close(); // frees its 8000 bytes
            p.server.open(PvcAddress.parse("1.0.102"), ubr, Direction.RECEIVE, Aal.AAL5, "hoarder [9]");
            assertTrue(held >= 3);
        }
    }
}

package org.drops.atm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import javax.inject.Inject;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.ConnectionClosedException;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.RxView;
import org.drops.atm.api.TxSlot;
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

/** The socket service as an application bundle (this test probe) uses it, over the real platform. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class SocketServiceIT {

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

    static void awaitInterfaces(ProtocolServer server, int first, int second) {
        Platform.awaitInterfaces(server, first, second);
    }

    static void awaitInterfaces(ProtocolServer server, int count) {
        Platform.awaitInterfaces(server, count);
    }

    @Test
    public void zeroCopyTransmitAndViewReceiveDeliverByteExactData() throws Exception {
        try (Interfaces itfs = Interfaces.backToBack(configurationAdmin, 10, 11, "it-exact")) {
            awaitInterfaces(server, 10, 11);
            try (AtmSocket tx = sockets.createSocket(); AtmSocket rx = sockets.createSocket()) {
                tx.setQos("ubr:sdu=65535");
                rx.setQos("ubr:sdu=65535");
                rx.bind(PvcAddress.parse("11.0.100"));
                tx.connect(PvcAddress.parse("10.0.100"));
                Random random = new Random(2026);
                for (int i = 0; i < 300; i++) {
                    int length = random.nextInt(65536);
                    TxSlot slot = tx.claim();
                    CRC32 sent = new CRC32();
                    ByteBuffer b = slot.buffer();
                    for (int j = 0; j < length; j++) {
                        b.put((byte) random.nextInt(256));
                    }
                    b.flip();
                    sent.update(b.duplicate());
                    slot.commit(length);
                    try (RxView view = rx.receive(5, TimeUnit.SECONDS)) {
                        assertNotNull("SDU " + i + " arrived", view);
                        CRC32 got = new CRC32();
                        got.update(view.buffer());
                        assertEquals("length of SDU " + i, length, view.length());
                        assertEquals("checksum of SDU " + i, sent.getValue(), got.getValue());
                    }
                }
            }
        }
    }

    @Test
    public void stoppingTheDriverWakesBlockedCallersAtOnceAndLeavesNoThreadBehind() throws Exception {
        List<String> atmThreadsBefore = atmThreads();
        List<Thread> threadsBefore = liveThreads();
        Bundle driver = bundle("org.drops.atm.driver.pca200e");
        try (Interfaces itfs = Interfaces.backToBack(configurationAdmin, 12, 13, "it-stop")) {
            awaitInterfaces(server, 12, 13);
            AtmSocket tx = sockets.createSocket();
            AtmSocket rx = sockets.createSocket();
            tx.setQos("ubr:sdu=8192");
            rx.setQos("ubr:sdu=8192");
            rx.bind(PvcAddress.parse("13.0.100"));
            tx.connect(PvcAddress.parse("12.0.100"));
            CompletableFuture<Throwable> writer = new CompletableFuture<>();
            CompletableFuture<Throwable> reader = new CompletableFuture<>();
            long[] endedAt = new long[2];
            Thread w = new Thread(() -> {
                try {
                    ByteBuffer sdu = ByteBuffer.allocate(8192);
                    while (true) {
                        sdu.clear();
                        tx.write(sdu); // a dumb writer: blocks on the full ring most of the time
                    }
                } catch (Throwable t) {
                    endedAt[0] = System.nanoTime();
                    writer.complete(t);
                }
            }, "it-writer");
            Thread r = new Thread(() -> {
                try {
                    ByteBuffer in = ByteBuffer.allocate(8192);
                    while (true) {
                        in.clear();
                        rx.read(in);
                    }
                } catch (Throwable t) {
                    endedAt[1] = System.nanoTime();
                    reader.complete(t);
                }
            }, "it-reader");
            w.start();
            r.start();
            long deadline = System.currentTimeMillis() + 10_000;
            while (rx.statistics().pdus() < 100 && System.currentTimeMillis() < deadline) {
                Thread.onSpinWait(); // traffic flows
            }
            assertTrue("traffic flows before the stop: " + rx.statistics(), rx.statistics().pdus() >= 100);
            long stopAt = System.nanoTime();
            driver.stop();
            Throwable wt = writer.get(5, TimeUnit.SECONDS);
            Throwable rt = reader.get(5, TimeUnit.SECONDS);
            long writerMillis = (endedAt[0] - stopAt) / 1_000_000;
            long readerMillis = (endedAt[1] - stopAt) / 1_000_000;
            assertTrue("writer: " + wt, wt instanceof ConnectionClosedException);
            assertTrue("reader: " + rt, rt instanceof ConnectionClosedException);
            assertTrue("the exception names the interface: " + wt.getMessage(), wt.getMessage().contains("interface 12"));
            assertTrue("writer woken after " + writerMillis + " ms", writerMillis < 100);
            assertTrue("reader woken after " + readerMillis + " ms", readerMillis < 100);
            w.join(5000);
            r.join(5000);
            long until = System.currentTimeMillis() + 5000;
            while (!atmThreads().equals(atmThreadsBefore) && System.currentTimeMillis() < until) {
                Thread.onSpinWait();
            }
            assertEquals("no worker, line, or pseudo-interrupt thread survives", atmThreadsBefore, atmThreads());
            List<String> survivors = new ArrayList<>();
            for (Thread t : liveThreads()) {
                // Event Admin's delivery pool grows on demand once events have subscribers (the shell's event log)
                if (!threadsBefore.contains(t) && !t.getName().startsWith("EventAdmin")) {
                    survivors.add(t.getName());
                }
            }
            assertEquals("threads started since the connections opened that are still alive", List.of(), survivors);
            assertTrue(server.connections().isEmpty());

            driver.start();
            awaitInterfaces(server, 2);
            try (AtmSocket tx2 = sockets.createSocket(); AtmSocket rx2 = sockets.createSocket()) {
                tx2.setQos("ubr");
                rx2.setQos("ubr");
                rx2.bind(PvcAddress.parse("13.0.100"));
                tx2.connect(PvcAddress.parse("12.0.100"));
                tx2.write(ByteBuffer.wrap(new byte[] {42}));
                ByteBuffer in = ByteBuffer.allocate(10);
                assertEquals(1, rx2.read(in, 5, TimeUnit.SECONDS));
                assertEquals(42, in.get(0));
            }
        } finally {
            if (driver.getState() != Bundle.ACTIVE) {
                driver.start();
            }
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

    static List<Thread> liveThreads() {
        Thread[] all = new Thread[Thread.activeCount() + 20];
        int n = Thread.enumerate(all);
        return new ArrayList<>(java.util.Arrays.asList(all).subList(0, n));
    }

    static List<String> atmThreads() {
        Thread[] all = new Thread[Thread.activeCount() + 20];
        int n = Thread.enumerate(all);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (all[i].getName().startsWith("atm-")) {
                names.add(all[i].getName());
            }
        }
        names.sort(null);
        return names;
    }
}

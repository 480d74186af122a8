package org.drops.atm.itest;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.inject.Inject;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.AtmSocketFactory;
import org.drops.atm.api.ConnectionStatistics;
import org.drops.atm.api.InetFamily;
import org.drops.atm.api.InetOption;
import org.drops.atm.api.InetSocket;
import org.drops.atm.api.InetType;
import org.drops.atm.api.NativeCallException;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.admission.AdmissionRequest;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.api.scheduling.GrantedPriority;
import org.drops.atm.api.scheduling.RealTimeScheduler;
import org.drops.atm.api.scheduling.SchedulingPolicy;
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
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 7, the Linux bridge's services in the platform: the real-time scheduler as the core uses it for worker
 * and pseudo-interrupt threads, read back from /proc independently of the bridge; and a redirected socket whose
 * Linux-only option the kernel holds. Needs root for SCHED_FIFO (CI runs as root).
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class LinuxBridgeIT {

    @Inject
    BundleContext context;

    @Inject
    ConfigurationAdmin configurationAdmin;

    @Inject
    AtmSocketFactory sockets;

    @Inject
    ProtocolServer server;

    @Inject
    RealTimeScheduler scheduler;

    @Configuration
    public Option[] configuration() throws IOException {
        return PlatformBundlesIT.platform();
    }

    @Test
    public void aGuaranteedWorkerRunsUnderSchedFifoAndABestEffortWorkerDoesNot() throws Exception {
        // CBR needs admission control; until org.drops.atm.cac is in the platform, a bandwidth-only stand-in
        ServiceRegistration<AdmissionControl> standIn = context.getServiceReference(AdmissionControl.class) == null
                ? context.registerService(AdmissionControl.class, new BandwidthOnlyAdmission(), null) : null;
        try (Interfaces itfs = Interfaces.backToBack(configurationAdmin, 30, 31, "it-fifo").add(32, "it-fifo-be", "oc3")
                .add(33, "it-fifo-be", "oc3")) {
            SocketServiceIT.awaitInterfaces(server, 4);
            try (AtmSocket cbr = sockets.createSocket(); AtmSocket ubr = sockets.createSocket()) {
                cbr.setQos("cbr:pcr=10000,sdu=8192");
                ubr.setQos("ubr:sdu=8192");
                cbr.connect(PvcAddress.parse("30.0.100"));
                ubr.connect(PvcAddress.parse("32.0.100"));
                GrantedPriority guaranteed = awaitWorkerPriority(cbr);
                GrantedPriority bestEffort = awaitWorkerPriority(ubr);

                // what the bridge reported to the core
                assertEquals(guaranteed.toString(), SchedulingPolicy.FIFO, guaranteed.policy());
                assertEquals(10, guaranteed.priority());
                assertTrue(guaranteed.toString(), guaranteed.asRequested() && guaranteed.linuxTid() > 0);
                assertEquals(bestEffort.toString(), SchedulingPolicy.OTHER, bestEffort.policy());

                // what the kernel shows, found by thread name (comm: the first 15 characters of the Java name)
                Map<String, long[]> tasks = tasks();
                long[] worker = tasks.get("atm-worker-30.0");
                assertNotNull("the CBR worker's task in " + tasks.keySet(), worker);
                assertEquals("the tid the scheduler reported is the CBR worker's", guaranteed.linuxTid(), worker[0]);
                assertEquals("policy of the CBR worker (1 = SCHED_FIFO)", 1, worker[1]);
                assertEquals("rt_priority of the CBR worker", 10, worker[2]);
                long[] beWorker = tasks.get("atm-worker-32.0");
                assertNotNull("the UBR worker's task in " + tasks.keySet(), beWorker);
                assertEquals("policy of the UBR worker (0 = SCHED_OTHER)", 0, beWorker[1]);
                assertEquals("rt_priority of the UBR worker", 0, beWorker[2]);
                long[] interrupt = tasks.get("atm-itf30-inter");
                assertNotNull("the pseudo-interrupt thread of itf 30 in " + tasks.keySet(), interrupt);
                assertEquals("policy of the pseudo-interrupt thread", 1, interrupt[1]);
                assertEquals("rt_priority of the pseudo-interrupt thread", 11, interrupt[2]);
                System.out.println("CBR worker: " + guaranteed + " (tid " + guaranteed.linuxTid() + "); UBR worker: " + bestEffort);
            }
        } finally {
            if (standIn != null) {
                standIn.unregister();
            }
        }
    }

    @Test
    public void aRedirectedUdpSocketGetsItsPacingRateAppliedByTheKernel() throws Exception {
        try (InetSocket socket = sockets.createInetSocket(InetFamily.INET, InetType.DATAGRAM);
             InetSocket peer = sockets.createInetSocket(InetFamily.INET, InetType.DATAGRAM)) {
            long bytesPerSecond = 1_250_000; // 10 Mbit/s
            assertEquals("no limit before (~0)", -1, socket.getOption(InetOption.SO_MAX_PACING_RATE));
            socket.setOption(InetOption.SO_MAX_PACING_RATE, bytesPerSecond);
            assertEquals("SO_MAX_PACING_RATE read back from the kernel", bytesPerSecond,
                    socket.getOption(InetOption.SO_MAX_PACING_RATE));
            socket.setOption(InetOption.SO_PRIORITY, 5);
            assertEquals(5, socket.getOption(InetOption.SO_PRIORITY));
            socket.setOption(InetOption.IP_TOS, 0x10);
            assertEquals(0x10, socket.getOption(InetOption.IP_TOS));

            // and it is a working socket: a datagram over loopback
            InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            socket.bind(loopback);
            peer.bind(loopback);
            socket.sendTo(ByteBuffer.wrap(new byte[] {7, 7, 7}), peer.localAddress());
            ByteBuffer in = ByteBuffer.allocate(16);
            assertEquals(socket.localAddress(), peer.receiveFrom(in));
            assertEquals(3, in.position());

            NativeCallException e = null;
            try {
                socket.setOption(InetOption.TCP_NODELAY, 1);
            } catch (NativeCallException thrown) {
                e = thrown;
            }
            assertNotNull("TCP_NODELAY on a UDP socket is refused by the kernel", e);
            assertEquals("setsockopt(TCP_NODELAY)", e.call());
            assertEquals("ENOPROTOOPT", e.errnoName());
        }
    }

    @Test
    public void stoppingTheBridgeClosesItsSocketsAndWakesABlockedReceiver() throws Exception {
        Bundle bridge = bundle("org.drops.atm.linuxbridge");
        InetSocket socket = sockets.createInetSocket(InetFamily.INET, InetType.DATAGRAM);
        try {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            InetSocketAddress bound = socket.localAddress();
            CompletableFuture<Throwable> receiver = new CompletableFuture<>();
            Thread t = new Thread(() -> {
                try {
                    socket.receiveFrom(ByteBuffer.allocate(16));
                    receiver.complete(null);
                } catch (Throwable e) {
                    receiver.complete(e);
                }
            }, "it-blocked-receiver");
            t.start();
            // the receiver is in recvfrom once its thread sleeps in the kernel
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!threadState("it-blocked-receiver").startsWith("S") && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            long stopAt = System.nanoTime();
            bridge.stop();
            Throwable woken = receiver.get(5, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - stopAt) / 1_000_000;
            assertTrue("the blocked receiver got " + woken, woken instanceof NativeCallException);
            assertEquals("EBADF", ((NativeCallException) woken).errnoName());
            assertTrue("woken " + millis + " ms after the stop", millis < 2000);
            // the kernel released the port: the descriptor was closed, not leaked
            try (DatagramSocket again = new DatagramSocket(bound)) {
                assertEquals(bound.getPort(), again.getLocalPort());
            }
        } finally {
            socket.close();
            bridge.start();
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

    /** The kernel's state letter of this JVM's thread with that name (comm), or "" if there is none. */
    private static String threadState(String name) throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : (Iterable<Path>) s::iterator) {
                try {
                    if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                        String stat = Files.readString(task.resolve("stat"));
                        return stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
                    }
                } catch (IOException ended) {
                    // a task that ended while we listed
                }
            }
        }
        return "";
    }

    private static GrantedPriority awaitWorkerPriority(AtmSocket socket) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            ConnectionStatistics s = socket.statistics();
            GrantedPriority p = s.workerPriority();
            if (!p.detail().contains("not started")) {
                return p;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the worker did not start: " + s);
            }
            Thread.onSpinWait();
        }
    }

    /** Every task of this JVM by comm: {tid, policy (stat field 41), rt_priority (field 40)}. */
    private static Map<String, long[]> tasks() throws IOException {
        Map<String, long[]> byName = new HashMap<>();
        List<Path> all;
        try (Stream<Path> s = Files.list(Path.of("/proc/self/task"))) {
            all = new ArrayList<>(s.toList());
        }
        for (Path task : all) {
            try {
                String comm = Files.readString(task.resolve("comm")).strip();
                String stat = Files.readString(task.resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                byName.put(comm, new long[] {Long.parseLong(task.getFileName().toString()), Long.parseLong(f[41 - 3]),
                        Long.parseLong(f[40 - 3])});
            } catch (IOException ended) {
                // a task that ended while we listed
            }
        }
        return byName;
    }

    /** Admits everything up to the line rate, eight slots per connection: enough for a CBR worker to exist. */
    static final class BandwidthOnlyAdmission implements AdmissionControl {
        private final Map<Long, Reservation> held = new HashMap<>();
        private long ids;

        @Override
        public synchronized Reservation admit(AdmissionRequest request) throws AdmissionException {
            TrafficParameters tp = request.qos().direction(request.direction());
            double rate = tp.trafficClass().isGuaranteed() ? tp.topPcrCps() : 0;
            Reservation r = new Reservation(++ids, request, rate, 8, tp.effectiveMaxSduBytes(Aal.AAL5), 0);
            held.put(r.id(), r);
            return r;
        }

        @Override
        public synchronized boolean release(Reservation reservation) {
            return held.remove(reservation.id()) != null;
        }

        @Override
        public List<AdmissionState> states() {
            return List.of();
        }

        @Override
        public Optional<AdmissionState> state(int itf) {
            return Optional.empty();
        }

        @Override
        public synchronized double bestEffortCellsPerSecond(int itf) {
            double reserved = held.values().stream().filter(r -> r.request().pvc().itf() == itf)
                    .mapToDouble(Reservation::bandwidthCellsPerSecond).sum();
            return 353_207 - reserved;
        }

        @Override
        public CpuModel cpuModel() {
            return null;
        }

        @Override
        public CpuModel recalibrate() {
            return null;
        }
    }
}

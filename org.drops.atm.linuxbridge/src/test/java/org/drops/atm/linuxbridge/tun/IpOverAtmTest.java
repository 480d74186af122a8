package org.drops.atm.linuxbridge.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import org.drops.atm.api.AtmEvents;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.admission.AdmissionControl;
import org.drops.atm.api.policing.PolicingPolicy;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.scheduling.RealTimeScheduler;
import org.drops.atm.api.server.Connection;
import org.drops.atm.api.server.RxRing;
import org.drops.atm.api.server.TxRing;
import org.drops.atm.core.internal.CoreSettings;
import org.drops.atm.core.internal.Server;
import org.drops.atm.core.internal.Services;
import org.drops.atm.driver.pca200e.link.MemoryLink;
import org.drops.atm.driver.pca200e.nic.DeviceSettings;
import org.drops.atm.driver.pca200e.nic.Pca200eDevice;
import org.drops.atm.linuxbridge.IpOverAtmInterface.State;
import org.drops.atm.linuxbridge.IpOverAtmStatistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A TUN interface in a namespace of the test's own, bridged onto PVC 0.0.100 of a real protocol server and an
 * emulated interface; the test plays the far end of the PVC on interface 1 (the memory wire's other end) and
 * looks at the SDUs themselves. Needs CAP_NET_ADMIN and iproute2 (CI runs as root).
 */
class IpOverAtmTest {

    static final String WIRE = "linuxbridge-tun-test";
    static final PvcAddress PVC = PvcAddress.parse("0.0.100");
    static final PvcAddress PEER = PvcAddress.parse("1.0.100");
    static final byte[] TUN_IP = {10, (byte) 213, 0, 1};
    static final byte[] PEER_IP = {10, (byte) 213, 0, 2};
    static final Duration DEADLINE = Duration.ofSeconds(10);

    private Pca200eDevice itf0;
    private Pca200eDevice itf1;
    private Server server;
    private volatile IpOverAtm bridge;
    private TestNetns ns;
    private String tunName;
    private Connection peerRx;
    private Connection peerTx;

    static boolean hasCapNetAdmin() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapEff:")) {
                return (Long.parseLong(line.substring(7).trim(), 16) & (1L << 12)) != 0;
            }
        }
        return false;
    }

    @BeforeEach
    void platform() throws Exception {
        requirePrivilege(hasCapNetAdmin() && Files.exists(Path.of("/dev/net/tun")), "needs CAP_NET_ADMIN and /dev/net/tun (CI runs as root)");
        itf0 = new Pca200eDevice(DeviceSettings.oc3(0), new MemoryLink("0", WIRE, false, 64));
        itf1 = new Pca200eDevice(new DeviceSettings(1, null, DeviceSettings.oc3(1).lineCellsPerSecond(), 2048, 64, 64,
                65535, 100_000_000L, true), new MemoryLink("1", WIRE, false, 64));
        server = new Server(CoreSettings.defaults(), new Services() {
            @Override
            public AdmissionControl admission() {
                return null;
            }

            @Override
            public PolicingPolicy policy() {
                return null;
            }

            @Override
            public RealTimeScheduler scheduler() {
                return null;
            }

            @Override
            public void post(String topic, Map<String, Object> properties) {
                IpOverAtm b = bridge;
                if (b != null && topic.equals(AtmEvents.INTERFACE_UP)) {
                    b.interfaceUp((Integer) properties.get(AtmEvents.ITF)); // what TunComponent's handler does
                }
            }
        });
        server.addDevice(itf0);
        server.addDevice(itf1);
        ns = TestNetns.create("tun-" + ProcessHandle.current().pid());
        tunName = "datmu" + ProcessHandle.current().pid() % 100000;
        Qos qos = Qos.parse("ubr:sdu=9188");
        peerRx = server.open(PEER, qos, Direction.RECEIVE, Aal.AAL5, "peer");
        peerTx = server.open(PEER, qos, Direction.TRANSMIT, Aal.AAL5, "peer");
    }

    @AfterEach
    void down() throws Exception {
        try {
            if (bridge != null) {
                bridge.close();
            }
            if (server != null) {
                server.shutdown("test over");
                itf0.close("test over");
                itf1.close("test over");
            }
        } finally {
            if (ns != null) {
                ns.close();
            }
        }
    }

    private IpOverAtm startBridge() throws IOException {
        TunSettings settings = new TunSettings(tunName, List.of("10.213.0.1/24", "fd00:213::1/64"), PVC,
                TunSettings.contract("ubr", 9180), 9180, ns.name, "ip");
        bridge = IpOverAtm.start(settings, server, "test");
        bridge.attach();
        await(() -> bridge.state() == State.ATTACHED, "attached: " + bridge.stateReason());
        return bridge;
    }

    @Test
    void theKernelsPacketsLeaveAsLlcSnapSdusAndItsAnswersComeBack() throws Exception {
        startBridge();
        String link = ns.exec("ip", "link", "show", "dev", tunName);
        assertTrue(link.contains("mtu 9180") && link.contains(",UP,LOWER_UP"), link);

        // IPv4: the kernel answers an echo request the far end sends; the reply is an LLC/SNAP SDU
        byte[] payload = "ping over atm".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        send(Packets.icmpEchoRequest(PEER_IP, TUN_IP, 77, 1, payload), LlcSnap.IPV4);
        byte[] reply = receive(sdu -> sdu.length > 8 + 28 && ByteBuffer.wrap(sdu).getLong(0) == LlcSnap.IPV4 && sdu[8 + 9] == 1
                && sdu[8 + 20] == 0 && sdu[8 + 24] == 0 && sdu[8 + 25] == 77);
        assertArrayEquals(new byte[] {(byte) 0xAA, (byte) 0xAA, 3, 0, 0, 0, 8, 0}, Arrays.copyOf(reply, 8));
        assertArrayEquals(TUN_IP, Arrays.copyOfRange(reply, 8 + 12, 8 + 16), "source");
        assertArrayEquals(PEER_IP, Arrays.copyOfRange(reply, 8 + 16, 8 + 20), "destination");
        assertArrayEquals(payload, Arrays.copyOfRange(reply, 8 + 28, reply.length), "the echo carries the payload back");

        // IPv6: a datagram sent in the namespace leaves with the 86DD header
        assertEquals(0, ns.execStatus("bash", "-c", "echo six > /dev/udp/fd00:213::2/9"));
        byte[] six = receive(sdu -> sdu.length > 48 && ByteBuffer.wrap(sdu).getLong(0) == LlcSnap.IPV6 && sdu[8 + 6] == 17);
        assertArrayEquals(new byte[] {(byte) 0xAA, (byte) 0xAA, 3, 0, 0, 0, (byte) 0x86, (byte) 0xDD}, Arrays.copyOf(six, 8));
        IpOverAtmStatistics s = bridge.statistics();
        assertTrue(s.txPackets() >= 2 && s.rxPackets() == 1, s.toString());
    }

    @Test
    void sdusWithUnknownOrMalformedHeadersAreCountedAndNeverReachTheKernel() throws Exception {
        startBridge();
        long kernelBefore = ns.counter(tunName, "rx_packets");
        byte[] good = Packets.icmpEchoRequest(PEER_IP, TUN_IP, 9, 1, new byte[16]);
        byte[] bridged = new byte[8 + 2 + 14 + good.length]; // bridged Ethernet: AA AA 03 00 80 C2 00 07, pad, frame
        System.arraycopy(new byte[] {(byte) 0xAA, (byte) 0xAA, 3, 0, (byte) 0x80, (byte) 0xC2, 0, 7}, 0, bridged, 0, 8);
        System.arraycopy(good, 0, bridged, 24, good.length);
        sendRaw(bridged);
        sendRaw(new byte[] {(byte) 0xAA, (byte) 0xAA, 3}); // shorter than the header
        sendRaw(new byte[0]); // an empty SDU
        byte[] wrongVersion = sdu(LlcSnap.IPV6, good); // IPv4 packet under the IPv6 EtherType
        sendRaw(wrongVersion);
        byte[] cut = Arrays.copyOf(sdu(LlcSnap.IPV4, good), 8 + good.length - 4); // length field says more
        sendRaw(cut);
        send(good, LlcSnap.IPV4); // and one good packet, last
        await(() -> {
            IpOverAtmStatistics s = bridge.statistics();
            return s.rxPackets() + s.rxDropped() == 6;
        }, "six SDUs handled: " + bridge.statistics());
        IpOverAtmStatistics s = bridge.statistics();
        assertEquals(3, s.rxDroppedUnknownHeader(), s.toString());
        assertEquals(2, s.rxDroppedMalformed(), s.toString());
        assertEquals(1, s.rxPackets(), s.toString());
        assertEquals(0, s.rxDroppedTunWrite(), s.toString());
        assertEquals(kernelBefore + 1, ns.counter(tunName, "rx_packets"), "only the good packet reached the kernel");
    }

    @Test
    void losingTheAtmInterfaceDropsCarrierAndItsReturnReattaches() throws Exception {
        startBridge();
        server.removeDevice(itf0);
        itf0.close("unplugged by the test");
        await(() -> bridge.state() == State.WAITING, "waiting after the interface went: " + bridge.state());
        assertTrue(bridge.stateReason().contains("0.0.100"), bridge.stateReason());
        awaitLink(out -> out.contains("NO-CARRIER"), "no carrier while detached");

        itf0 = new Pca200eDevice(DeviceSettings.oc3(0), new MemoryLink("0", WIRE, false, 64));
        server.addDevice(itf0); // the core posts INTERFACE_UP; the bridge attaches again
        await(() -> bridge.state() == State.ATTACHED, "attached again: " + bridge.stateReason());
        assertEquals(2, bridge.statistics().attachments());
        awaitLink(out -> out.contains(",LOWER_UP"), "carrier back");
        send(Packets.icmpEchoRequest(PEER_IP, TUN_IP, 78, 2, new byte[8]), LlcSnap.IPV4);
        assertNotNull(receive(sdu -> sdu.length > 36 && sdu[8 + 9] == 1 && sdu[8 + 20] == 0 && sdu[8 + 25] == 78));
    }

    @Test
    void closingRemovesTheInterfaceFromItsNamespace() throws Exception {
        startBridge();
        assertEquals(0, ns.execStatus("ip", "link", "show", "dev", tunName));
        bridge.close();
        assertEquals(State.STOPPED, bridge.state());
        assertNotEquals(0, ns.execStatus("ip", "link", "show", "dev", tunName), "the interface is gone");
        assertTrue(server.connections().stream().noneMatch(c -> c.pvc().equals(PVC)), "both directions of the PVC closed");
        bridge = null;
    }

    @Test
    void aMissingNamespaceOrABusyNameFailsTheStartNamingIt() throws Exception {
        TunSettings noSuchNs = new TunSettings(tunName, List.of(), PVC, TunSettings.contract("ubr", 9180), 9180,
                TestNetns.PREFIX + "absent", "ip");
        IOException e = assertThrows(IOException.class, () -> IpOverAtm.start(noSuchNs, server, "test"));
        assertTrue(e.getMessage().startsWith("netns: "), e.getMessage());

        TunSettings bad = new TunSettings(tunName, List.of("10.213.0.1/24"), PVC, TunSettings.contract("ubr", 9180), 9180,
                ns.name, "no-such-ip-program");
        IOException ip = assertThrows(IOException.class, () -> IpOverAtm.start(bad, server, "test"));
        assertTrue(ip.getMessage().contains("no-such-ip-program"), ip.getMessage());
        assertNotEquals(0, TestNetns.status("ip", "link", "show", "dev", tunName), "nothing left behind in the platform's namespace");
    }

    // ---------------------------------------------------------------- the far end of the PVC

    private static byte[] sdu(long header, byte[] packet) {
        ByteBuffer b = ByteBuffer.allocate(8 + packet.length);
        b.putLong(header).put(packet);
        return b.array();
    }

    private void send(byte[] packet, long header) throws Exception {
        sendRaw(sdu(header, packet));
    }

    private void sendRaw(byte[] sdu) throws Exception {
        TxRing ring = peerTx.txRing();
        int slot = ring.claim(TimeUnit.SECONDS.toNanos(5));
        assertTrue(slot >= 0, "a transmit slot");
        ring.slot(slot).put(sdu);
        ring.commit(slot, sdu.length);
    }

    /** The next SDU on the far end that matches, skipping others (the kernel's own IPv6 multicast, say). */
    private byte[] receive(Predicate<byte[]> wanted) throws Exception {
        RxRing ring = peerRx.rxRing();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            int slot = ring.take(deadline - System.nanoTime());
            if (slot < 0) {
                break;
            }
            byte[] sdu = new byte[ring.length(slot)];
            ring.slot(slot).get(0, sdu);
            ring.release(slot);
            if (wanted.test(sdu)) {
                return sdu;
            }
        }
        throw new AssertionError("no matching SDU within " + DEADLINE + "; bridge " + bridge.statistics());
    }

    private void awaitLink(Predicate<String> condition, String what) throws IOException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            last = ns.exec("ip", "link", "show", "dev", tunName);
            if (condition.test(last)) {
                return;
            }
        }
        throw new AssertionError(what + ": " + last);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not " + what + " within " + DEADLINE);
            }
            Thread.onSpinWait();
        }
    }

    /** Skips on a developer's unprivileged machine; fails under CI ({@code CI=true}, set by .ci/run), which runs as root. */
    private static void requirePrivilege(boolean present, String reason) {
        if ("true".equals(System.getenv("CI"))) {
            org.junit.jupiter.api.Assertions.assertTrue(present, reason);
        }
        assumeTrue(present, reason);
    }
}

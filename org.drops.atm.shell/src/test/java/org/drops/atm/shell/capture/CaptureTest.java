package org.drops.atm.shell.capture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.drops.atm.api.device.VcParameters;
import org.drops.atm.api.device.VcService;
import org.drops.atm.api.device.VirtualChannel;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.driver.pca200e.link.MemoryLink;
import org.drops.atm.driver.pca200e.nic.DeviceSettings;
import org.drops.atm.driver.pca200e.nic.Pca200eDevice;
import org.drops.atm.shell.internal.TestSdu;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Captures through the real driver's tap on a looped-back emulated PCA-200E, read back byte by byte. */
class CaptureTest {

    /** One pcap record as written. */
    record Record(long micros, int flags, int vpi, int vci, byte[] sdu) {
    }

    @TempDir
    Path dir;

    Pca200eDevice device;
    VirtualChannel vc;
    VirtualChannel other;

    @BeforeEach
    void loopedBackInterface() throws Exception {
        device = new Pca200eDevice(DeviceSettings.oc3(0).withLineCellsPerSecond(Double.POSITIVE_INFINITY),
                new MemoryLink("capture-test", "capture-test", true, 64));
        Qos qos = Qos.parse("ubr:sdu=4000");
        vc = device.open(new VcParameters(0, 100, qos, Aal.AAL5, VcService.BEST_EFFORT));
        other = device.open(new VcParameters(1, 42, qos, Aal.AAL5, VcService.BEST_EFFORT));
    }

    @AfterEach
    void close() {
        device.close("test over");
    }

    @Test
    void aCountedCaptureOfOnePvcHoldsExactlyThatManyPdusWithDirectionVpiVciAndTheSdus() throws Exception {
        Path file = dir.resolve("pvc.pcap");
        // loopback: each PDU is seen twice, sent (tx) and received (rx); 6 of the 10 seen on 0.100 are kept
        Capture capture = new Capture(1, "0.0.100", 0, 100, file, 6, TimeUnit.SECONDS.toNanos(30), 1 << 20);
        capture.start(device);
        List<byte[]> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            byte[] sdu = TestSdu.template(100 + i * 700, i % 2 == 0);
            TestSdu.setSequence(ByteBuffer.wrap(sdu), i % 2 == 0, i);
            sent.add(sdu);
            vc.send(ByteBuffer.wrap(sdu));
            other.send(ByteBuffer.wrap(new byte[64])); // another VC: not captured
        }
        assertTrue(capture.await(10, TimeUnit.SECONDS), "the capture did not end: " + capture.report());
        assertEquals(Capture.State.DONE, capture.state());
        List<Record> records = read(file);
        assertEquals(6, records.size(), capture.report());
        int tx = 0;
        int rx = 0;
        for (Record r : records) {
            assertEquals(0, r.vpi());
            assertEquals(100, r.vci());
            boolean transmitted = (r.flags() & PcapFormat.DIRECTION_TRANSMIT) != 0;
            int index = (int) ByteBuffer.wrap(r.sdu()).getLong(TestSdu.sequenceOffset(r.sdu()[0] == (byte) 0xAA));
            assertArrayEquals(sent.get(index), r.sdu(), "SDU " + index + " as sent, without padding and trailer");
            assertEquals(r.sdu()[0] == (byte) 0xAA ? PcapFormat.TRAFFIC_LLC : PcapFormat.TRAFFIC_UNKNOWN, r.flags() & 0x0f);
            if (transmitted) {
                tx++;
            } else {
                rx++;
            }
        }
        assertTrue(tx > 0 && rx > 0, "both directions: " + tx + " tx, " + rx + " rx");
        assertTrue(capture.report().contains("6 PDUs (" + tx + " tx, " + rx + " rx"), capture.report());
        assertTrue(capture.report().contains("count reached"), capture.report());
    }

    @Test
    void anInterfaceCaptureSeesEveryVcAndTimestampsDoNotGoBack() throws Exception {
        Path file = dir.resolve("itf.pcap");
        Capture capture = new Capture(2, "0", -1, -1, file, 4, TimeUnit.SECONDS.toNanos(30), 1 << 20);
        capture.start(device);
        vc.send(ByteBuffer.wrap(new byte[10]));
        other.send(ByteBuffer.wrap(new byte[20]));
        assertTrue(capture.await(10, TimeUnit.SECONDS));
        List<Record> records = read(file);
        assertEquals(4, records.size());
        assertTrue(records.stream().anyMatch(r -> r.vpi() == 1 && r.vci() == 42 && r.sdu().length == 20));
        assertTrue(records.stream().anyMatch(r -> r.vpi() == 0 && r.vci() == 100 && r.sdu().length == 10));
        long now = System.currentTimeMillis() * 1000;
        for (Record r : records) {
            assertTrue(Math.abs(r.micros() - now) < 60_000_000L, "timestamps are wall-clock time: " + r.micros());
        }
    }

    @Test
    void aTimedCaptureWithoutTrafficEndsWithAnEmptyButValidFile() throws Exception {
        Path file = dir.resolve("empty.pcap");
        Capture capture = new Capture(3, "0.0.100", 0, 100, file, Long.MAX_VALUE, TimeUnit.MILLISECONDS.toNanos(200), 1 << 20);
        capture.start(device);
        assertTrue(capture.await(5, TimeUnit.SECONDS));
        assertTrue(capture.report().contains("time up"), capture.report());
        assertEquals(PcapFormat.FILE_HEADER_BYTES, Files.size(file));
        assertEquals(0, read(file).size());
    }

    @Test
    void pdusBeyondTheBufferAreCountedAsLostAndNeverBlockTheDriver() throws Exception {
        Path file = dir.resolve("lost.pcap");
        Capture capture = new Capture(4, "0.0.100", 0, 100, file, Long.MAX_VALUE, TimeUnit.SECONDS.toNanos(30), 100);
        capture.start(device);
        vc.send(ByteBuffer.wrap(new byte[1000]));
        capture.stop();
        assertTrue(capture.await(5, TimeUnit.SECONDS));
        assertEquals(Capture.State.STOPPED, capture.state());
        assertTrue(capture.report().contains("PDUs lost: the capture buffer was full"), capture.report());
        assertEquals(0, read(file).size());
    }

    @Test
    void stoppingDetachesTheTap() throws Exception {
        Path file = dir.resolve("stopped.pcap");
        Capture capture = new Capture(5, "0.0.100", 0, 100, file, Long.MAX_VALUE, 0, 1 << 20);
        capture.start(device);
        vc.send(ByteBuffer.wrap(new byte[10]));
        capture.stop();
        assertTrue(capture.await(5, TimeUnit.SECONDS));
        long size = Files.size(file);
        vc.send(ByteBuffer.wrap(new byte[10]));
        assertFalse(capture.running());
        assertEquals(size, Files.size(file), "nothing is written after the capture stopped");
    }

    /** Reads a pcap file of link type SUNATM, checking its header. */
    static List<Record> read(Path file) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt());
        assertEquals(2, b.getShort());
        assertEquals(4, b.getShort());
        b.getInt();
        b.getInt();
        assertEquals(PcapFormat.SNAPLEN, b.getInt());
        assertEquals(123, b.getInt(), "link type SUNATM");
        List<Record> records = new ArrayList<>();
        while (b.hasRemaining()) {
            long seconds = b.getInt() & 0xffffffffL;
            long micros = b.getInt();
            int included = b.getInt();
            assertEquals(included, b.getInt(), "whole records");
            int flags = b.get() & 0xff;
            int vpi = b.get() & 0xff;
            int vci = ((b.get() & 0xff) << 8) | (b.get() & 0xff);
            byte[] sdu = new byte[included - 4];
            b.get(sdu);
            records.add(new Record(seconds * 1_000_000 + micros, flags, vpi, vci, sdu));
        }
        return records;
    }
}

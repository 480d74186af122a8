package org.drops.atm.driver.pca200e.nic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.drops.atm.api.device.DeviceStatistics;
import org.drops.atm.api.device.ReceivedPdu;
import org.drops.atm.api.device.VirtualChannel;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.driver.pca200e.link.Link;
import org.drops.atm.driver.pca200e.link.MemoryLink;
import org.drops.atm.driver.pca200e.link.UdpLink;
import org.junit.jupiter.api.Test;

/**
 * Experiment (issue 3, "must show"): one dumb writer of 8192-byte SDUs on an OC-3 line, over the memory link
 * and over the UDP link on loopback, for {@code atm.experiment.seconds} (default 10) each. The SDU payload rate
 * measured at the receiver must be the AAL5 limit, 353207.5 cells/s / 171 cells × 8192 bytes = 135.37 Mbit/s,
 * within ±0.5 % (the target, recorded in docs/DRIVER.md from quiet runs). As a test in every build it
 * asserts ±2 %, a bound a correct line meets on a loaded 2-core machine, and prints whether the target was met.
 * Results are appended to {@code target/line-rate.txt}.
 */
class LineRateExperimentTest {

    private static final int SDU_BYTES = 8192;
    private static final double LIMIT_BITS_PER_SECOND = CellRates.aal5SduBitsPerSecond(CellRates.OC3_CELLS_PER_SECOND, SDU_BYTES);
    private static final long SECONDS = Long.getLong("atm.experiment.seconds", 10);

    @Test
    void dumbWriterGetsTheAal5LimitOverTheMemoryLink() throws Exception {
        run("memory", new MemoryLink("a", "line-rate", false, 64), new MemoryLink("b", "line-rate", false, 64));
    }

    @Test
    void dumbWriterGetsTheAal5LimitOverTheUdpLink() throws Exception {
        UdpLink[] links = UdpLinkTest.pair();
        run("udp", links[0], links[1]);
    }

    private static void run(String name, Link aLink, Link bLink) throws Exception {
        // A FIFO of 16384 cells (46 ms of line): the dumb writer may be descheduled that long on a loaded machine
        // without the line running dry. The line is what is measured here, not the writer's scheduling.
        Pca200eDevice a = new Pca200eDevice(new DeviceSettings(0, null, CellRates.OC3_CELLS_PER_SECOND, 16384, 16, 16,
                SDU_BYTES, 100_000_000L, true), aLink);
        // 256 receive buffers of 8 KiB: the measuring thread may be descheduled for 100 ms without a pool drop.
        Pca200eDevice b = new Pca200eDevice(new DeviceSettings(1, null, CellRates.OC3_CELLS_PER_SECOND, 2048, 16, 256,
                SDU_BYTES, 100_000_000L, true), bLink);
        AtomicBoolean stop = new AtomicBoolean();
        try {
            VirtualChannel tx = a.open(Pca200eDeviceTest.ubr(100));
            b.open(Pca200eDeviceTest.ubr(100));
            Thread writer = new Thread(() -> {
                ByteBuffer sdu = ByteBuffer.allocateDirect(SDU_BYTES);
                try {
                    while (!stop.get()) {
                        tx.send(sdu); // a dumb writer: as fast as the FIFO takes it
                    }
                } catch (IOException e) {
                    // the device closes at the end
                }
            }, "dumb-writer");
            writer.start();
            long first = 0;
            long last = 0;
            long pdus = 0;
            long warmupEnd = System.nanoTime() + 1_000_000_000L; // JIT and the FIFO settle first
            long end = warmupEnd + SECONDS * 1_000_000_000L;
            while (true) {
                ReceivedPdu pdu = b.receive(1_000_000_000L);
                if (pdu == null) {
                    throw new AssertionError(name + ": no PDU for a second");
                }
                long now = System.nanoTime();
                assertEquals(SDU_BYTES, pdu.length());
                pdu.release();
                if (now < warmupEnd) {
                    continue;
                }
                if (first == 0) {
                    first = now; // the measured interval starts at this arrival: count the PDUs after it
                } else {
                    pdus++;
                    last = now;
                }
                if (now >= end) {
                    break;
                }
            }
            DeviceStatistics rx = b.statistics();
            stop.set(true);
            double seconds = (last - first) / 1e9;
            double bitsPerSecond = pdus * SDU_BYTES * 8.0 / seconds;
            double ratio = bitsPerSecond / LIMIT_BITS_PER_SECOND;
            String line = String.format(Locale.ROOT,
                    (Math.abs(ratio - 1) <= 0.005 ? "[target ±0.5 %% met] " : "[target ±0.5 %% NOT met] ") + "%s link, OC-3, 8192-byte SDUs, %.1f s: %.3f Mbit/s of SDU payload = %.3f %% of the AAL5 limit %.3f Mbit/s "
                            + "(%d PDUs; receiver dropped %d cells: pool %d PDUs, HEC %d, CRC %d, length %d)",
                    name, seconds, bitsPerSecond / 1e6, ratio * 100, LIMIT_BITS_PER_SECOND / 1e6, pdus, rx.droppedCells(),
                    rx.bestEffortPoolDrops(), rx.hecDiscarded(), rx.crcErrors(), rx.lengthErrors());
            System.out.println(line);
            Path out = Path.of("target", "line-rate.txt");
            Files.createDirectories(out.getParent());
            Files.writeString(out, line + System.lineSeparator(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            assertTrue(Math.abs(ratio - 1) <= 0.02, line);
        } finally {
            stop.set(true);
            a.close("experiment over");
            b.close("experiment over");
        }
    }
}

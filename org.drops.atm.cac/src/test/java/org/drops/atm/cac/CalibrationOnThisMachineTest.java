package org.drops.atm.cac;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import org.drops.atm.api.admission.CpuModel;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.driver.pca200e.CostProbe;
import org.junit.jupiter.api.Test;

/**
 * The calibration with the driver's real probe, in this test JVM: the work and the whole data path. It must end
 * within a few seconds and give plausible costs. The bounds are generous (an order of magnitude and more around what
 * the development machine measured, docs/ADMISSION.md); the numbers go to target/calibration.txt and the test
 * output.
 */
class CalibrationOnThisMachineTest {

    @Test
    void theCalibrationRunsInWellUnderASecondAndCostsGrowWithTheSize() throws IOException {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        CpuModel model = CpuCalibration.measure(new CostProbe(), 0.8, Clock.systemUTC());
        long millis = (System.nanoTime() - start) / 1_000_000;
        long cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;

        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "calibration took %d ms (%d ms of CPU in the calibrating thread)%n%s%n",
                millis, cpuMillis, model.description()));
        for (int size : new int[] {40, 1500, 8192, 65535}) {
            report.append(String.format(Locale.ROOT, "SDU %5d bytes: transmit %9.0f ns, receive %9.0f ns%n", size,
                    model.nanosPerPdu(Direction.TRANSMIT, size), model.nanosPerPdu(Direction.RECEIVE, size)));
        }
        // what a full OC-3 line of 8192-byte SDUs costs: 353207/171 PDUs per second
        report.append(String.format(Locale.ROOT, "full OC-3 line of 8192-byte SDUs: transmit U = %.4f, receive U = %.4f%n",
                model.utilisation(Direction.TRANSMIT, 353_207.0 / 171, 8192),
                model.utilisation(Direction.RECEIVE, 353_207.0 / 171, 8192)));
        System.out.print(report);
        Path out = Path.of("target", "calibration.txt");
        Files.createDirectories(out.getParent());
        Files.writeString(out, report.toString());

        // The calibrating thread only runs the work and waits for the whole path's threads (84-450 ms of CPU seen for the
        // work alone); the wall time also counts other processes on a shared 2-core machine, so it bounds only a hang.
        assertTrue(cpuMillis < 1000, "calibration took " + cpuMillis + " ms of CPU");
        assertTrue(millis < 10_000, "calibration took " + millis + " ms");
        assertTrue(model.description().startsWith("measured with the driver's PduCostProbe on the whole data path"),
                model.description());
        for (Direction d : Direction.values()) {
            double small = model.nanosPerPdu(d, 40);
            double large = model.nanosPerPdu(d, 65535);
            // 1366 cells against one: the large PDU costs more, though the wake-ups in the fixed part dominate
            assertTrue(large > small, d + ": " + small + " ns for 40 bytes, " + large + " ns for 65535");
            // every PDU pays at least one thread wake-up and hand-off (microseconds), which the work alone did not see
            assertTrue(small > 1_000, d + ": " + small + " ns for 40 bytes");
            double perByte = d == Direction.TRANSMIT ? model.transmitNanosPerByte() : model.receiveNanosPerByte();
            double perPdu = d == Direction.TRANSMIT ? model.transmitNanosPerPdu() : model.receiveNanosPerPdu();
            assertTrue(perByte > 0.01 && perByte < 100, d + ": " + perByte + " ns/byte");
            assertTrue(perPdu >= 0 && perPdu < 1_000_000, d + ": " + perPdu + " ns/PDU");
        }
    }
}

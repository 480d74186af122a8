package org.drops.atm.experiments;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.qos.CellRates;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * Paper Table 1: throughput of 8192-byte SDUs. On an emulated OC-3 line (memory link, and UDP link on loopback)
 * the writer and the reader must each reach 99.5 % of the AAL5 limit, 135.37 Mbit/s (the paper: 130.6 TX and
 * 79.8 RX on a P90). On an unpaced memory link the stack's own capacity, copy against zero-copy transmit and
 * copy against view receive, against plain Java NIO UDP with the same 8 KiB messages measured in the same run.
 */
final class Table1Throughput implements Experiment {

    private static final int SDU = 8192;
    static final int CAPACITY_TX_SLOTS = 32;
    static final int CAPACITY_RX_SLOTS = 256;
    /** The cards' best-effort transmit FIFO for the capacity rows (default 2048 cells): a NIC ring size. */
    static final int CAPACITY_FIFO_CELLS = 8192;
    private static final double AAL5_LIMIT_BPS = CellRates.aal5SduBitsPerSecond(CellRates.OC3_CELLS_PER_SECOND, SDU);

    @Override
    public String name() {
        return "table1";
    }

    @Override
    public String title() {
        return "Table 1: throughput of 8192-byte SDUs";
    }

    private record Row(String setup, double txBps, double rxBps, long dropped) {
    }

    @Override
    public Result run(Lab lab, boolean full) throws Exception {
        long millis = full ? 10_000 : 3_000;
        Result r = new Result(name(), title());
        r.csv("setup", "tx_mbit_s", "rx_mbit_s", "rx_dropped_sdus");
        DefaultCategoryDataset data = new DefaultCategoryDataset();
        String lineQos = "cbr:pcr=" + (int) CellRates.OC3_CELLS_PER_SECOND + ",sdu=" + SDU; // the whole line
        Row memory;
        try (Lab.Pair p = lab.memoryPair("oc3")) {
            memory = measure(lab, p, lineQos, false, false, millis, "memory link, OC-3");
        }
        Row udp;
        try (Lab.Pair p = lab.udpPair("oc3", freePort(), freePort())) {
            udp = measure(lab, p, lineQos, false, false, millis, "UDP link on loopback, OC-3");
        }
        Row[] capacity = new Row[4];
        // Socket buffers for the capacity rows, as the NIO peer gets a 4 MiB SO_RCVBUF: 32 transmit slots (256 KiB)
        // and 256 receive slots (2 MiB) of 8 KiB instead of admission control's defaults for best effort, 2 and 4.
        // A writer sleeps until half its ring is free, so two slots woke it, and it preempted the worker, at every
        // SDU; each wake-up is a system call and an inter-processor interrupt on this VM.
        try (AutoCloseable buffers = lab.admissionConfiguration(
                java.util.Map.of("transmit.slots", CAPACITY_TX_SLOTS, "ubr.receive.slots", CAPACITY_RX_SLOTS),
                java.util.Map.of("transmit.slots", 2, "ubr.receive.slots", 4));
                Lab.Pair p = lab.memoryPair("unlimited", java.util.Map.of("tx.fifo.cells", CAPACITY_FIFO_CELLS))) {
            String ubr = "ubr:sdu=" + SDU;
            capacity[0] = measure(lab, p, ubr, false, false, millis, "unpaced: write + read (2 copies)");
            capacity[1] = measure(lab, p, ubr, true, false, millis, "unpaced: zero-copy + read");
            capacity[2] = measure(lab, p, ubr, false, true, millis, "unpaced: write + view receive");
            capacity[3] = measure(lab, p, ubr, true, true, millis, "unpaced: zero-copy + view (0 copies)");
        }
        lab.progress("table1: plain Java NIO UDP on loopback, 8 KiB datagrams, %d ms", millis);
        double nio = nioUdpBitsPerSecond(millis);

        r.line("%-40s %12s %12s %10s", "setup", "TX Mbit/s", "RX Mbit/s", "dropped");
        for (Row row : new Row[] {memory, udp, capacity[0], capacity[1], capacity[2], capacity[3]}) {
            r.line("%-40s %12.2f %12.2f %10d", row.setup, row.txBps / 1e6, row.rxBps / 1e6, row.dropped);
            r.csv(row.setup, row.txBps / 1e6, row.rxBps / 1e6, row.dropped);
            data.addValue(row.rxBps / 1e6, "received", row.setup);
            data.addValue(row.txBps / 1e6, "sent", row.setup);
        }
        r.line("%-40s %12s %12.2f %10s", "peer: Java NIO UDP, 8 KiB, loopback", "", nio / 1e6, "");
        r.csv("peer: Java NIO UDP loopback 8KiB", "", nio / 1e6, "");
        data.addValue(nio / 1e6, "received", "peer: NIO UDP");
        r.line("");
        r.line("AAL5 limit at OC-3: %.2f Mbit/s of SDU payload. Paper (P90, PCA-200E): TX 130.6, RX 79.8 Mbit/s.", AAL5_LIMIT_BPS / 1e6);

        for (Row row : new Row[] {memory, udp}) {
            r.check(row.setup + ": TX >= 99.5 % of the AAL5 limit", pct(row.txBps / AAL5_LIMIT_BPS), row.txBps >= 0.995 * AAL5_LIMIT_BPS);
            r.check(row.setup + ": RX >= 99.5 % of the AAL5 limit", pct(row.rxBps / AAL5_LIMIT_BPS), row.rxBps >= 0.995 * AAL5_LIMIT_BPS);
            r.bound(row.setup + ": RX >= 95 % of the AAL5 limit", pct(row.rxBps / AAL5_LIMIT_BPS), row.rxBps >= 0.95 * AAL5_LIMIT_BPS);
        }
        r.bound("unpaced capacity above the OC-3 line", String.format(java.util.Locale.ROOT, "%.2f Gbit/s",
                capacity[0].rxBps / 1e9), capacity[0].rxBps > AAL5_LIMIT_BPS);
        double best = Math.max(Math.max(capacity[0].rxBps, capacity[1].rxBps), Math.max(capacity[2].rxBps, capacity[3].rxBps));
        r.check("stack capacity (unpaced) >= 10 Gbit/s", String.format(java.util.Locale.ROOT, "%.2f Gbit/s", best / 1e9), best >= 10e9);
        r.check("stack capacity >= 1.3x NIO UDP in the same run", String.format(java.util.Locale.ROOT, "%.2fx (%.2f vs %.2f Gbit/s)",
                best / nio, best / 1e9, nio / 1e9), best >= 1.3 * nio);
        r.check("zero-copy transmit >= 1.2x copy transmit", String.format(java.util.Locale.ROOT, "%.2fx",
                capacity[1].rxBps / capacity[0].rxBps), capacity[1].rxBps >= 1.2 * capacity[0].rxBps);
        r.note("OC-3 rows: one CBR connection at the whole line rate (353207 cells/s), a dumb writer and a reader.");
        r.note("Unpaced rows: UBR on a memory link without line pacing; RX is what the reader got (drops are SDUs the "
                + "reader's ring had no room for: ATM has no end-to-end flow control). Rings of " + CAPACITY_TX_SLOTS
                + " transmit and " + CAPACITY_RX_SLOTS + " receive slots (admission control's transmit.slots, ubr.receive.slots); the NIO "
                + "peer's receive buffer is 4 MiB.");
        JFreeChart chart = ChartFactory.createBarChart(title(), "", "Mbit/s", data, PlotOrientation.HORIZONTAL, true, false, false);
        r.chart(chart);
        return r;
    }

    private static String pct(double ratio) {
        return String.format(java.util.Locale.ROOT, "%.3f %%", ratio * 100);
    }

    private static Row measure(Lab lab, Lab.Pair p, String qos, boolean zeroCopy, boolean view, long millis, String setup)
            throws Exception {
        lab.progress("table1: %s, %d ms", setup, millis);
        try (AtmSocket rx = lab.socket(qos, p.pvcB(100), false); AtmSocket tx = lab.socket(qos, p.pvcA(100), true)) {
            Traffic.Counter reader = view ? Traffic.viewReader(rx) : Traffic.copyReader(rx, SDU);
            Traffic.Counter writer = zeroCopy ? Traffic.zeroCopyWriter(tx, SDU) : Traffic.copyWriter(tx, SDU);
            reader.start();
            writer.start();
            Thread.sleep(500); // warm-up before the window
            long w0 = writer.bytes.get();
            long r0 = reader.bytes.get();
            long t0 = System.nanoTime();
            Thread.sleep(millis); // the measurement window
            double seconds = (System.nanoTime() - t0) / 1e9;
            double txBps = (writer.bytes.get() - w0) * 8 / seconds;
            double rxBps = (reader.bytes.get() - r0) * 8 / seconds;
            long dropped = rx.statistics().dropped();
            writer.interrupt();
            reader.interrupt();
            return new Row(setup, txBps, rxBps, dropped);
        }
    }

    private static int freePort() throws java.io.IOException {
        try (DatagramChannel c = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            return ((InetSocketAddress) c.getLocalAddress()).getPort();
        }
    }

    /** The peer: one sender and one receiver thread, plain NIO, 8 KiB datagrams, loopback; bits per second received. */
    static double nioUdpBitsPerSecond(long millis) throws Exception {
        try (DatagramChannel in = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
                DatagramChannel out = DatagramChannel.open()) {
            in.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 << 20);
            out.connect(in.getLocalAddress());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong received = new AtomicLong();
            Thread receiver = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(65536);
                try {
                    while (!stop.get()) {
                        b.clear();
                        in.receive(b);
                        received.addAndGet(b.position());
                    }
                } catch (java.io.IOException e) {
                    // closed at the end
                }
            }, "lab-nio-receiver");
            Thread sender = new Thread(() -> {
                ByteBuffer b = ByteBuffer.allocateDirect(SDU);
                try {
                    while (!stop.get()) {
                        b.clear();
                        out.write(b);
                    }
                } catch (java.io.IOException e) {
                    // closed at the end
                }
            }, "lab-nio-sender");
            receiver.start();
            sender.start();
            Thread.sleep(500); // warm-up
            long r0 = received.get();
            long t0 = System.nanoTime();
            Thread.sleep(millis); // the measurement window
            double bps = (received.get() - r0) * 8e9 / (System.nanoTime() - t0);
            stop.set(true);
            out.close();
            in.close();
            sender.join(2000);
            receiver.join(2000);
            return bps;
        }
    }
}

package org.drops.atm.linuxbridge.srt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.drops.atm.api.InetFamily;
import org.drops.atm.api.InetOption;
import org.drops.atm.api.InetType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SO_MAX_PACING_RATE set through the SRT server is enforced by the kernel, not only stored: a TCP stream over
 * loopback with a cap takes as long as the cap says (TCP's internal pacing, which the option switches on), one
 * without the cap does not. (UDP is paced only by the fq qdisc, which this machine's kernel does not have; for
 * UDP the tests show the value the kernel holds, read back with getsockopt.)
 */
class PacingTest {

    static final int STREAM_BYTES = 2_400_000;
    static final long RATE_BYTES_PER_SECOND = 4_000_000;

    private final NativeSockets srt = new NativeSockets();

    @AfterEach
    void closeEverything() {
        srt.closeAll();
    }

    @Test
    void aPacedTcpStreamTakesAsLongAsItsRateSaysAndAnUnpacedOneDoesNot() throws Exception {
        double unpaced = streamSeconds(false);
        double paced = streamSeconds(true);
        double expected = STREAM_BYTES / (double) RATE_BYTES_PER_SECOND;
        System.out.printf(Locale.ROOT, "%d bytes over loopback TCP: unpaced %.4f s, paced at %d B/s %.4f s (the rate needs %.3f s)%n",
                STREAM_BYTES, unpaced, RATE_BYTES_PER_SECOND, paced, expected);
        // the first burst (loopback's 64 KiB segments, two per paced packet) leaves at once: the span falls a little short
        assertTrue(paced > 0.7 * expected, "paced stream took " + paced + " s, the rate needs " + expected + " s");
        assertTrue(paced < 2.0 * expected, "paced stream took " + paced + " s, the rate needs " + expected + " s");
        assertTrue(unpaced < 0.2 * expected, "unpaced stream took " + unpaced + " s");
    }

    /** Seconds from connect to the receiver's end of stream. */
    private double streamSeconds(boolean paced) throws Exception {
        int listener = srt.socket(InetFamily.INET, InetType.STREAM);
        srt.bind(listener, new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        srt.listen(listener, 1);
        InetSocketAddress where = srt.localAddress(listener);
        CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
            try {
                int fd = srt.accept(listener).fd();
                ByteBuffer in = ByteBuffer.allocateDirect(1 << 16);
                long total = 0;
                for (int n; (n = srt.receive(fd, in.clear())) > 0; ) {
                    total += n;
                }
                srt.close(fd);
                return total;
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        int sender = srt.socket(InetFamily.INET, InetType.STREAM);
        if (paced) {
            srt.setOption(sender, InetOption.SO_MAX_PACING_RATE, RATE_BYTES_PER_SECOND);
            assertEquals(RATE_BYTES_PER_SECOND, srt.getOption(sender, InetOption.SO_MAX_PACING_RATE));
        }
        long start = System.nanoTime();
        srt.connect(sender, where);
        ByteBuffer out = ByteBuffer.allocateDirect(STREAM_BYTES);
        while (out.hasRemaining()) {
            srt.send(sender, out, null);
        }
        srt.close(sender);
        try {
            assertEquals(STREAM_BYTES, received.get(10, TimeUnit.SECONDS));
        } finally {
            srt.close(listener);
        }
        return (System.nanoTime() - start) / 1e9;
    }
}

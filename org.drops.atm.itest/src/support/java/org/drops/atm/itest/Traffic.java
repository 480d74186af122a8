package org.drops.atm.itest;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.drops.atm.api.AtmSocket;

/** A dumb writer and a counting reader on sockets, as the paper's measurements used them. */
public final class Traffic {

    private Traffic() {
    }

    /** Writes SDUs of {@code sduBytes} as fast as the socket takes them until the socket closes. */
    public static final class Writer extends Thread {
        public final AtomicLong sdus = new AtomicLong();
        private final AtmSocket socket;
        private final int sduBytes;
        public volatile Throwable ended;

        public Writer(AtmSocket socket, int sduBytes, String name) {
            super(name);
            this.socket = socket;
            this.sduBytes = sduBytes;
            setDaemon(true);
        }

        @Override
        public void run() {
            ByteBuffer sdu = ByteBuffer.allocateDirect(sduBytes);
            try {
                while (!isInterrupted()) {
                    sdu.clear();
                    socket.write(sdu);
                    sdus.incrementAndGet();
                }
            } catch (Throwable t) {
                ended = t;
            }
        }
    }

    /** Reads SDUs until the socket closes, keeping the byte count and the arrival time of every byte sum. */
    public static final class Reader extends Thread {
        public final AtomicLong sdus = new AtomicLong();
        public final AtomicLong bytes = new AtomicLong();
        private final AtmSocket socket;
        private final int maxSduBytes;
        public volatile Throwable ended;

        public Reader(AtmSocket socket, int maxSduBytes, String name) {
            super(name);
            this.socket = socket;
            this.maxSduBytes = maxSduBytes;
            setDaemon(true);
        }

        @Override
        public void run() {
            ByteBuffer in = ByteBuffer.allocateDirect(maxSduBytes);
            try {
                while (!isInterrupted()) {
                    in.clear();
                    int n = socket.read(in);
                    bytes.addAndGet(n);
                    sdus.incrementAndGet();
                }
            } catch (Throwable t) {
                ended = t;
            }
        }

        /** Bytes per second received over the next {@code millis}, measured from samples of the byte counter. */
        public double bytesPerSecondOver(long millis) throws InterruptedException {
            long b0 = bytes.get();
            long t0 = System.nanoTime();
            Thread.sleep(millis); // the measurement window of the test, not a stand-in for a mechanism
            long b1 = bytes.get();
            long t1 = System.nanoTime();
            return (b1 - b0) * 1e9 / (t1 - t0);
        }
    }
}

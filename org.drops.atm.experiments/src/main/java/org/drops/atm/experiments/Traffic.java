package org.drops.atm.experiments;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicLong;
import org.drops.atm.api.AtmSocket;
import org.drops.atm.api.RxView;
import org.drops.atm.api.TxSlot;

/** The paper's "dumb" applications: tight loops through the socket service, counting what they move. */
final class Traffic {

    private Traffic() {
    }

    /** A thread that counts SDUs and bytes; runs until interrupted or its socket closes. */
    abstract static class Counter extends Thread {
        final AtomicLong sdus = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        volatile Throwable ended;
        /** Run first thing in the thread (for example to ask for a scheduling policy), or null. */
        volatile Runnable atStart;

        Counter(String name) {
            super(name);
            setDaemon(true);
        }

        abstract void step() throws Exception;

        @Override
        public final void run() {
            try {
                Runnable first = atStart;
                if (first != null) {
                    first.run();
                }
                while (!isInterrupted()) {
                    step();
                }
            } catch (Throwable t) {
                ended = t;
            }
        }

        /** Bytes per second over the next {@code millis}, from two samples of the byte counter. */
        double bytesPerSecondOver(long millis) throws InterruptedException {
            long b0 = bytes.get();
            long t0 = System.nanoTime();
            Thread.sleep(millis); // the measurement window
            return (bytes.get() - b0) * 1e9 / (System.nanoTime() - t0);
        }
    }

    /** write(): one copy into the ring. */
    static Counter copyWriter(AtmSocket socket, int sduBytes) {
        ByteBuffer sdu = ByteBuffer.allocateDirect(sduBytes);
        return new Counter("lab-copy-writer") {
            @Override
            void step() throws Exception {
                sdu.clear();
                socket.write(sdu);
                sdus.incrementAndGet();
                bytes.addAndGet(sduBytes);
            }
        };
    }

    /** claim/commit: the application fills the ring slot itself (zero copy). */
    static Counter zeroCopyWriter(AtmSocket socket, int sduBytes) {
        return new Counter("lab-zero-copy-writer") {
            @Override
            void step() throws Exception {
                TxSlot slot = socket.claim();
                slot.buffer().put(0, (byte) 1); // the application "fills" it in place
                slot.commit(sduBytes);
                sdus.incrementAndGet();
                bytes.addAndGet(sduBytes);
            }
        };
    }

    /** read(): one more copy out of the ring. */
    static Counter copyReader(AtmSocket socket, int maxSduBytes) {
        ByteBuffer in = ByteBuffer.allocateDirect(maxSduBytes);
        return new Counter("lab-copy-reader") {
            @Override
            void step() throws Exception {
                in.clear();
                bytes.addAndGet(socket.read(in));
                sdus.incrementAndGet();
            }
        };
    }

    /** receive(): the ring slot itself, released at once. */
    static Counter viewReader(AtmSocket socket) {
        return new Counter("lab-view-reader") {
            @Override
            void step() throws Exception {
                try (RxView v = socket.receive()) {
                    bytes.addAndGet(v.length());
                }
                sdus.incrementAndGet();
            }
        };
    }
}

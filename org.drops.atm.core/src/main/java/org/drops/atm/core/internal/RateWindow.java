package org.drops.atm.core.internal;

/**
 * The SDU payload rate over roughly the last second, for statistics: two samples of a byte counter. Updated by
 * whoever asks for the rate (the shell, a test), never on the data path.
 */
final class RateWindow {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    private long previousNanos;
    private long previousBytes;
    private long sampleNanos;
    private long sampleBytes;
    private double bitsPerSecond;

    RateWindow(long startNanos) {
        previousNanos = sampleNanos = startNanos;
    }

    synchronized double bitsPerSecond(long nowNanos, long bytes) {
        if (nowNanos - sampleNanos >= WINDOW_NANOS) {
            previousNanos = sampleNanos;
            previousBytes = sampleBytes;
            sampleNanos = nowNanos;
            sampleBytes = bytes;
        }
        long span = nowNanos - previousNanos;
        if (span > 0) {
            bitsPerSecond = (bytes - previousBytes) * 8e9 / span;
        }
        return bitsPerSecond;
    }
}

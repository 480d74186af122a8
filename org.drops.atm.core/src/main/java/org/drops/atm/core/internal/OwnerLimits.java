package org.drops.atm.core.internal;

/**
 * What one owner (a bundle using the socket service) may hold at once, so that a greedy or leaking bundle is
 * refused with a clear message instead of exhausting the platform's threads and ring memory. Unlike the rest of
 * {@link CoreSettings}, these apply at once when the configuration changes ({@link Server#setOwnerLimits}):
 * connections already open stay open, the limits bind the next open.
 *
 * @param maxConnections  connections (each direction of a PVC counts once) one owner may hold open
 *                        ({@code max.connections.per.owner})
 * @param maxBufferBytes  ring bytes (slots × slot size, as reserved for each connection) one owner may hold
 *                        ({@code max.buffer.bytes.per.owner})
 */
public record OwnerLimits(int maxConnections, long maxBufferBytes) {

    /** Default of {@code max.buffer.bytes.per.owner}: 16 MiB (see docs/CORE.md). */
    public static final long DEFAULT_MAX_BUFFER_BYTES = 16L << 20;

    public OwnerLimits {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("max.connections.per.owner must be at least 1, not " + maxConnections);
        }
        if (maxBufferBytes < 1) {
            throw new IllegalArgumentException("max.buffer.bytes.per.owner must be at least 1, not " + maxBufferBytes);
        }
    }
}

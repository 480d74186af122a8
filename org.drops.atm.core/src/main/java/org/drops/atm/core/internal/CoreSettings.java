package org.drops.atm.core.internal;

/**
 * The server's settings.
 *
 * @param workerPriority          SCHED_FIFO priority asked for workers of guaranteed connections
 * @param interruptPriority       SCHED_FIFO priority asked for pseudo-interrupt threads
 * @param defaultTxSlots          transmit ring slots when admission control gives no reservation
 * @param defaultRxSlots          receive ring slots when admission control gives no reservation
 * @param maxConnectionsPerOwner  connections one owner (bundle) may hold open
 * @param receivePolicing         police received PDUs (drop and count non-conforming ones)
 * @param receiveCdvAllowanceMicros delay variation the path adds between the sender's policing and ours: receive
 *                                meters tolerate the contract's max_cdv plus this, so conforming traffic that the
 *                                link and the stacks jittered is not dropped (I.371: CDVT at a later point grows)
 */
public record CoreSettings(int workerPriority, int interruptPriority, int defaultTxSlots, int defaultRxSlots,
        int maxConnectionsPerOwner, boolean receivePolicing, int receiveCdvAllowanceMicros) {

    public CoreSettings {
        if (workerPriority < 1 || workerPriority > 99 || interruptPriority < 1 || interruptPriority > 99) {
            throw new IllegalArgumentException("worker.priority and interrupt.priority must be 1..99");
        }
        if (defaultTxSlots < 1 || defaultRxSlots < 1) {
            throw new IllegalArgumentException("default ring slots must be at least 1");
        }
        if (receiveCdvAllowanceMicros < 0) {
            throw new IllegalArgumentException("receive.cdv.allowance.us must not be negative");
        }
        if (maxConnectionsPerOwner < 1) {
            throw new IllegalArgumentException("max.connections.per.owner must be at least 1");
        }
    }

    public static CoreSettings defaults() {
        return new CoreSettings(10, 11, 4, 64, 256, true, 10_000);
    }
}

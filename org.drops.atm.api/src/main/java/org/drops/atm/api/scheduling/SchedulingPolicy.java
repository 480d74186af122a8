package org.drops.atm.api.scheduling;

/** Linux scheduling policies ({@code SCHED_*} in {@code <sched.h>}), with their numbers. */
public enum SchedulingPolicy {
    /** Time sharing ({@code SCHED_OTHER}); priority 0, niceness applies. */
    OTHER(0),
    /** Real-time first-in first-out ({@code SCHED_FIFO}), priorities 1–99. */
    FIFO(1),
    /** Real-time round robin ({@code SCHED_RR}), priorities 1–99. */
    RR(2),
    /** Batch ({@code SCHED_BATCH}). */
    BATCH(3),
    /** Idle ({@code SCHED_IDLE}). */
    IDLE(5);

    private final int linuxCode;

    SchedulingPolicy(int linuxCode) {
        this.linuxCode = linuxCode;
    }

    /** The {@code SCHED_*} value. */
    public int linuxCode() {
        return linuxCode;
    }

    /** True for FIFO and RR. */
    public boolean isRealTime() {
        return this == FIFO || this == RR;
    }

    /**
     * The policy with the given {@code SCHED_*} value ({@code SCHED_RESET_ON_FORK}, 0x40000000, is ignored).
     *
     * @throws IllegalArgumentException naming the value if no policy has it
     */
    public static SchedulingPolicy fromLinuxCode(int code) {
        int plain = code & ~0x40000000;
        for (SchedulingPolicy p : values()) {
            if (p.linuxCode == plain) {
                return p;
            }
        }
        throw new IllegalArgumentException("policy: no scheduling policy has code " + code);
    }
}

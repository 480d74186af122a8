package org.drops.atm.api.scheduling;

/**
 * What the kernel really granted a thread, read back after the request ({@code sched_getscheduler},
 * {@code sched_getparam}, {@code getpriority}), not what was asked for.
 *
 * @param policy      the policy in force
 * @param priority    the static priority in force
 * @param nice        the nice value in force
 * @param linuxTid    the kernel thread id, or -1 if unknown
 * @param asRequested true if the policy and priority are the ones requested
 * @param detail      why not, or how it was applied (for example {@code sched_setscheduler: EPERM})
 */
public record GrantedPriority(SchedulingPolicy policy, int priority, int nice, long linuxTid, boolean asRequested,
        String detail) {

    public GrantedPriority {
        if (policy == null) {
            throw new IllegalArgumentException("policy: required");
        }
        detail = detail == null ? "" : detail;
    }

    /** A thread left at the JVM's default time-sharing priority, with the reason. */
    public static GrantedPriority unchanged(String reason) {
        return new GrantedPriority(SchedulingPolicy.OTHER, 0, 0, -1, false, reason);
    }

    /** {@code FIFO 10}, {@code OTHER nice 0}, with the detail if it was not as requested. */
    @Override
    public String toString() {
        String s = policy.isRealTime() ? policy + " " + priority : policy + " nice " + nice;
        return asRequested || detail.isEmpty() ? s : s + " (" + detail + ")";
    }
}

package org.drops.atm.api.scheduling;

/**
 * What a thread asks for: a real-time policy with a priority (1–99), or time sharing with a nice value
 * (−20–19).
 *
 * @param policy   the policy
 * @param priority the static priority: 1–99 for FIFO and RR, 0 otherwise
 * @param nice     the nice value for OTHER and BATCH, 0 for the real-time policies
 */
public record SchedulingRequest(SchedulingPolicy policy, int priority, int nice) {

    public SchedulingRequest {
        if (policy == null) {
            throw new IllegalArgumentException("policy: required");
        }
        if (policy.isRealTime()) {
            if (priority < 1 || priority > 99) {
                throw new IllegalArgumentException("priority: " + policy + " needs a priority of 1..99, not " + priority);
            }
            if (nice != 0) {
                throw new IllegalArgumentException("nice: does not apply to " + policy + "; give 0");
            }
        } else {
            if (priority != 0) {
                throw new IllegalArgumentException("priority: " + policy + " has static priority 0, not " + priority);
            }
            if (nice < -20 || nice > 19) {
                throw new IllegalArgumentException("nice: must be -20..19, not " + nice);
            }
        }
    }

    /** {@code SCHED_FIFO} at the given priority. */
    public static SchedulingRequest fifo(int priority) {
        return new SchedulingRequest(SchedulingPolicy.FIFO, priority, 0);
    }

    /** Time sharing at the given nice value. */
    public static SchedulingRequest timeSharing(int nice) {
        return new SchedulingRequest(SchedulingPolicy.OTHER, 0, nice);
    }
}

package org.drops.atm.linuxbridge.scheduling;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.drops.atm.api.scheduling.GrantedPriority;
import org.drops.atm.api.scheduling.RealTimeScheduler;
import org.drops.atm.api.scheduling.SchedulingPolicy;
import org.drops.atm.api.scheduling.SchedulingRequest;
import org.drops.atm.linuxbridge.libc.Errno;
import org.drops.atm.linuxbridge.libc.LibC;

/**
 * Scheduling of the calling thread on the host kernel (paper §2.1: worker threads of guaranteed connections run
 * at real-time priority). Linux schedules each Java thread as a task of its own, named by {@code gettid}; the
 * policy goes in with {@code sched_setscheduler(tid, …)}, the nice value with {@code setpriority(PRIO_PROCESS,
 * tid, …)}, which on Linux act on that one thread. What is reported is read back from the kernel afterwards
 * ({@code sched_getscheduler}, {@code sched_getparam}, {@code getpriority}), never the request echoed.
 *
 * <p>Every policy is set with {@code SCHED_RESET_ON_FORK}: a thread that a real-time thread happens to start (a
 * lazily created pool or library thread, say) begins at SCHED_OTHER, nice 0, instead of inheriting the real-time
 * priority, as it otherwise would through {@code pthread_create}.
 *
 * <p>A refusal (no CAP_SYS_NICE and an RLIMIT_RTPRIO too low, say) is logged once, at WARNING, with what to
 * change; every refusal is reported in the returned {@link GrantedPriority}, and the thread keeps what it had.
 */
public final class LinuxScheduler implements RealTimeScheduler {

    private static final Logger LOG = Logger.getLogger(LinuxScheduler.class.getName());
    /** {@code SCHED_RESET_ON_FORK}, or-ed into the policy. */
    static final int SCHED_RESET_ON_FORK = 0x40000000;

    /**
     * Binds the C library now, so that JNA's one-time set-up (including its "JNA Cleaner" thread, which lives as
     * long as the library binding) happens when the bundle starts, in a thread of normal priority, and not in
     * the first real-time thread that asks for a priority.
     */
    public LinuxScheduler() {
        LibC.gettid();
    }

    // Once per scheduler instance, so every platform start says it again.
    private final AtomicBoolean refusalLogged = new AtomicBoolean();

    @Override
    public GrantedPriority applyToCurrentThread(SchedulingRequest request) {
        if (request == null) {
            throw new IllegalArgumentException("request: required");
        }
        int tid = LibC.gettid();
        String refusal = null;
        int[] parameter = {request.policy().isRealTime() ? request.priority() : 0};
        if (LibC.sched_setscheduler(tid, request.policy().linuxCode() | SCHED_RESET_ON_FORK, parameter) != 0) {
            refusal = failure("sched_setscheduler(" + request.policy() + ")", LibC.errno());
        }
        if (refusal == null && !request.policy().isRealTime() && request.policy() != SchedulingPolicy.IDLE) {
            if (LibC.setpriority(LibC.PRIO_PROCESS, tid, request.nice()) != 0) {
                refusal = failure("setpriority(nice " + request.nice() + ")", LibC.errno());
            }
        }
        GrantedPriority granted = readBack(tid, request, refusal);
        if (!granted.asRequested() && refusalLogged.compareAndSet(false, true)) {
            LOG.warning("the kernel refused " + describe(request) + " for thread \"" + Thread.currentThread().getName()
                    + "\" (tid " + tid + "): " + granted.detail() + ". Threads that ask for it keep running at "
                    + granted.policy() + " " + (granted.policy().isRealTime() ? granted.priority() : "nice " + granted.nice())
                    + "; guarantees may then fail under load. Run the platform as root, or give java "
                    + "CAP_SYS_NICE (setcap cap_sys_nice+ep) or an RLIMIT_RTPRIO of at least " + request.priority()
                    + " (ulimit -r). Said once; each connection's statistics show the priority its worker really has.");
        }
        return granted;
    }

    @Override
    public GrantedPriority currentThreadPriority() {
        int tid = LibC.gettid();
        return readBack(tid, null, null);
    }

    /** What the kernel holds for the thread now, compared with the request (null: only report). */
    private static GrantedPriority readBack(int tid, SchedulingRequest request, String refusal) {
        int code = LibC.sched_getscheduler(tid);
        if (code < 0) {
            return new GrantedPriority(SchedulingPolicy.OTHER, 0, 0, tid, false,
                    failure("sched_getscheduler", LibC.errno()));
        }
        SchedulingPolicy policy = SchedulingPolicy.fromLinuxCode(code);
        int[] parameter = new int[1];
        if (LibC.sched_getparam(tid, parameter) != 0) {
            return new GrantedPriority(policy, 0, 0, tid, false, failure("sched_getparam", LibC.errno()));
        }
        int priority = parameter[0];
        long raw = LibC.syscall(LibC.SYS_GETPRIORITY, LibC.PRIO_PROCESS, tid);
        if (raw < 0) {
            return new GrantedPriority(policy, priority, 0, tid, false, failure("getpriority", LibC.errno()));
        }
        int nice = 20 - (int) raw; // the raw system call returns 20 - nice (1..40)
        if (request == null) {
            return new GrantedPriority(policy, priority, nice, tid, true, "");
        }
        boolean asRequested = policy == request.policy() && priority == request.priority()
                && (policy.isRealTime() || policy == SchedulingPolicy.IDLE || nice == request.nice());
        String detail = refusal != null ? refusal
                : asRequested ? "" : "the kernel holds " + policy + " " + priority + " nice " + nice + " after the call";
        return new GrantedPriority(policy, priority, nice, tid, asRequested && refusal == null, detail);
    }

    private static String failure(String call, int errno) {
        String description = Errno.description(errno);
        return call + ": " + Errno.name(errno) + " (" + errno + ")" + (description == null ? "" : " " + description);
    }

    private static String describe(SchedulingRequest r) {
        return r.policy().isRealTime() ? "SCHED_" + r.policy() + " priority " + r.priority()
                : "SCHED_" + r.policy() + " nice " + r.nice();
    }
}

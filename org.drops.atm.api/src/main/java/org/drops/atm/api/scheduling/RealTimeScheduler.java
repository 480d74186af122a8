package org.drops.atm.api.scheduling;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Gives the calling thread a scheduling policy (paper §2.1). Provided by the Linux bridge as an OSGi
 * service; the core uses it for the worker threads of guaranteed connections and for its pseudo-interrupt
 * threads.
 *
 * <p>Threading: both methods act on the <em>calling</em> thread (Linux schedules kernel threads, and
 * {@code gettid} names only the caller), so a thread calls them for itself, typically first thing in its
 * run method. They may be called from any number of threads at once. They do not block beyond the system
 * calls they make.
 */
@ProviderType
public interface RealTimeScheduler {

    /**
     * Applies the request to the calling thread and reads back what the kernel granted. A refusal (no
     * privilege, no real-time budget) is not an exception: the result says what is in force and why; the
     * provider logs the first refusal once.
     *
     * <p>Threading: acts on the calling thread; any number of threads concurrently. Blocking: the system calls only.
     */
    GrantedPriority applyToCurrentThread(SchedulingRequest request);

    /** What is in force for the calling thread now. Threading: the calling thread. Blocking: the system calls only. */
    GrantedPriority currentThreadPriority();
}

package org.drops.atm.linuxbridge.scheduling;

import org.drops.atm.api.scheduling.GrantedPriority;
import org.drops.atm.api.scheduling.RealTimeScheduler;
import org.drops.atm.api.scheduling.SchedulingRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The {@link RealTimeScheduler} service: the core binds it and asks it for SCHED_FIFO for the worker threads
 * of guaranteed connections and for its pseudo-interrupt threads.
 */
@Component(service = RealTimeScheduler.class, immediate = true)
public final class RealTimeSchedulerComponent implements RealTimeScheduler {

    private LinuxScheduler scheduler;

    @Activate
    void activate() {
        scheduler = new LinuxScheduler();
    }

    @Override
    public GrantedPriority applyToCurrentThread(SchedulingRequest request) {
        return scheduler.applyToCurrentThread(request);
    }

    @Override
    public GrantedPriority currentThreadPriority() {
        return scheduler.currentThreadPriority();
    }
}

/**
 * SPI: real-time scheduling of a thread (paper §2.1: worker threads of guaranteed connections run at
 * real-time priority). The Linux bridge provides {@link RealTimeScheduler} through JNA
 * ({@code sched_setscheduler}, {@code setpriority}); the core asks it for its worker and pseudo-interrupt
 * threads. Without a provider, or when the kernel refuses, threads run at normal priority and
 * {@link GrantedPriority} says so: statistics always report what the kernel really granted.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.drops.atm.api.scheduling;

package org.drops.atm.core;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The protocol server's configuration (PID {@code org.drops.atm.core}). */
@ObjectClassDefinition(name = "DROPS ATM protocol server",
        description = "Threads, rings, policing and limits of the protocol server.")
public @interface CoreConfiguration {

    @AttributeDefinition(name = "Policing policy", description = "Name (atm.policy.name) of the policing policy "
            + "to use; empty for the highest-ranked policy service. Running connections move to a new choice at "
            + "their next interval boundary.")
    String policy_name() default "";

    @AttributeDefinition(name = "Worker priority", description = "SCHED_FIFO priority (1..99) asked for the worker "
            + "threads of guaranteed connections, when a real-time scheduling service is present.")
    int worker_priority() default 10;

    @AttributeDefinition(name = "Pseudo-interrupt priority", description = "SCHED_FIFO priority (1..99) asked for "
            + "the pseudo-interrupt threads.")
    int interrupt_priority() default 11;

    @AttributeDefinition(name = "Default transmit slots", description = "Transmit ring slots when admission control "
            + "gives no reservation (best effort without admission control).")
    int default_tx_slots() default 4;

    @AttributeDefinition(name = "Default receive slots", description = "Receive ring slots when admission control "
            + "gives no reservation.")
    int default_rx_slots() default 64;

    @AttributeDefinition(name = "Connections per owner", description = "Connections one bundle may hold open "
            + "(each direction of a PVC counts once). Further opens are refused naming this key. Applies at once "
            + "when changed; connections already open stay open.")
    int max_connections_per_owner() default 256;

    @AttributeDefinition(name = "Ring bytes per owner", description = "Ring memory one bundle may hold over all its "
            + "connections: slots x slot size (the contract's max SDU) as reserved for each. Further opens are refused "
            + "naming this key. Default 16 MiB: four default-sized UBR receive rings without admission control; with "
            + "admission control its host-wide buffer.budget.bytes also binds (set this below it to keep one bundle "
            + "from taking the whole budget). Applies at once when changed.")
    long max_buffer_bytes_per_owner() default 16L << 20;

    @AttributeDefinition(name = "Receive policing", description = "Police received PDUs: non-conforming ones are "
            + "dropped and counted. Changes running connections.")
    boolean receive_policing() default true;

    @AttributeDefinition(name = "Transmit policing", description = "Run usage parameter control on transmitted "
            + "PDUs and suspend workers above their contract. Off only to measure the cost of policing (issue 9, "
            + "experiment 6): a writer is then limited by the line alone. Changes running connections.")
    boolean transmit_policing() default true;

    @AttributeDefinition(name = "Real-time priority", description = "Ask the real-time scheduling service for "
            + "SCHED_FIFO (worker.priority) for workers of guaranteed connections; off, they run time-sharing "
            + "(issue 9, experiment 4 compares the two). Changes running workers.")
    boolean realtime_priority() default true;

    @AttributeDefinition(name = "Receive CDV allowance (us)", description = "Delay variation the path may add between "
            + "the sender's policing and the receiver's: receive meters tolerate the contract's max_cdv plus this.")
    int receive_cdv_allowance_us() default 10_000;
}

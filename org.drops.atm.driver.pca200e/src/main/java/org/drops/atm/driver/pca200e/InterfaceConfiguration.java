package org.drops.atm.driver.pca200e;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/** One emulated PCA-200E interface: a factory configuration, one per interface. */
@ObjectClassDefinition(
        name = "DROPS ATM PCA-200E interface",
        description = "An emulated FORE PCA-200E ATM interface and the link it is attached to.")
public @interface InterfaceConfiguration {

    /** Default interface number. */
    int DEFAULT_ITF = 0;

    @AttributeDefinition(name = "Interface number", description = "The itf of PVC addresses itf.vpi.vci (0..32767).")
    int atm_itf() default DEFAULT_ITF;

    @AttributeDefinition(name = "Name", description = "Display name; empty for pca200e<itf>.")
    String name() default "";

    @AttributeDefinition(name = "Link", description = "memory: joined to another interface of this JVM by a named wire "
            + "(or looped back); udp: cells in UDP datagrams to a peer platform.",
            options = {@Option(label = "memory", value = "memory"), @Option(label = "udp", value = "udp")})
    String link() default "memory";

    @AttributeDefinition(name = "Memory wire", description = "Interfaces with the same wire name are joined back to back (at most two).")
    String memory_wire() default "wire0";

    @AttributeDefinition(name = "Memory loopback", description = "Receive this interface's own cells instead of joining a wire.")
    boolean memory_loopback() default false;

    @AttributeDefinition(name = "UDP local address", description = "host:port this interface receives on (bind only loopback or a configured address).")
    String udp_local() default "127.0.0.1:2812";

    @AttributeDefinition(name = "UDP peer address", description = "host:port of the peer interface; datagrams from anywhere else are counted and dropped.")
    String udp_peer() default "127.0.0.1:2813";

    @AttributeDefinition(name = "Cells per datagram", description = "Upper bound of cells batched into one UDP datagram (1..1235 sequenced, 1..1236 unsequenced).")
    int udp_cells_per_datagram() default 171;

    @AttributeDefinition(name = "Sequenced datagrams", description = "Number the UDP datagrams sent (an 8-byte header), "
            + "so that the peer drops the ones the network delivers late or twice: cells are never reordered or duplicated.")
    boolean udp_sequenced() default true;

    @AttributeDefinition(name = "Reorder hold (ms)", description = "How long a sequenced datagram that arrived behind "
            + "a gap waits for the missing ones before the gap is given up (0: late datagrams are dropped at once). "
            + "Adds at most this much delay, and only behind a gap.")
    long udp_reorder_hold_ms() default 5;

    @AttributeDefinition(name = "Line rate", description = "oc3 (353207.5 cells/s, 149.76 Mbit/s of cells), oc12, "
            + "unlimited, or a number of cells per second.")
    String line_rate() default "oc3";

    @AttributeDefinition(name = "Transmit FIFO cells", description = "Depth of the best-effort transmit FIFO; a full FIFO blocks its sender.")
    int tx_fifo_cells() default 2048;

    @AttributeDefinition(name = "Guaranteed transmit FIFO cells", description = "Depth of the guaranteed transmit FIFO, "
            + "which the line serves first. Deep enough for the interval bursts of all guaranteed connections at once "
            + "(16384 cells: 46 ms of OC-3, 868 KiB), so that no worker waits for room and loses interval credit.")
    int tx_fifo_guaranteed_cells() default 16384;

    @AttributeDefinition(name = "Guaranteed pool buffers", description = "Receive buffers for guaranteed (CBR, VBR) VCs.")
    int pool_guaranteed_buffers() default 64;

    @AttributeDefinition(name = "Best-effort pool buffers", description = "Receive buffers for best-effort (UBR) VCs; discarded early when empty.")
    int pool_best_effort_buffers() default 64;

    @AttributeDefinition(name = "Largest SDU", description = "Receive buffers hold an AAL5 PDU of this SDU size (1..65535 bytes).")
    int max_sdu() default 65535;

    @AttributeDefinition(name = "Reassembly timeout (ms)", description = "A partial PDU older than this is dropped and counted.")
    long reassembly_timeout_ms() default 100;

    @AttributeDefinition(name = "CBR rate control", description = "Pace CBR VCs at their peak cell rate in the card, as the PCA-200E's rate field did.")
    boolean cbr_rate_control() default true;

    @AttributeDefinition(name = "Transmit shaping share of CDV", description = "Share (0, 1] of a VC's delay-variation "
            + "tolerance (max_cdv) the card's per-VC rate control lets a sender run ahead of its peak rate. The rest is "
            + "left for the variation the transmit FIFO and the link add, so that arrivals stay within max_cdv at the "
            + "receiver (its policing and its ring of ceil(max_cdv/T)+1 SDUs). Default 0.5.")
    double tx_shaping_cdv_fraction() default 0.5;
}

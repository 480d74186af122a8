package org.drops.atm.linuxbridge.tun;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** One TUN interface carrying IP over ATM: a factory configuration per interface. */
@ObjectClassDefinition(
        name = "DROPS ATM IP over ATM interface",
        description = "A Linux TUN interface whose IP packets travel as AAL5 SDUs on a PVC, with RFC 2684 LLC/SNAP "
                + "routed encapsulation.")
public @interface TunConfiguration {

    /** Default interface name. */
    String DEFAULT_NAME = "atm0";
    /** Default PVC. */
    String DEFAULT_PVC = "0.0.100";
    /** Default contract: best effort. */
    String DEFAULT_QOS = "ubr";
    /** RFC 1626 / RFC 2225: the default IP MTU over AAL5. */
    int DEFAULT_MTU_BYTES = 9180;

    @AttributeDefinition(name = "Interface name", description = "Name of the Linux interface (1-15 characters, no "
            + "'/', ':' or white space).")
    String name() default DEFAULT_NAME;

    @AttributeDefinition(name = "Addresses", required = false, description = "Addresses with prefix length assigned "
            + "to the interface, IPv4 or IPv6, e.g. 10.99.0.1/24, fd00:99::1/64; several separated by commas. "
            + "Empty: none (assign them yourself).")
    String[] address() default {};

    @AttributeDefinition(name = "PVC", description = "The PVC itf.vpi.vci carrying the packets: the interface "
            + "transmits and receives on it.")
    String pvc() default DEFAULT_PVC;

    @AttributeDefinition(name = "QoS", description = "The PVC's contract in text2qos syntax: ubr, or a CBR contract "
            + "such as cbr:pcr=100000 (needs admission control). Without sdu= the largest SDU is MTU + 8.")
    String qos() default DEFAULT_QOS;

    @AttributeDefinition(name = "MTU (bytes)", description = "IP MTU of the interface (68-65527); RFC 2225's 9180 by "
            + "default. Both ends of the PVC must agree.")
    int mtu() default DEFAULT_MTU_BYTES;

    @AttributeDefinition(name = "Network namespace", required = false, description = "Name of a network namespace "
            + "(ip netns) to move the interface into before it is configured; empty: the platform's own.")
    String netns() default "";

    @AttributeDefinition(name = "ip command", description = "The iproute2 ip program used to configure the "
            + "interface.")
    String ip_command() default "ip";
}

package org.drops.atm.linuxbridge;

/**
 * Counters of one IP-over-ATM interface since it was created. Every packet read from the TUN device is either
 * sent (an SDU committed to the PVC) or dropped under exactly one reason, and so is every SDU received on the
 * PVC; the kernel keeps its own counters (for example packets it drops while the interface has no carrier).
 *
 * @param txPackets             IP packets read from the TUN and committed to the PVC as SDUs
 * @param txBytes               IP bytes of those (the LLC/SNAP headers not counted)
 * @param txDroppedNotWholeIp   packets read from the TUN that were not a whole IPv4 or IPv6 packet (a version
 *                              other than 4 or 6, or a length field longer than what was read)
 * @param txDroppedPvcLost      packets read from the TUN while the PVC went away under them
 * @param rxPackets             SDUs received on the PVC and written to the TUN as IP packets
 * @param rxBytes               IP bytes of those
 * @param rxDroppedUnknownHeader SDUs whose first 8 bytes are not the LLC/SNAP header of routed IPv4 or IPv6
 *                              (including SDUs shorter than 8 bytes)
 * @param rxDroppedMalformed    SDUs with the right header whose IP packet is malformed (shorter than its
 *                              version's header, a version contradicting the EtherType, or a length field
 *                              that disagrees with the SDU's length)
 * @param rxDroppedTunWrite     well-formed packets the kernel refused to take (for example EIO while the
 *                              interface is down)
 * @param attachments           times both directions of the PVC were opened
 */
public record IpOverAtmStatistics(
        long txPackets,
        long txBytes,
        long txDroppedNotWholeIp,
        long txDroppedPvcLost,
        long rxPackets,
        long rxBytes,
        long rxDroppedUnknownHeader,
        long rxDroppedMalformed,
        long rxDroppedTunWrite,
        long attachments) {

    /** Packets read from the TUN and not sent, over all reasons. */
    public long txDropped() {
        return txDroppedNotWholeIp + txDroppedPvcLost;
    }

    /** SDUs received and not written to the TUN, over all reasons. */
    public long rxDropped() {
        return rxDroppedUnknownHeader + rxDroppedMalformed + rxDroppedTunWrite;
    }
}

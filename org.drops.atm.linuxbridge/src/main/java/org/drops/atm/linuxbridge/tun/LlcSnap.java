package org.drops.atm.linuxbridge.tun;

import java.nio.ByteBuffer;

/**
 * RFC 2684 LLC/SNAP encapsulation of routed IP in an AAL5 SDU (ATM-FACTS §5; Linux {@code br2684.c}
 * {@code llc_oui_ipv4}/{@code llc_oui_ipv6}, {@code RFC1483LLC_LEN} = 8). Offsets and static helpers only.
 *
 * <pre>
 *  0      1      2      3      4      5      6      7      8
 * +------+------+------+------+------+------+------+------+-------------------------------+
 * | DSAP | SSAP | Ctrl |        OUI         |  PID (EtherType)  | IPv4 or IPv6 packet ...  |
 * |  AA  |  AA  |  03  |  00     00     00  | 08 00  or  86 DD  |                          |
 * +------+------+------+------+------+------+------+------+-------------------------------+
 *   LLC: SNAP SAPs, UI frame      SNAP: OUI 0 = the PID is an EtherType
 * </pre>
 *
 * Anything else in the first eight bytes — other SAPs, a non-zero OUI (bridged Ethernet is {@code 00 80 C2}),
 * another EtherType — is not routed IP over this interface, and the SDU is dropped.
 */
public final class LlcSnap {

    /** Bytes of the LLC/SNAP header. */
    public static final int HEADER_BYTES = 8;
    /** The whole header of a routed IPv4 packet, as one big-endian long. */
    public static final long IPV4 = 0xAAAA_0300_0000_0800L;
    /** The whole header of a routed IPv6 packet, as one big-endian long. */
    public static final long IPV6 = 0xAAAA_0300_0000_86DDL;
    /** The smallest IPv4 header. */
    public static final int IPV4_MIN_HEADER_BYTES = 20;
    /** The fixed IPv6 header. */
    public static final int IPV6_HEADER_BYTES = 40;

    /** {@link #classify}: an IPv4 packet follows the header. */
    public static final int ROUTED_IPV4 = 4;
    /** {@link #classify}: an IPv6 packet follows the header. */
    public static final int ROUTED_IPV6 = 6;
    /** {@link #classify}: the header is not LLC/SNAP routed IPv4 or IPv6. */
    public static final int UNKNOWN_HEADER = -1;
    /** {@link #classify}: the header is right but what follows is not a whole IP packet of that version. */
    public static final int MALFORMED = -2;

    private LlcSnap() {
    }

    /** The header for an IP packet of the given version (4 or 6); 0 for any other version. */
    public static long headerFor(int ipVersion) {
        return ipVersion == 4 ? IPV4 : ipVersion == 6 ? IPV6 : 0;
    }

    /**
     * What the SDU in {@code sdu[0, length)} carries: {@link #ROUTED_IPV4}, {@link #ROUTED_IPV6},
     * {@link #UNKNOWN_HEADER} (also for an SDU shorter than the header), or {@link #MALFORMED}: the packet is
     * shorter than its version's header, its version nibble contradicts the EtherType, or its own length field
     * disagrees with the SDU's length (AAL5 delivers exact lengths, so a whole packet matches exactly).
     * Absolute reads only; allocates nothing.
     */
    public static int classify(ByteBuffer sdu, int length) {
        if (length < HEADER_BYTES) {
            return UNKNOWN_HEADER;
        }
        long header = sdu.getLong(0);
        int packetBytes = length - HEADER_BYTES;
        if (header == IPV4) {
            if (packetBytes < IPV4_MIN_HEADER_BYTES || (sdu.get(HEADER_BYTES) & 0xf0) != 0x40) {
                return MALFORMED;
            }
            int totalLength = sdu.getShort(HEADER_BYTES + 2) & 0xffff;
            int headerBytes = (sdu.get(HEADER_BYTES) & 0x0f) * 4;
            return totalLength == packetBytes && headerBytes >= IPV4_MIN_HEADER_BYTES && headerBytes <= packetBytes
                    ? ROUTED_IPV4 : MALFORMED;
        }
        if (header == IPV6) {
            if (packetBytes < IPV6_HEADER_BYTES || (sdu.get(HEADER_BYTES) & 0xf0) != 0x60) {
                return MALFORMED;
            }
            int payloadLength = sdu.getShort(HEADER_BYTES + 4) & 0xffff;
            // payload length 0 with a jumbogram hop-by-hop option cannot occur below 65535 bytes: malformed too
            return payloadLength + IPV6_HEADER_BYTES == packetBytes ? ROUTED_IPV6 : MALFORMED;
        }
        return UNKNOWN_HEADER;
    }

    /**
     * The IP version of the packet at {@code packet[offset, offset + length)} if it is whole (its length field
     * matches {@code length}), else 0: a packet that is not IPv4 or IPv6, or one the read truncated.
     */
    public static int wholePacketVersion(ByteBuffer packet, int offset, int length) {
        if (length < 1) {
            return 0;
        }
        int version = (packet.get(offset) & 0xf0) >>> 4;
        if (version == 4 && length >= IPV4_MIN_HEADER_BYTES) {
            return (packet.getShort(offset + 2) & 0xffff) == length ? 4 : 0;
        }
        if (version == 6 && length >= IPV6_HEADER_BYTES) {
            return (packet.getShort(offset + 4) & 0xffff) + IPV6_HEADER_BYTES == length ? 6 : 0;
        }
        return 0;
    }
}

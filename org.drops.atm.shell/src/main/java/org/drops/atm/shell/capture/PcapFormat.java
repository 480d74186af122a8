package org.drops.atm.shell.capture;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.drops.atm.api.qos.Direction;

/**
 * The capture file format: classic libpcap ({@code .pcap}, microsecond timestamps, little-endian) with link type
 * {@link #LINKTYPE_SUNATM} (123), whose records start with SunATM's 4-byte pseudo-header and then hold the AAL5
 * SDU, the CPCS-PDU's payload without padding and trailer, as Sun's ATM driver captured it. Wireshark and tshark
 * show the direction, VPI, VCI and traffic type from the pseudo-header and decode the payload by the traffic
 * type (LLC multiplexed: LLC, SNAP and the EtherType's protocol; unknown: data). Offsets and helpers only.
 *
 * <pre>
 * file header (24 bytes)                       record header (16 bytes)          record data
 * +--------+-----+-----+------+------+------+------+  +------+-------+------+------+  +-------------------+-----------
 * | magic  | 2   | 4   | zone | sigf | snap | 123  |  | sec  | usec  | incl | orig |  | SunATM header (4) | AAL5 SDU
 * | a1b2c3d4 (written little-endian: d4 c3 b2 a1) |  +------+-------+------+------+  +-------------------+-----------
 * +--------+-----+-----+------+------+------+------+
 *
 * SunATM pseudo-header
 *   byte 0: bit 7 direction (1 = transmitted by this host, Wireshark "DTE->DCE"), bits 0-3 traffic type
 *           (0 unknown: Wireshark guesses from the payload, 2 LLC multiplexed per RFC 2684)
 *   byte 1: VPI (8 bits: the UNI's)
 *   bytes 2-3: VCI, big-endian
 * </pre>
 */
public final class PcapFormat {

    public static final int MAGIC_MICROSECONDS = 0xa1b2c3d4;
    public static final short VERSION_MAJOR = 2;
    public static final short VERSION_MINOR = 4;
    public static final int LINKTYPE_SUNATM = 123;
    public static final int FILE_HEADER_BYTES = 24;
    public static final int RECORD_HEADER_BYTES = 16;
    public static final int SUNATM_HEADER_BYTES = 4;
    /** The largest record: the pseudo-header and the largest AAL5 SDU. */
    public static final int SNAPLEN = SUNATM_HEADER_BYTES + 65535;

    public static final int SUNATM_FLAGS = 0;
    public static final int SUNATM_VPI = 1;
    public static final int SUNATM_VCI = 2;
    public static final int DIRECTION_TRANSMIT = 0x80;
    public static final int TRAFFIC_UNKNOWN = 0x00;
    public static final int TRAFFIC_LLC = 0x02;
    /** RFC 2684 LLC header of routed and bridged PDUs with SNAP: {@code AA AA 03}. */
    static final int LLC_SNAP_PREFIX = 0xAAAA03;

    private PcapFormat() {
    }

    /** Writes the file header into {@code out} (at its position). */
    public static void fileHeader(ByteBuffer out) {
        out.order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(MAGIC_MICROSECONDS).putShort(VERSION_MAJOR).putShort(VERSION_MINOR).putInt(0).putInt(0)
                .putInt(SNAPLEN).putInt(LINKTYPE_SUNATM);
    }

    /** The SunATM traffic type of an SDU: LLC multiplexed if it starts with an LLC/SNAP header, else unknown. */
    public static int trafficType(ByteBuffer sdu, int offset, int length) {
        if (length >= 3 && ((sdu.get(offset) & 0xff) << 16 | (sdu.get(offset + 1) & 0xff) << 8
                | (sdu.get(offset + 2) & 0xff)) == LLC_SNAP_PREFIX) {
            return TRAFFIC_LLC;
        }
        return TRAFFIC_UNKNOWN;
    }

    /**
     * Writes one record (record header, SunATM header, SDU) into {@code out} at its position.
     *
     * @param epochMicros the time of the PDU, microseconds since 1970
     */
    public static void record(ByteBuffer out, long epochMicros, Direction direction, int vpi, int vci,
            ByteBuffer sdu, int offset, int length) {
        out.order(ByteOrder.LITTLE_ENDIAN);
        int recordBytes = SUNATM_HEADER_BYTES + length;
        out.putInt((int) (epochMicros / 1_000_000)).putInt((int) (epochMicros % 1_000_000))
                .putInt(recordBytes).putInt(recordBytes);
        int flags = (direction == Direction.TRANSMIT ? DIRECTION_TRANSMIT : 0) | trafficType(sdu, offset, length);
        out.put((byte) flags).put((byte) vpi);
        out.order(ByteOrder.BIG_ENDIAN).putShort((short) vci);
        out.put(out.position(), sdu, offset, length);
        out.position(out.position() + length);
        out.order(ByteOrder.LITTLE_ENDIAN);
    }
}

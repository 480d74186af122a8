package org.drops.atm.linuxbridge.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class LlcSnapTest {

    /** The bytes of ATM-FACTS §5 (br2684.c llc_oui_ipv4 / llc_oui_ipv6). */
    static final byte[] IPV4_HEADER = {(byte) 0xAA, (byte) 0xAA, 0x03, 0x00, 0x00, 0x00, 0x08, 0x00};
    static final byte[] IPV6_HEADER = {(byte) 0xAA, (byte) 0xAA, 0x03, 0x00, 0x00, 0x00, (byte) 0x86, (byte) 0xDD};

    /** A minimal IPv4 packet of the given total length (header fields that matter here only). */
    static byte[] ipv4(int totalLength) {
        byte[] p = new byte[totalLength];
        p[0] = 0x45;
        p[2] = (byte) (totalLength >>> 8);
        p[3] = (byte) totalLength;
        p[9] = 17;
        return p;
    }

    static byte[] ipv6(int payloadLength) {
        byte[] p = new byte[40 + payloadLength];
        p[0] = 0x60;
        p[4] = (byte) (payloadLength >>> 8);
        p[5] = (byte) payloadLength;
        p[6] = 17;
        return p;
    }

    static ByteBuffer sdu(byte[] header, byte[] packet) {
        ByteBuffer b = ByteBuffer.allocateDirect(header.length + packet.length);
        b.put(header).put(packet).flip();
        return b;
    }

    @Test
    void headersAreTheBytesOfRfc2684RoutedEncapsulation() {
        ByteBuffer b = ByteBuffer.allocate(16);
        b.putLong(0, LlcSnap.headerFor(4));
        b.putLong(8, LlcSnap.headerFor(6));
        byte[] v4 = new byte[8];
        byte[] v6 = new byte[8];
        b.get(0, v4);
        b.get(8, v6);
        assertArrayEquals(IPV4_HEADER, v4);
        assertArrayEquals(IPV6_HEADER, v6);
        assertEquals(0, LlcSnap.headerFor(5));
    }

    @Test
    void wellFormedIpv4AndIpv6AreRecognised() {
        ByteBuffer v4 = sdu(IPV4_HEADER, ipv4(84));
        ByteBuffer v6 = sdu(IPV6_HEADER, ipv6(64));
        assertEquals(LlcSnap.ROUTED_IPV4, LlcSnap.classify(v4, v4.limit()));
        assertEquals(LlcSnap.ROUTED_IPV6, LlcSnap.classify(v6, v6.limit()));
    }

    @Test
    void bridgedEthernetOtherOuisAndShortSdusAreUnknownHeaders() {
        byte[] bridged = {(byte) 0xAA, (byte) 0xAA, 0x03, 0x00, (byte) 0x80, (byte) 0xC2, 0x00, 0x07, 0x00, 0x00};
        ByteBuffer b = sdu(bridged, ipv4(40));
        assertEquals(LlcSnap.UNKNOWN_HEADER, LlcSnap.classify(b, b.limit()));
        byte[] arp = IPV4_HEADER.clone();
        arp[7] = 0x06; // EtherType 0x0806
        assertEquals(LlcSnap.UNKNOWN_HEADER, LlcSnap.classify(sdu(arp, ipv4(28)), 36));
        byte[] nonSnap = IPV4_HEADER.clone();
        nonSnap[0] = (byte) 0xFE; // ISO CLNP SAP
        assertEquals(LlcSnap.UNKNOWN_HEADER, LlcSnap.classify(sdu(nonSnap, ipv4(40)), 48));
        ByteBuffer shortSdu = ByteBuffer.wrap(new byte[] {(byte) 0xAA, (byte) 0xAA, 0x03});
        assertEquals(LlcSnap.UNKNOWN_HEADER, LlcSnap.classify(shortSdu, 3));
        assertEquals(LlcSnap.UNKNOWN_HEADER, LlcSnap.classify(ByteBuffer.allocate(0), 0));
    }

    @Test
    void rightHeaderWithBrokenPacketIsMalformed() {
        // version nibble contradicts the EtherType
        assertEquals(LlcSnap.MALFORMED, LlcSnap.classify(sdu(IPV4_HEADER, ipv6(20)), 8 + 60));
        assertEquals(LlcSnap.MALFORMED, LlcSnap.classify(sdu(IPV6_HEADER, ipv4(60)), 8 + 60));
        // shorter than the version's header
        assertEquals(LlcSnap.MALFORMED, LlcSnap.classify(sdu(IPV4_HEADER, new byte[] {0x45, 0, 0, 10}), 12));
        assertEquals(LlcSnap.MALFORMED, LlcSnap.classify(sdu(IPV6_HEADER, new byte[20]), 28));
        assertEquals(LlcSnap.MALFORMED, LlcSnap.classify(sdu(IPV4_HEADER, new byte[0]), 8));
        // length field disagrees with the SDU
        byte[] lying = ipv4(100);
        lying[3] = 90;
        assertEquals(LlcSnap.MALFORMED, LlcSnap.classify(sdu(IPV4_HEADER, lying), 108));
        byte[] lying6 = ipv6(10);
        lying6[5] = 11;
        assertEquals(LlcSnap.MALFORMED, LlcSnap.classify(sdu(IPV6_HEADER, lying6), 58));
        // IHL below 5 words
        byte[] ihl = ipv4(40);
        ihl[0] = 0x44;
        assertEquals(LlcSnap.MALFORMED, LlcSnap.classify(sdu(IPV4_HEADER, ihl), 48));
    }

    @Test
    void wholePacketVersionRejectsTruncatedAndNonIpPackets() {
        ByteBuffer b = ByteBuffer.allocate(200);
        b.put(8, ipv4(100));
        assertEquals(4, LlcSnap.wholePacketVersion(b, 8, 100));
        assertEquals(0, LlcSnap.wholePacketVersion(b, 8, 99), "a read that cut the packet");
        b.put(8, ipv6(60));
        assertEquals(6, LlcSnap.wholePacketVersion(b, 8, 100));
        b.put(8, (byte) 0x50);
        assertEquals(0, LlcSnap.wholePacketVersion(b, 8, 100));
        assertEquals(0, LlcSnap.wholePacketVersion(b, 8, 0));
    }

    /** Random SDUs: only those that begin with the exact header of their packet's version are taken as IP. */
    @Property(tries = 5000)
    void randomSdusAreOnlyIpWithTheExactHeader(@ForAll @Size(max = 120) byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int kind = LlcSnap.classify(b, bytes.length);
        if (kind == LlcSnap.ROUTED_IPV4 || kind == LlcSnap.ROUTED_IPV6) {
            byte[] head = new byte[8];
            b.get(0, head);
            assertArrayEquals(kind == LlcSnap.ROUTED_IPV4 ? IPV4_HEADER : IPV6_HEADER, head);
            assertEquals(kind, LlcSnap.wholePacketVersion(b, 8, bytes.length - 8));
        } else if (bytes.length >= 8) {
            long header = b.getLong(0);
            if (header != LlcSnap.IPV4 && header != LlcSnap.IPV6) {
                assertEquals(LlcSnap.UNKNOWN_HEADER, kind);
            } else {
                assertNotEquals(LlcSnap.UNKNOWN_HEADER, kind);
            }
        }
    }

    /** Whatever the packet, encapsulating it and classifying the SDU gives its version back. */
    @Property(tries = 2000)
    void encapsulatedPacketsClassifyAsTheirVersion(@ForAll boolean six, @ForAll @Size(max = 1400) byte[] body) {
        byte[] packet = six ? ipv6(body.length) : ipv4(20 + body.length);
        System.arraycopy(body, 0, packet, six ? 40 : 20, body.length);
        ByteBuffer b = ByteBuffer.allocate(8 + packet.length);
        b.put(8, packet);
        int version = LlcSnap.wholePacketVersion(b, 8, packet.length);
        b.putLong(0, LlcSnap.headerFor(version));
        assertEquals(six ? LlcSnap.ROUTED_IPV6 : LlcSnap.ROUTED_IPV4, LlcSnap.classify(b, b.capacity()));
    }
}

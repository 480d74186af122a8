package org.drops.atm.linuxbridge.tun;

import java.nio.ByteBuffer;

/** IPv4 packets built by hand for tests, with correct checksums (RFC 791, RFC 792). */
final class Packets {

    private Packets() {
    }

    /** An ICMP echo request from {@code source} to {@code destination} with the given payload. */
    static byte[] icmpEchoRequest(byte[] source, byte[] destination, int id, int sequence, byte[] payload) {
        int total = 20 + 8 + payload.length;
        ByteBuffer b = ByteBuffer.allocate(total);
        b.put((byte) 0x45).put((byte) 0).putShort((short) total).putShort((short) 0x1234).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 1).putShort((short) 0).put(source).put(destination);
        b.putShort(10, checksum(b.array(), 0, 20));
        b.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) sequence).put(payload);
        b.putShort(22, checksum(b.array(), 20, total - 20));
        return b.array();
    }

    /** The Internet checksum of {@code bytes[offset, offset + length)}. */
    static short checksum(byte[] bytes, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int hi = bytes[offset + i] & 0xff;
            int lo = i + 1 < length ? bytes[offset + i + 1] & 0xff : 0;
            sum += (hi << 8) | lo;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (short) ~sum;
    }
}

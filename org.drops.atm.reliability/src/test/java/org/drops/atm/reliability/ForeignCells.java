package org.drops.atm.reliability;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;

/**
 * Sends UDP datagrams of valid cells: each one whole AAL5 PDU carrying a test SDU of {@code atm:awrite}'s layout
 * ({@code #ATMTEST}, a sequence number, filler byte i = i mod 256), encoded here independently of the driver (HEC
 * CRC-8 and AAL5 CRC-32 by the book). Run in a network namespace: {@code java ForeignCells bindHost:port
 * targetHost:port vpi vci count firstSequence}; prints {@code sent N}.
 */
public final class ForeignCells {

    static final int CELL = 53;

    public static void main(String[] args) throws Exception {
        InetSocketAddress from = address(args[0]);
        InetSocketAddress to = address(args[1]);
        int vpi = Integer.parseInt(args[2]);
        int vci = Integer.parseInt(args[3]);
        int count = Integer.parseInt(args[4]);
        long first = Long.parseLong(args[5]);
        try (DatagramChannel channel = DatagramChannel.open().bind(from)) {
            for (int i = 0; i < count; i++) {
                channel.send(ByteBuffer.wrap(pdu(vpi, vci, testSdu(1000, first + i))), to);
                // 500 datagrams/s: a receiver's ring of a few slots keeps up on a loaded machine
                java.util.concurrent.locks.LockSupport.parkNanos(2_000_000L);
            }
        }
        System.out.println("sent " + count);
    }

    /** An atm:awrite test SDU of this size and sequence number. */
    static byte[] testSdu(int bytes, long sequence) {
        byte[] sdu = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            sdu[i] = (byte) i;
        }
        System.arraycopy("#ATMTEST".getBytes(StandardCharsets.US_ASCII), 0, sdu, 0, 8);
        ByteBuffer.wrap(sdu).putLong(8, sequence);
        return sdu;
    }

    /** The cells of one AAL5 PDU (I.363.5): SDU, padding, UU, CPI, length, CRC-32; UNI headers with HEC. */
    static byte[] pdu(int vpi, int vci, byte[] sdu) {
        int cells = (sdu.length + 8 + 47) / 48;
        byte[] payload = new byte[cells * 48];
        System.arraycopy(sdu, 0, payload, 0, sdu.length);
        int n = payload.length;
        payload[n - 6] = (byte) (sdu.length >>> 8);
        payload[n - 5] = (byte) sdu.length;
        int crc = crc32(payload, n - 4);
        ByteBuffer.wrap(payload).putInt(n - 4, crc);
        byte[] out = new byte[cells * CELL];
        for (int c = 0; c < cells; c++) {
            boolean last = c == cells - 1;
            int word = (vpi & 0xff) << 20 | (vci & 0xffff) << 4 | (last ? 0x2 : 0); // GFC 0, PTI 00x, CLP 0
            int at = c * CELL;
            out[at] = (byte) (word >>> 24);
            out[at + 1] = (byte) (word >>> 16);
            out[at + 2] = (byte) (word >>> 8);
            out[at + 3] = (byte) word;
            out[at + 4] = (byte) hec(out, at);
            System.arraycopy(payload, c * 48, out, at + 5, 48);
        }
        return out;
    }

    /** CRC-8 x^8+x^2+x+1 over the 4 header bytes, XOR 0x55 (I.432.1). */
    static int hec(byte[] cell, int at) {
        int crc = 0;
        for (int i = 0; i < 4; i++) {
            crc ^= cell[at + i] & 0xff;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x80) != 0 ? ((crc << 1) ^ 0x07) & 0xff : (crc << 1) & 0xff;
            }
        }
        return crc ^ 0x55;
    }

    /** AAL5's CRC-32: polynomial 0x04C11DB7, MSB first, preset all ones, complemented. */
    static int crc32(byte[] data, int length) {
        int crc = 0xFFFFFFFF;
        for (int i = 0; i < length; i++) {
            crc ^= (data[i] & 0xff) << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = crc < 0 ? (crc << 1) ^ 0x04C11DB7 : crc << 1;
            }
        }
        return ~crc;
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
    }
}

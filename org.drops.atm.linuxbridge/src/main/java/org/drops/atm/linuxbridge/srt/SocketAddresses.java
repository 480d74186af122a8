package org.drops.atm.linuxbridge.srt;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.drops.atm.api.InetFamily;

/**
 * {@code struct sockaddr_in} and {@code sockaddr_in6} in native memory.
 *
 * <pre>
 * sockaddr_in (16 bytes)                       sockaddr_in6 (28 bytes)
 *  0      2      4            8          16     0      2      4          8                 24         28
 * +------+------+------------+----------+      +------+------+----------+-----------------+----------+
 * |family| port | IPv4 addr  | zero (8) |      |family| port | flowinfo | IPv6 addr (16)  | scope id |
 * +------+------+------------+----------+      +------+------+----------+-----------------+----------+
 *  host    network byte order                   host    network           network           host
 * </pre>
 */
final class SocketAddresses {

    /** {@code sizeof(struct sockaddr_storage)}: room for any address the kernel returns. */
    static final int STORAGE_BYTES = 128;
    static final int IN_BYTES = 16;
    static final int IN6_BYTES = 28;

    private SocketAddresses() {
    }

    /**
     * The address as the socket's family needs it: an IPv4 address on an INET6 socket becomes the v4-mapped
     * {@code ::ffff:a.b.c.d}; an IPv6 address on an INET socket is passed as it is and the kernel refuses it.
     *
     * @throws IllegalArgumentException naming the call if the address is unresolved
     */
    static byte[] encode(String call, InetFamily family, InetSocketAddress address) {
        if (address == null) {
            throw new IllegalArgumentException(call + ": an address is required");
        }
        if (address.isUnresolved()) {
            throw new IllegalArgumentException(call + ": " + address + " is unresolved; resolve the host name first");
        }
        InetAddress ip = address.getAddress();
        byte[] raw = ip.getAddress();
        if (family == InetFamily.INET6 && ip instanceof Inet4Address) {
            byte[] mapped = new byte[16];
            mapped[10] = (byte) 0xff;
            mapped[11] = (byte) 0xff;
            System.arraycopy(raw, 0, mapped, 12, 4);
            raw = mapped;
        }
        boolean v4 = raw.length == 4;
        ByteBuffer b = ByteBuffer.allocate(v4 ? IN_BYTES : IN6_BYTES).order(ByteOrder.nativeOrder());
        b.putShort(0, (short) (v4 ? InetFamily.INET : InetFamily.INET6).linuxCode());
        b.put(2, (byte) (address.getPort() >>> 8)).put(3, (byte) address.getPort());
        if (v4) {
            b.put(4, raw);
        } else {
            b.put(8, raw);
            if (ip instanceof Inet6Address v6) {
                b.putInt(24, v6.getScopeId());
            }
        }
        return b.array();
    }

    /** A buffer the kernel can write any address into. */
    static byte[] storage() {
        return new byte[STORAGE_BYTES];
    }

    /** The address in {@code storage}, of {@code length} bytes as the kernel reported; null for an empty one. */
    static InetSocketAddress decode(byte[] storage, int length) {
        if (length < 2) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(storage).order(ByteOrder.nativeOrder());
        int family = b.getShort(0) & 0xffff;
        int port = ((storage[2] & 0xff) << 8) | (storage[3] & 0xff);
        try {
            if (family == InetFamily.INET.linuxCode() && length >= IN_BYTES) {
                return new InetSocketAddress(InetAddress.getByAddress(java.util.Arrays.copyOfRange(storage, 4, 8)), port);
            }
            if (family == InetFamily.INET6.linuxCode() && length >= IN6_BYTES) {
                byte[] raw = java.util.Arrays.copyOfRange(storage, 8, 24);
                int scope = b.getInt(24);
                InetAddress ip = scope != 0 ? Inet6Address.getByAddress(null, raw, scope) : InetAddress.getByAddress(raw);
                return new InetSocketAddress(ip, port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + length + " bytes from the kernel", e);
        }
        throw new IllegalStateException("the kernel returned an address of family " + family + " (" + length + " bytes)");
    }
}

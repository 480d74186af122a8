package org.drops.atm.linuxbridge.srt;

import com.sun.jna.Memory;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
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
    static Memory encode(String call, InetFamily family, InetSocketAddress address) {
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
        Memory m;
        if (raw.length == 4) {
            m = new Memory(IN_BYTES);
            m.clear();
            m.setShort(0, (short) InetFamily.INET.linuxCode());
            putPort(m, address.getPort());
            m.write(4, raw, 0, 4);
        } else {
            m = new Memory(IN6_BYTES);
            m.clear();
            m.setShort(0, (short) InetFamily.INET6.linuxCode());
            putPort(m, address.getPort());
            m.write(8, raw, 0, 16);
            if (ip instanceof Inet6Address v6) {
                m.setInt(24, v6.getScopeId());
            }
        }
        return m;
    }

    /** The address in {@code storage}, of {@code length} bytes as the kernel reported; null for an empty one. */
    static InetSocketAddress decode(Memory storage, int length) {
        if (length < 2) {
            return null;
        }
        int family = storage.getShort(0) & 0xffff;
        int port = ((storage.getByte(2) & 0xff) << 8) | (storage.getByte(3) & 0xff);
        try {
            if (family == InetFamily.INET.linuxCode() && length >= IN_BYTES) {
                return new InetSocketAddress(InetAddress.getByAddress(storage.getByteArray(4, 4)), port);
            }
            if (family == InetFamily.INET6.linuxCode() && length >= IN6_BYTES) {
                byte[] raw = storage.getByteArray(8, 16);
                int scope = storage.getInt(24);
                InetAddress ip = scope != 0 ? Inet6Address.getByAddress(null, raw, scope) : InetAddress.getByAddress(raw);
                return new InetSocketAddress(ip, port);
            }
        } catch (UnknownHostException e) {
            throw new IllegalStateException("address of " + length + " bytes from the kernel", e);
        }
        throw new IllegalStateException("the kernel returned an address of family " + family + " (" + length + " bytes)");
    }

    private static void putPort(Memory m, int port) {
        m.setByte(2, (byte) (port >>> 8));
        m.setByte(3, (byte) port);
    }
}

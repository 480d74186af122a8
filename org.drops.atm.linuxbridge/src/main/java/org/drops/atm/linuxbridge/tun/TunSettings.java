package org.drops.atm.linuxbridge.tun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.InvalidQosException;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.linuxbridge.libc.LibC;

/**
 * A TUN configuration, checked: every problem throws {@link IllegalArgumentException} naming the key.
 *
 * @param name      the interface name
 * @param addresses addresses with prefix, as {@code ip addr add} takes them
 * @param pvc       the PVC
 * @param qos       the contract of both directions, its largest SDU at least MTU + 8
 * @param mtuBytes  the IP MTU
 * @param netns     the network namespace, or empty
 * @param ipCommand the {@code ip} program
 */
public record TunSettings(String name, List<String> addresses, PvcAddress pvc, Qos qos, int mtuBytes, String netns,
        String ipCommand) {

    /** The smallest IPv4 MTU (RFC 791). */
    public static final int MIN_MTU_BYTES = 68;
    /** The largest AAL5 SDU less the LLC/SNAP header. */
    public static final int MAX_MTU_BYTES = Aal.AAL5.maxSduBytes() - LlcSnap.HEADER_BYTES;
    /** Where {@code ip netns add} puts named namespaces. */
    static final Path NETNS_DIR = Path.of("/run/netns");

    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");
    private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_.-]+");

    public TunSettings {
        checkName(name);
        addresses = List.copyOf(addresses);
        if (mtuBytes < MIN_MTU_BYTES || mtuBytes > MAX_MTU_BYTES) {
            throw new IllegalArgumentException("mtu: " + mtuBytes + " is outside " + MIN_MTU_BYTES + ".." + MAX_MTU_BYTES);
        }
        if (!netns.isEmpty() && (!NETNS.matcher(netns).matches() || netns.equals(".") || netns.equals(".."))) {
            throw new IllegalArgumentException("netns: \"" + netns + "\" is not a namespace name (letters, digits, _ . -)");
        }
        if (ipCommand.isBlank()) {
            throw new IllegalArgumentException("ip.command: required");
        }
    }

    /** Reads and checks a configuration. */
    public static TunSettings of(TunConfiguration c) {
        String name = c.name().trim();
        int mtu = c.mtu();
        List<String> addresses = new ArrayList<>();
        for (String entry : c.address() == null ? new String[0] : c.address()) {
            for (String a : entry.split("[,\\s]+")) {
                if (!a.isEmpty()) {
                    addresses.add(checkAddress(a));
                }
            }
        }
        PvcAddress pvc;
        try {
            pvc = PvcAddress.parse(c.pvc().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pvc: " + e.getMessage(), e);
        }
        if (mtu < MIN_MTU_BYTES || mtu > MAX_MTU_BYTES) {
            throw new IllegalArgumentException("mtu: " + mtu + " is outside " + MIN_MTU_BYTES + ".." + MAX_MTU_BYTES);
        }
        return new TunSettings(name, addresses, pvc, contract(c.qos().trim(), mtu), mtu, c.netns().trim(),
                c.ip_command().trim());
    }

    /** The contract: both directions carry traffic; an unspecified largest SDU becomes MTU + 8. */
    static Qos contract(String text, int mtuBytes) {
        Qos parsed;
        try {
            parsed = Qos.parse(text);
        } catch (InvalidQosException e) {
            throw new IllegalArgumentException("qos: " + e.getMessage(), e);
        }
        int sdu = mtuBytes + LlcSnap.HEADER_BYTES;
        return new Qos(withSdu("tx", parsed.tx(), sdu, text), withSdu("rx", parsed.rx(), sdu, text), Aal.AAL5);
    }

    private static TrafficParameters withSdu(String direction, TrafficParameters tp, int sduBytes, String text) {
        if (!tp.carriesTraffic()) {
            throw new IllegalArgumentException("qos: \"" + text + "\" has no " + direction + " traffic; the interface "
                    + "sends and receives on its PVC");
        }
        if (tp.maxSduBytes() == TrafficParameters.UNSPECIFIED) {
            return tp.toBuilder().maxSduBytes(sduBytes).build();
        }
        if (tp.maxSduBytes() < sduBytes) {
            throw new IllegalArgumentException("qos: " + direction + " max_sdu " + tp.maxSduBytes() + " is below mtu + 8 = "
                    + sduBytes + " (an IP packet of the MTU plus the LLC/SNAP header)");
        }
        return tp;
    }

    static void checkName(String name) {
        if (name.isEmpty() || name.length() >= LibC.IFNAMSIZ) {
            throw new IllegalArgumentException("name: \"" + name + "\" must have 1 to " + (LibC.IFNAMSIZ - 1) + " characters");
        }
        if (name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("name: \"" + name + "\" is not an interface name");
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch == '/' || ch == ':' || Character.isWhitespace(ch) || ch < 0x21 || ch > 0x7e) {
                throw new IllegalArgumentException("name: \"" + name + "\" contains '" + ch + "' (no '/', ':', white space or non-ASCII)");
            }
        }
    }

    static String checkAddress(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("address: \"" + text + "\" needs a prefix length, e.g. 10.99.0.1/24");
        }
        String ip = text.substring(0, slash);
        String prefix = text.substring(slash + 1);
        int max;
        if (IPV4.matcher(ip).matches()) {
            max = 32;
        } else if (IPV6.matcher(ip).matches()) {
            max = 128;
            try {
                java.net.InetAddress.getByName(ip); // a literal with ':' is parsed, never looked up
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("address: \"" + ip + "\" is not an IPv6 address", e);
            }
        } else {
            throw new IllegalArgumentException("address: \"" + ip + "\" is not an IPv4 or IPv6 address");
        }
        int length;
        try {
            length = Integer.parseInt(prefix);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("address: prefix length \"" + prefix + "\" of " + text + " is not a number", e);
        }
        if (length < 0 || length > max) {
            throw new IllegalArgumentException("address: prefix length " + length + " of " + text + " is outside 0.." + max);
        }
        return ip + "/" + length;
    }

    /** True if the namespace exists (as {@code ip netns add} makes it). */
    boolean netnsExists() {
        return netns.isEmpty() || Files.exists(NETNS_DIR.resolve(netns));
    }
}

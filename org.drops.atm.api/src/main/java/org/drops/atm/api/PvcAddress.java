package org.drops.atm.api;

import java.util.Objects;

/**
 * The address of a permanent virtual circuit: interface number, VPI and VCI, written {@code itf.vpi.vci}
 * (Linux-ATM's {@code struct sockaddr_atmpvc}; {@code text2atm} syntax).
 *
 * <p>Limits: itf 0–32767 ({@code SHRT_MAX}), VPI 0–255 at the UNI (0–4095 at the NNI, whose header has 12
 * VPI bits), VCI 0–65535. VCIs 0–31 are reserved by ITU-T and the ATM Forum (0 unassigned/idle, 1
 * meta-signalling, 3/4 OAM F4, 5 signalling, 16 ILMI, …): {@link #parse(String)} refuses them, because an
 * application that opens one would collide with the network's own use. Platform code that needs them
 * (signalling, OAM, capture) uses {@link #parse(String, Option...)} with {@link Option#ALLOW_RESERVED}.
 *
 * @param itf the interface number
 * @param vpi the virtual path identifier
 * @param vci the virtual channel identifier
 */
public record PvcAddress(int itf, int vpi, int vci) implements Comparable<PvcAddress> {

    /** The largest interface number ({@code SHRT_MAX}). */
    public static final int MAX_ITF = Short.MAX_VALUE;
    /** The largest VPI at the user-network interface (8 bits, {@code ATM_MAX_VPI}). */
    public static final int MAX_VPI = 255;
    /** The largest VPI at the network-network interface (12 bits). */
    public static final int MAX_VPI_NNI = 4095;
    /** The largest VCI (16 bits, {@code ATM_MAX_VCI}). */
    public static final int MAX_VCI = 65535;
    /** The first VCI that is not reserved ({@code ATM_NOT_RSV_VCI}). */
    public static final int FIRST_USER_VCI = 32;

    /** Relaxations of the default rules of {@link #parse(String, Option...)}. */
    public enum Option {
        /** Accept VPIs up to {@value PvcAddress#MAX_VPI_NNI} ({@code T2A_NNI}). */
        NNI,
        /** Accept the reserved VCIs 0–31 (for signalling, OAM and capture tools, not for applications). */
        ALLOW_RESERVED
    }

    /**
     * Checks the limits that hold for every address (NNI VPIs allowed, reserved VCIs allowed).
     *
     * @throws IllegalArgumentException naming the field and its limit
     */
    public PvcAddress {
        check("itf", itf, MAX_ITF);
        check("vpi", vpi, MAX_VPI_NNI);
        check("vci", vci, MAX_VCI);
        if (vpi != 0 && vci == 0) {
            throw new IllegalArgumentException("vci: VCI 0 is invalid on VPI " + vpi + " (only VPI 0 VCI 0 exists: the idle cell)");
        }
    }

    /** An address for an application connection: UNI limits, no reserved VCI. */
    public static PvcAddress of(int itf, int vpi, int vci) {
        PvcAddress a = new PvcAddress(itf, vpi, vci);
        a.checkUse(false, false, null);
        return a;
    }

    /**
     * Parses {@code [itf.]vpi.vci} for an application connection: UNI VPI limit, VCIs 0–31 refused.
     *
     * @throws IllegalArgumentException naming the part and the rule
     */
    public static PvcAddress parse(String text) {
        return parse(text, new Option[0]);
    }

    /**
     * Parses {@code [itf.]vpi.vci} as {@code text2atm} with {@code T2A_PVC} does: two or three decimal parts
     * separated by dots, the interface 0 when there are two, no leading zeros, no signs or spaces.
     *
     * @throws IllegalArgumentException naming the part and the rule
     */
    public static PvcAddress parse(String text, Option... options) {
        Objects.requireNonNull(text, "text");
        boolean nni = false;
        boolean reserved = false;
        for (Option o : options) {
            nni |= o == Option.NNI;
            reserved |= o == Option.ALLOW_RESERVED;
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length < 2 || parts.length > 3) {
            throw bad(text, "expected [itf.]vpi.vci: two or three decimal numbers separated by dots");
        }
        String[] names = parts.length == 3 ? new String[] {"itf", "vpi", "vci"} : new String[] {"vpi", "vci"};
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = number(text, names[i], parts[i]);
        }
        int n = parts.length;
        long itf = n == 3 ? values[0] : 0;
        long vpi = values[n - 2];
        long vci = values[n - 1];
        if (itf > MAX_ITF) {
            throw bad(text, "itf " + itf + " exceeds " + MAX_ITF);
        }
        if (vpi > (nni ? MAX_VPI_NNI : MAX_VPI)) {
            throw bad(text, "vpi " + vpi + " exceeds " + (nni ? MAX_VPI_NNI + " (NNI)" : MAX_VPI + " (UNI; NNI allows " + MAX_VPI_NNI + ")"));
        }
        if (vci > MAX_VCI) {
            throw bad(text, "vci " + vci + " exceeds " + MAX_VCI);
        }
        PvcAddress a;
        try {
            a = new PvcAddress((int) itf, (int) vpi, (int) vci);
        } catch (IllegalArgumentException e) {
            throw bad(text, e.getMessage());
        }
        a.checkUse(nni, reserved, text);
        return a;
    }

    /** True for VCIs 0–31, which ITU-T and the ATM Forum reserve. */
    public boolean isReserved() {
        return vci < FIRST_USER_VCI;
    }

    /** {@code itf.vpi.vci}, which {@link #parse(String)} reads back. */
    @Override
    public String toString() {
        return itf + "." + vpi + "." + vci;
    }

    @Override
    public int compareTo(PvcAddress o) {
        int c = Integer.compare(itf, o.itf);
        if (c == 0) {
            c = Integer.compare(vpi, o.vpi);
        }
        return c != 0 ? c : Integer.compare(vci, o.vci);
    }

    private void checkUse(boolean nni, boolean reservedAllowed, String text) {
        if (!nni && vpi > MAX_VPI) {
            throw bad(text, "vpi " + vpi + " exceeds " + MAX_VPI + " (UNI)");
        }
        if (!reservedAllowed && isReserved()) {
            throw bad(text, "vci " + vci + " is reserved (VCIs 0-31 carry signalling, OAM and ILMI); "
                    + "user connections start at VCI " + FIRST_USER_VCI);
        }
    }

    private static long number(String text, String name, String part) {
        if (part.isEmpty()) {
            throw bad(text, name + " is empty");
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (c < '0' || c > '9') {
                throw bad(text, name + " \"" + part + "\" is not a decimal number");
            }
        }
        if (part.length() > 1 && part.charAt(0) == '0') {
            throw bad(text, name + " \"" + part + "\" has a leading zero");
        }
        if (part.length() > 9) {
            throw bad(text, name + " " + part + " is too large");
        }
        return Long.parseLong(part);
    }

    private static void check(String field, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(field + ": " + value + " is outside 0.." + max);
        }
    }

    private static IllegalArgumentException bad(String text, String rule) {
        return new IllegalArgumentException(text == null ? rule : "PVC address \"" + text + "\": " + rule);
    }
}

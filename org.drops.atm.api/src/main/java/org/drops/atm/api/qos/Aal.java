package org.drops.atm.api.qos;

/**
 * ATM adaptation layers, numbered as Linux-ATM numbers them ({@code ATM_NO_AAL}, {@code ATM_AAL0},
 * {@code ATM_AAL5}). The platform carries AAL5 PDUs; AAL0 (raw cells: a 4-byte header without HEC and 48
 * bytes of payload, 52 bytes per SDU) is part of the vocabulary for cell-level tools.
 */
public enum Aal {
    /** No AAL given ({@code ATM_NO_AAL}): the socket's own AAL applies. */
    NO_AAL(0, "", 0),
    /** Raw cells ({@code ATM_AAL0 = 13}); an SDU is 52 bytes: header without HEC, then 48 payload bytes. */
    AAL0(13, "aal0", 52),
    /** AAL5 ({@code ATM_AAL5 = 5}); SDUs of up to 65535 bytes. */
    AAL5(5, "aal5", 65535);

    private final int linuxCode;
    private final String keyword;
    private final int maxSduBytes;

    Aal(int linuxCode, String keyword, int maxSduBytes) {
        this.linuxCode = linuxCode;
        this.keyword = keyword;
        this.maxSduBytes = maxSduBytes;
    }

    /** The value of {@code struct atm_qos.aal} and of the socket's protocol argument. */
    public int linuxCode() {
        return linuxCode;
    }

    /** The keyword in the {@code text2qos} grammar; empty for {@link #NO_AAL}. */
    public String keyword() {
        return keyword;
    }

    /**
     * The largest SDU this AAL carries, which is also the default {@code max_sdu} (kernel {@code adjust_tp}):
     * 52 for AAL0, 65535 for AAL5; for {@link #NO_AAL} the AAL5 value, as the kernel assumes.
     */
    public int maxSduBytes() {
        return this == NO_AAL ? AAL5.maxSduBytes : maxSduBytes;
    }
}

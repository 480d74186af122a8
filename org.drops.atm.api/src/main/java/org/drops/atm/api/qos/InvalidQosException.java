package org.drops.atm.api.qos;

/**
 * A traffic contract that is malformed (QoS text that does not follow the {@code text2qos} grammar) or
 * invalid (values that break a rule of the kernel's {@code check_qos}, or of this platform).
 *
 * <p>The message always names the field and the rule, for example
 * {@code tx.min_pcr: min_pcr (30000) must not exceed max_pcr (20000)}. {@link #field()} and {@link #rule()}
 * give the two parts separately; for text input {@link #position()} is the offset of the offending character.
 * It is unchecked: bad input is a programming or configuration error, not a condition to recover from.
 */
public final class InvalidQosException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String field;
    private final String rule;
    private final String text;
    private final int position;

    /**
     * @param field the field, qualified by direction where there is one ({@code tx.pcr}, {@code rx.max_sdu},
     *              {@code aal}, {@code class}); {@code text} for a syntax error that belongs to no field
     * @param rule  what the field must satisfy, in words
     */
    public InvalidQosException(String field, String rule) {
        this(field, rule, null, -1);
    }

    /**
     * @param text     the QoS text being parsed
     * @param position the offset in {@code text} where the problem was found
     */
    public InvalidQosException(String field, String rule, String text, int position) {
        super(message(field, rule, text, position));
        this.field = field;
        this.rule = rule;
        this.text = text;
        this.position = position;
    }

    /** The field at fault, such as {@code tx.min_pcr}. */
    public String field() {
        return field;
    }

    /** The rule the field breaks, in words. */
    public String rule() {
        return rule;
    }

    /** The QoS text being parsed, or null if the contract did not come from text. */
    public String text() {
        return text;
    }

    /** The offset in {@link #text()} at which parsing failed, or -1. */
    public int position() {
        return position;
    }

    /** The same error with the field qualified by a direction prefix such as {@code "tx."}. */
    InvalidQosException qualified(String prefix, String qosText, int at) {
        return new InvalidQosException(prefix + field, rule, qosText, at);
    }

    private static String message(String field, String rule, String text, int position) {
        StringBuilder b = new StringBuilder(field).append(": ").append(rule);
        if (text != null) {
            b.append(" in \"").append(text).append('"');
            if (position >= 0) {
                b.append(" at offset ").append(position);
            }
        }
        return b.toString();
    }
}

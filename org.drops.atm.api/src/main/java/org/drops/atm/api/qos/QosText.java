package org.drops.atm.api.qos;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Reads and writes Linux-ATM's textual QoS. The parser follows libatm's {@code text2qos.c} (with the VBR
 * patch) step for step, so it accepts what {@code text2qos} accepts; where libatm silently reads nonsense as
 * zero or lets a repeated key win, this one refuses with a message (see {@link Qos#parse(String)}).
 * Not thread-safe; one instance per call.
 */
final class QosText {

    private static final String[] CLASS_OR_AAL = {"ubr", "cbr", "nrt-vbr", "vbr", "rt-vbr", "abr", "anyclass", "aal0", "aal5"};
    private static final TrafficClass[] CLASS_OF = {TrafficClass.UBR, TrafficClass.CBR, TrafficClass.NRT_VBR,
        TrafficClass.NRT_VBR, TrafficClass.RT_VBR, TrafficClass.ABR, TrafficClass.ANYCLASS, null, null};
    private static final Aal[] AAL_OF = {null, null, null, null, null, null, null, Aal.AAL0, Aal.AAL5};

    /** The keys of a parameter list; aliases map to the same {@link Field}. */
    private static final String[] KEYS = {"max_pcr=", "pcr=", "min_pcr=", "scr=", "mbs=", "max_cdv=", "cdv=", "max_sdu=", "sdu="};
    private static final Field[] FIELD_OF = {Field.MAX_PCR, Field.PCR, Field.MIN_PCR, Field.SCR, Field.MBS,
        Field.MAX_CDV, Field.MAX_CDV, Field.MAX_SDU, Field.MAX_SDU};
    private static final String KEY_LIST = "max_pcr=, pcr=, min_pcr=, scr=, mbs=, max_cdv=, cdv=, max_sdu=, sdu=";

    /** One cell carries 48 payload bytes: {@code bps} rates convert at 384 bit per cell (text2qos). */
    private static final int BITS_PER_CELL_PAYLOAD = 384;

    private enum Field {
        MAX_PCR("max_pcr"), PCR("pcr"), MIN_PCR("min_pcr"), SCR("scr"), MBS("mbs"), MAX_CDV("max_cdv"), MAX_SDU("max_sdu");

        final String key;

        Field(String key) {
            this.key = key;
        }
    }

    /** A direction being parsed: the fields as an array indexed by {@link Field#ordinal()}. */
    private static final class Draft {
        TrafficClass trafficClass;
        final int[] values = new int[Field.values().length];

        Draft(TrafficClass trafficClass) {
            this.trafficClass = trafficClass;
        }

        TrafficParameters build() {
            return new TrafficParameters(trafficClass, values[0], values[1], values[2], values[3], values[4],
                    values[5], values[6]);
        }
    }

    private final String text;
    private int pos;

    private QosText(String text) {
        this.text = text;
    }

    static Qos parse(String text) {
        if (text == null) {
            throw new InvalidQosException("text", "QoS text must not be null");
        }
        return new QosText(text).parse();
    }

    private Qos parse() {
        TrafficClass trafficClass = null;
        Aal aal = Aal.NO_AAL;
        do {
            int at = pos;
            int item = fetch(CLASS_OR_AAL);
            if (item < 0) {
                throw error("class", "expected a traffic class (ubr, cbr, rt-vbr, nrt-vbr, vbr) or an AAL (aal0, aal5)", at);
            }
            if (CLASS_OF[item] != null) {
                if (trafficClass != null) {
                    throw error("class", "the traffic class is given twice (" + trafficClass.keyword() + " and "
                            + CLASS_OR_AAL[item] + ")", at);
                }
                trafficClass = CLASS_OF[item];
            } else {
                if (aal != Aal.NO_AAL) {
                    throw error("aal", "the AAL is given twice (" + aal.keyword() + " and " + CLASS_OR_AAL[item] + ")", at);
                }
                aal = AAL_OF[item];
            }
        } while (skip(','));
        if (trafficClass == null) {
            throw error("class", "a traffic class is required (ubr, cbr, rt-vbr, nrt-vbr)", pos);
        }
        Draft tx = new Draft(trafficClass);
        Draft rx = new Draft(trafficClass);
        if (!atEnd()) {
            expectColon("after the class and AAL");
            params(tx, rx, true);
            if (!atEnd()) {
                int at = pos;
                int which = fetch("tx", "rx");
                if (which < 0) {
                    throw error("text", "expected a parameter (" + KEY_LIST + ") or tx:/rx:", at);
                }
                if (which == 0) {
                    direction(tx, "tx");
                } else {
                    pos = at;
                }
                if (!atEnd()) {
                    at = pos;
                    if (fetch("rx") != 0) {
                        throw error("text", "expected rx: after the tx list", at);
                    }
                    direction(rx, "rx");
                    if (!atEnd()) {
                        throw error("text", "unexpected text after the rx list", pos);
                    }
                }
            }
        }
        return build(tx, rx, aal);
    }

    private Qos build(Draft tx, Draft rx, Aal aal) {
        TrafficParameters t = buildDirection(tx, "tx.");
        TrafficParameters r = buildDirection(rx, "rx.");
        try {
            return new Qos(t, r, aal);
        } catch (InvalidQosException e) {
            throw e.qualified("", text, -1);
        }
    }

    private TrafficParameters buildDirection(Draft draft, String prefix) {
        try {
            return draft.build();
        } catch (InvalidQosException e) {
            throw e.qualified(prefix, text, -1);
        }
    }

    /** After {@code tx} or {@code rx}: {@code :none}, {@code :any} or a parameter list of that direction only. */
    private void direction(Draft draft, String name) {
        int at = pos;
        int item = fetch(":none", ":any");
        if (item >= 0) {
            draft.trafficClass = item == 0 ? TrafficClass.NONE : TrafficClass.ANYCLASS;
            if (name.equals("tx")) {
                skip(','); // text2qos: "if (*text == ',') text++" after tx:none
            }
            return;
        }
        expectColon("after " + name);
        if (!params(draft, null, false)) {
            throw error(name, name + ": needs a parameter list, none or any", at);
        }
    }

    /**
     * A comma-separated list of key=value items, written to {@code a} and (for the common list) {@code b}.
     * Ends at the end of the text or, leaving the position on it, at the first word that is not a key.
     *
     * @return true if at least one item was read
     */
    private boolean params(Draft a, Draft b, boolean common) {
        Set<Field> seen = EnumSet.noneOf(Field.class);
        while (true) {
            if (atEnd()) {
                throw error("text", "expected a parameter (" + KEY_LIST + ")" + (common ? " or tx:/rx:" : ""), pos);
            }
            int at = pos;
            int key = fetch(KEYS);
            if (key < 0) {
                return !seen.isEmpty();
            }
            Field field = FIELD_OF[key];
            if (!seen.add(field)) {
                throw error(field.key, field.key + " is given twice in the same list", at);
            }
            int value = switch (field) {
                case MAX_PCR, PCR -> rate(field, false, true);
                case MIN_PCR, SCR -> rate(field, true, false);
                case MBS, MAX_CDV, MAX_SDU -> integer(field);
            };
            a.values[field.ordinal()] = value;
            if (b != null) {
                b.values[field.ordinal()] = value;
            }
            if (atEnd()) {
                return true;
            }
            if (!skip(',')) {
                throw error(field.key, "expected ',' after the value of " + field.key, pos);
            }
        }
    }

    /** {@code __t2q_get_rate}: max, or number[.fraction][k|M|G unit][cps|bps]. */
    private int rate(Field field, boolean roundUp, boolean maxAllowed) {
        int at = pos;
        if (matches("max")) {
            if (!maxAllowed) {
                throw error(field.key, field.key + " may not be max", at);
            }
            pos += 3;
            return TrafficParameters.MAX_PCR;
        }
        int start = pos;
        skipDigits();
        if (pos == start) {
            throw error(field.key, field.key + " needs a rate: a number of cells/s, a bit rate such as 10Mbps, or max", at);
        }
        if (pos < text.length() && text.charAt(pos) == '.') {
            pos++;
            skipDigits();
        }
        BigDecimal number = new BigDecimal(text.substring(start, pos).endsWith(".")
                ? text.substring(start, pos - 1) : text.substring(start, pos));
        int power = 0;
        if (pos < text.length()) {
            switch (text.charAt(pos)) {
                case 'k', 'K' -> power = 3;
                case 'm', 'M' -> power = 6;
                case 'g', 'G' -> power = 9;
                default -> power = 0;
            }
        }
        if (power != 0) {
            pos++;
        }
        // libatm truncates the number (times the multiplier) to a whole number before converting units.
        BigDecimal whole = number.scaleByPowerOfTen(power).setScale(0, RoundingMode.DOWN);
        BigDecimal cells;
        if (matches("cps")) {
            pos += 3;
            cells = whole;
        } else if (matches("bps")) {
            pos += 3;
            cells = whole.divide(BigDecimal.valueOf(BITS_PER_CELL_PAYLOAD), 0, roundUp ? RoundingMode.CEILING : RoundingMode.FLOOR);
        } else if (power != 0) {
            throw error(field.key, "a multiplier (k, M, G) needs a unit: cps or bps", pos);
        } else {
            cells = whole;
        }
        if (cells.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) > 0) {
            throw error(field.key, field.key + " exceeds " + Integer.MAX_VALUE + " cells/s", at);
        }
        return cells.intValueExact();
    }

    private int integer(Field field) {
        int at = pos;
        skipDigits();
        if (pos == at) {
            throw error(field.key, field.key + " needs a whole decimal number", at);
        }
        String digits = text.substring(at, pos);
        if (digits.length() > 10 || Long.parseLong(digits) > Integer.MAX_VALUE) {
            throw error(field.key, field.key + " exceeds " + Integer.MAX_VALUE, at);
        }
        return Integer.parseInt(digits);
    }

    /** {@code __atmlib_fetch}: the longest candidate the text continues with, ignoring case; -1 if none. */
    private int fetch(String... candidates) {
        int best = -1;
        for (int i = 0; i < candidates.length; i++) {
            if (matches(candidates[i]) && (best < 0 || candidates[i].length() > candidates[best].length())) {
                best = i;
            }
        }
        if (best >= 0) {
            pos += candidates[best].length();
        }
        return best;
    }

    private boolean matches(String word) {
        return text.regionMatches(true, pos, word, 0, word.length());
    }

    private void skipDigits() {
        while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
            pos++;
        }
    }

    private boolean skip(char c) {
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void expectColon(String where) {
        if (!skip(':')) {
            throw error("text", "expected ':' " + where, pos);
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private InvalidQosException error(String field, String rule, int at) {
        return new InvalidQosException(field, rule, text, at);
    }

    // ---------------------------------------------------------------- formatting

    static String format(Qos qos) {
        TrafficParameters tx = qos.tx();
        TrafficParameters rx = qos.rx();
        TrafficClass principal = tx.trafficClass().carriesParameters() ? tx.trafficClass()
                : rx.trafficClass().carriesParameters() ? rx.trafficClass() : TrafficClass.ANYCLASS;
        StringBuilder b = new StringBuilder(principal.keyword());
        if (qos.aal() != Aal.NO_AAL) {
            b.append(',').append(qos.aal().keyword());
        }
        boolean txHasParameters = tx.trafficClass().carriesParameters();
        boolean rxHasParameters = rx.trafficClass().carriesParameters();
        List<String> items = new ArrayList<>(3);
        if (txHasParameters && rxHasParameters) {
            addIfAny(items, "", fields(tx, rx, true));
            addIfAny(items, "tx:", fields(tx, rx, false));
            addIfAny(items, "rx:", fields(rx, tx, false));
        } else {
            items.add(direction("tx:", tx, principal));
            items.add(direction("rx:", rx, principal));
            items.removeIf(String::isEmpty);
        }
        if (!items.isEmpty()) {
            b.append(':').append(String.join(",", items));
        }
        return b.toString();
    }

    private static String direction(String prefix, TrafficParameters tp, TrafficClass principal) {
        switch (tp.trafficClass()) {
            case NONE:
                return prefix + "none";
            case ANYCLASS:
                return principal == TrafficClass.ANYCLASS ? "" : prefix + "any";
            default:
                String list = fields(tp, null, false);
                return list.isEmpty() ? "" : prefix + list;
        }
    }

    private static void addIfAny(List<String> items, String prefix, String list) {
        if (!list.isEmpty()) {
            items.add(prefix + list);
        }
    }

    /**
     * The non-zero fields of {@code tp} as key=value items: with {@code common} those equal in {@code other},
     * otherwise those that differ from {@code other} (all of them when {@code other} is null).
     */
    private static String fields(TrafficParameters tp, TrafficParameters other, boolean common) {
        int[] mine = valuesOf(tp);
        int[] theirs = other == null ? null : valuesOf(other);
        StringBuilder b = new StringBuilder();
        for (Field f : Field.values()) {
            int v = mine[f.ordinal()];
            boolean equal = theirs != null && theirs[f.ordinal()] == v;
            if (v != TrafficParameters.UNSPECIFIED && equal == common) {
                if (b.length() > 0) {
                    b.append(',');
                }
                b.append(f.key).append('=').append(v == TrafficParameters.MAX_PCR ? "max" : Integer.toString(v));
            }
        }
        return b.toString();
    }

    private static int[] valuesOf(TrafficParameters tp) {
        return new int[] {tp.maxPcrCps(), tp.pcrCps(), tp.minPcrCps(), tp.scrCps(), tp.mbsCells(), tp.maxCdvMicros(),
            tp.maxSduBytes()};
    }

}

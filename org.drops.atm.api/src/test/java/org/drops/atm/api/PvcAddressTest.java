package org.drops.atm.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import org.drops.atm.api.PvcAddress.Option;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** text2atm's PVC syntax (ATM-FACTS §2.5) with the reserved-VCI rule for user connections. */
class PvcAddressTest {

    @ParameterizedTest(name = "{0} -> {1}.{2}.{3}")
    @CsvSource({
        "0.32, 0, 0, 32",
        "0.0.100, 0, 0, 100",
        "1.2.3000, 1, 2, 3000",
        "32767.255.65535, 32767, 255, 65535",
        "5.255.32, 5, 255, 32",
    })
    void parsesTwoOrThreeParts(String text, int itf, int vpi, int vci) {
        PvcAddress a = PvcAddress.parse(text);
        assertEquals(new PvcAddress(itf, vpi, vci), a);
        assertEquals(PvcAddress.parse(a.toString()), a);
    }

    @ParameterizedTest(name = "\"{0}\" refused: {1}")
    @CsvSource(delimiter = '|', value = {
        "''              | expected [itf.]vpi.vci",
        "1               | expected [itf.]vpi.vci",
        "1.2.3.4         | expected [itf.]vpi.vci",
        "a.b             | vpi \"a\" is not a decimal number",
        "0.01.40         | vpi \"01\" has a leading zero",
        "01.2.40         | itf \"01\" has a leading zero",
        "0.0.032         | vci \"032\" has a leading zero",
        "1..40           | vpi is empty",
        "1.2.            | vci is empty",
        ".1.40           | itf is empty",
        "+1.2.40         | itf \"+1\" is not a decimal number",
        "' 1.2.40'       | itf \" 1\" is not a decimal number",
        "0.-1.40         | vpi \"-1\" is not a decimal number",
        "32768.0.40      | itf 32768 exceeds 32767",
        "0.256.40        | vpi 256 exceeds 255 (UNI",
        "0.0.65536       | vci 65536 exceeds 65535",
        "0.0.99999999999 | vci 99999999999 is too large",
        "0.0.5           | vci 5 is reserved",
        "0.5             | vci 5 is reserved",
        "0.0.31          | vci 31 is reserved",
        "0.0.0           | vci 0 is reserved",
        "0.1.0           | VCI 0 is invalid on VPI 1",
    })
    void refusesWithTheRuleNamed(String text, String rule) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PvcAddress.parse(text));
        assertTrue(e.getMessage().contains(rule), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + text + "\""), "names the input: " + e.getMessage());
    }

    @Test
    void nniAllowsTwelveBitVpis() {
        assertEquals(4095, PvcAddress.parse("0.4095.40", Option.NNI).vpi());
        assertThrows(IllegalArgumentException.class, () -> PvcAddress.parse("0.4095.40"));
        assertThrows(IllegalArgumentException.class, () -> PvcAddress.parse("0.4096.40", Option.NNI));
    }

    @Test
    void reservedVcisOnlyWhenAskedFor() {
        PvcAddress signalling = PvcAddress.parse("0.0.5", Option.ALLOW_RESERVED);
        assertTrue(signalling.isReserved());
        assertEquals(0, PvcAddress.parse("0.0.0", Option.ALLOW_RESERVED).vci());
        assertFalse(PvcAddress.parse("0.0.32").isReserved());
        assertThrows(IllegalArgumentException.class, () -> PvcAddress.of(0, 0, 16));
        assertThrows(IllegalArgumentException.class, () -> PvcAddress.of(0, 300, 40));
        assertEquals(new PvcAddress(0, 0, 16), new PvcAddress(0, 0, 16), "the record itself may name reserved VCs");
    }

    @Test
    void constructorChecksRanges() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PvcAddress(-1, 0, 40)).getMessage().startsWith("itf"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PvcAddress(0, 4096, 40)).getMessage().startsWith("vpi"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new PvcAddress(0, 0, 65536)).getMessage().startsWith("vci"));
    }

    @Test
    void ordersByInterfaceThenVpiThenVci() {
        assertTrue(PvcAddress.parse("0.1.40").compareTo(PvcAddress.parse("1.0.40")) < 0);
        assertTrue(PvcAddress.parse("0.1.40").compareTo(PvcAddress.parse("0.1.41")) < 0);
        assertEquals(0, PvcAddress.parse("0.40").compareTo(PvcAddress.parse("0.0.40")));
    }

    @Property
    void everyUserAddressRoundTripsThroughText(@ForAll @IntRange(max = 32767) int itf,
            @ForAll @IntRange(max = 255) int vpi, @ForAll @IntRange(min = 32, max = 65535) int vci) {
        PvcAddress a = PvcAddress.of(itf, vpi, vci);
        assertEquals(a, PvcAddress.parse(a.toString()));
        assertEquals(new PvcAddress(0, vpi, vci), PvcAddress.parse(vpi + "." + vci), "two parts mean interface 0");
    }

    @Property(tries = 3000)
    void arbitraryTextParsesOrFailsWithIllegalArgument(
            @ForAll @StringLength(max = 20) @Chars({'0', '1', '2', '3', '5', '9', '.', '-', '+', 'x', ' ', '*', '?'}) String text) {
        try {
            PvcAddress a = PvcAddress.parse(text);
            assertEquals(a, PvcAddress.parse(a.toString()));
            assertFalse(a.isReserved());
        } catch (IllegalArgumentException expected) {
            assertTrue(expected.getMessage().contains(text), expected.getMessage());
        }
    }
}

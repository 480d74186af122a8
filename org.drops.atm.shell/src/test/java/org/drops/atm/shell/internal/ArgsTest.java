package org.drops.atm.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ArgsTest {

    static final String USAGE = "atm:x <a> [b] [-c n] [-b]";

    static Args parse(String... args) {
        return Args.parse("atm:x", USAGE, args, List.of("-c"), List.of("-b"));
    }

    @Test
    void optionsMayStandAnywhereAndPositionalsKeepTheirOrder() {
        Args a = parse("-c", "5", "one", "-b", "two");
        assertEquals(Optional.of("5"), a.option("-c"));
        assertTrue(a.flag("-b"));
        assertEquals(Optional.of("one"), a.positional(0));
        assertEquals(Optional.of("two"), a.positional(1));
        assertEquals(2, a.positionalCount());
    }

    @Test
    void doubleDashEndsTheOptionsAndNegativeNumbersArePositional() {
        Args a = parse("--", "-b", "-5");
        assertFalse(a.flag("-b"));
        assertEquals(Optional.of("-b"), a.positional(0));
        Args b = parse("-5");
        assertEquals(Optional.of("-5"), b.positional(0));
    }

    @Test
    void anUnknownOptionIsNamedWithTheKnownOnesAndTheUsage() {
        BadArguments e = assertThrows(BadArguments.class, () -> parse("a", "-q"));
        assertEquals("atm:x: unknown option -q (options: -c, -b)\nusage: " + USAGE, e.getMessage());
    }

    @Test
    void anOptionWithoutItsValueOrGivenTwiceIsRefused() {
        assertEquals("atm:x: -c needs a value\nusage: " + USAGE,
                assertThrows(BadArguments.class, () -> parse("a", "-c")).getMessage());
        assertTrue(assertThrows(BadArguments.class, () -> parse("-b", "-b")).getMessage().startsWith("atm:x: -b is given twice"));
    }

    @Test
    void missingAndExtraPositionalsAreNamed() {
        assertTrue(assertThrows(BadArguments.class, () -> parse().positionalCount(1, 2, "<a>", "[b]"))
                .getMessage().startsWith("atm:x: missing <a>\n"));
        assertTrue(assertThrows(BadArguments.class, () -> parse("1", "2", "3").positionalCount(1, 2, "<a>", "[b]"))
                .getMessage().startsWith("atm:x: unexpected argument \"3\"\n"));
        assertTrue(assertThrows(BadArguments.class, () -> parse("1").positionalCount(0, 0))
                .getMessage().startsWith("atm:x: unexpected argument \"1\" (it takes none)\n"));
    }

    @Test
    void aConversionFailureNamesTheOptionItsValueAndWhy() {
        BadArguments e = assertThrows(BadArguments.class, () -> parse("-c", "x").option("-c", Units::count));
        assertTrue(e.getMessage().startsWith("atm:x: -c x: not a whole number\n"), e.getMessage());
        BadArguments p = assertThrows(BadArguments.class, () -> parse().convert("pvc", "0.0.5", org.drops.atm.api.PvcAddress::parse));
        assertTrue(p.getMessage().startsWith("atm:x: pvc: PVC address \"0.0.5\": vci 5 is reserved"), p.getMessage());
    }
}

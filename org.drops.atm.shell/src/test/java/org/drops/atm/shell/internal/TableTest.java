package org.drops.atm.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void numbersAlignRightTextLeftAndNoLineEndsInBlanks() {
        String t = new Table("pvc", ">pdus", "by").row("0.0.100", 5, "shell").row("1.0.32", 12345, "").toString();
        assertEquals("""
                pvc       pdus  by
                0.0.100      5  shell
                1.0.32   12345
                """, t);
    }

    @Test
    void nullCellsPrintAsDashAndRowsMustFit() {
        assertEquals("a\n-\n", new Table("a").row((Object) null).toString());
        assertThrows(IllegalArgumentException.class, () -> new Table("a", "b").row("x"));
    }
}

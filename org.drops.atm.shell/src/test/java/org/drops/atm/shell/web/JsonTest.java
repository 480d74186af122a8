package org.drops.atm.shell.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void writesNestedValuesWithCommasAndEscapes() {
        String json = new Json().beginObject().member("a", 1).member("b", "x\"y<z>\n").name("c").beginArray()
                .value(1.5).value(Double.NaN).beginArray().value(true).endArray().endArray().endObject().toString();
        assertEquals("{\"a\":1,\"b\":\"x\\\"y\\u003cz\\u003e\\n\",\"c\":[1.50000,null,[true]]}", json);
    }
}

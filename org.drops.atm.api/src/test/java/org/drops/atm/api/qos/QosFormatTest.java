package org.drops.atm.api.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** toString writes qos2text-style text that parses back to an equal object. */
class QosFormatTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "CBR:max_pcr=11Mbps,min_pcr=10mbps,sdu=8192 | cbr:max_pcr=28645,min_pcr=26042,max_sdu=8192",
        "cbr:pcr=10Mbps                             | cbr:pcr=26041",
        "rt-vbr:pcr=100000,scr=10000,mbs=1000       | rt-vbr:pcr=100000,scr=10000,mbs=1000",
        "aal5,ubr:tx:none                           | ubr,aal5:tx:none",
        "cbr:tx:pcr=30000,rx:none                   | cbr:tx:pcr=30000,rx:none",
        "cbr:pcr=1000,sdu=100,tx:pcr=2000,rx:sdu=200 | cbr:tx:pcr=2000,max_sdu=100,rx:pcr=1000,max_sdu=200",
        "cbr:pcr=1000,sdu=100,tx:pcr=2000          | cbr:max_sdu=100,tx:pcr=2000,rx:pcr=1000",
        "ubr                                        | ubr",
        "vbr:pcr=max,scr=1,mbs=1,cdv=500            | nrt-vbr:pcr=max,scr=1,mbs=1,max_cdv=500",
        "cbr:tx:pcr=10,rx:any                       | cbr:tx:pcr=10,rx:any",
        "anyclass:rx:none                           | anyclass:rx:none",
        "anyclass                                   | anyclass",
    })
    void formatsCanonicallyAndParsesBack(String text, String expected) {
        Qos q = Qos.parse(text);
        String formatted = q.toString();
        assertEquals(expected, formatted);
        assertEquals(q, Qos.parse(formatted));
    }
}

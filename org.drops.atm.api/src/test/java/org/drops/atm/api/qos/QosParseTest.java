package org.drops.atm.api.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Linux-ATM's text2qos, as described in ATM-FACTS §2.4, with the qos(7) examples. */
class QosParseTest {

    @Test
    void qos7CbrExampleConvertsBitRatesRoundingMaxDownAndMinUp() {
        Qos q = Qos.parse("CBR:max_pcr=11Mbps,min_pcr=10mbps,sdu=8192");
        for (TrafficParameters tp : new TrafficParameters[] {q.tx(), q.rx()}) {
            assertEquals(TrafficClass.CBR, tp.trafficClass());
            assertEquals(28645, tp.maxPcrCps(), "11e6/384 = 28645.8 rounds down");
            assertEquals(26042, tp.minPcrCps(), "10e6/384 = 26041.7 rounds up");
            assertEquals(0, tp.pcrCps());
            assertEquals(8192, tp.maxSduBytes());
        }
        assertEquals(Aal.NO_AAL, q.aal());
    }

    @Test
    void pcrInBitsPerSecondRoundsDownAndIsStoredInPcrNotMaxPcr() {
        Qos q = Qos.parse("cbr:pcr=10Mbps");
        assertEquals(26041, q.tx().pcrCps());
        assertEquals(0, q.tx().maxPcrCps(), "the code stores pcr= in the pcr field, not max_pcr");
    }

    @Test
    void rtVbrExampleOfTheVbrPatch() {
        Qos q = Qos.parse("rt-vbr:pcr=100000,scr=10000,mbs=1000");
        assertEquals(TrafficClass.RT_VBR, q.tx().trafficClass());
        assertEquals(TrafficClass.RT_VBR, q.rx().trafficClass());
        assertEquals(100000, q.tx().pcrCps());
        assertEquals(10000, q.tx().scrCps());
        assertEquals(1000, q.tx().mbsCells());
    }

    @Test
    void aal5UbrWithTransmitNone() {
        Qos q = Qos.parse("aal5,ubr:tx:none");
        assertEquals(Aal.AAL5, q.aal());
        assertEquals(TrafficClass.NONE, q.tx().trafficClass());
        assertEquals(TrafficClass.UBR, q.rx().trafficClass());
    }

    @Test
    void cbrTransmitOnly() {
        Qos q = Qos.parse("cbr:tx:pcr=30000,rx:none");
        assertEquals(TrafficClass.CBR, q.tx().trafficClass());
        assertEquals(30000, q.tx().pcrCps());
        assertEquals(TrafficClass.NONE, q.rx().trafficClass());
        assertEquals(TrafficParameters.none(), q.rx());
    }

    @ParameterizedTest(name = "{0} -> pcr {1}")
    @CsvSource({
        "cbr:pcr=1000, 1000",
        "cbr:pcr=1000cps, 1000",
        "cbr:pcr=1kcps, 1000",
        "cbr:pcr=1.5kcps, 1500",
        "cbr:pcr=2.25Kcps, 2250",
        "cbr:pcr=384bps, 1",
        "cbr:pcr=767bps, 1",
        "cbr:pcr=1.5Mbps, 3906",
        "cbr:pcr=1Gbps, 2604166",
        "cbr:pcr=10Gbps, 26041666",
        "cbr:pcr=0.1Mcps, 100000",
        "cbr:pcr=1.23456789123kcps, 1234",
        "cbr:pcr=max, -1",
        "cbr:pcr=MAX, -1",
        "cbr:pcr=7.9, 7",
        "cbr:pcr=7., 7",
        "cbr:pcr=353207, 353207",
        "cbr:pcr=2147483647, 2147483647",
    })
    void rateSyntax(String text, int expectedPcr) {
        assertEquals(expectedPcr, Qos.parse(text).tx().pcrCps());
    }

    @ParameterizedTest(name = "{0} -> min_pcr {1}")
    @CsvSource({
        "cbr:min_pcr=1bps, 1",
        "cbr:min_pcr=384bps, 1",
        "cbr:min_pcr=385bps, 2",
        "cbr:min_pcr=10Mbps, 26042",
        "cbr:min_pcr=0.5bps, 0",
    })
    void minimumRatesRoundUp(String text, int expected) {
        // min_pcr=0.5bps: libatm truncates the number before converting, so 0 bits -> 0 cells (then check_tp
        // needs another rate; pcr is added below to keep the contract valid).
        Qos q = Qos.parse(expected == 0 ? text + ",pcr=1" : text);
        assertEquals(expected, q.tx().minPcrCps());
    }

    @Test
    void sustainableRateRoundsUpLikeMinPcr() {
        Qos q = Qos.parse("nrt-vbr:pcr=10Mbps,scr=385bps,mbs=10");
        assertEquals(2, q.tx().scrCps());
    }

    @Test
    void keywordsMatchCaseInsensitivelyWithLongestMatch() {
        assertEquals(TrafficClass.NRT_VBR, Qos.parse("VBR:pcr=10,scr=5,mbs=2").tx().trafficClass());
        assertEquals(TrafficClass.NRT_VBR, Qos.parse("Nrt-Vbr:pcr=10,scr=5,mbs=2").tx().trafficClass());
        assertEquals(TrafficClass.RT_VBR, Qos.parse("RT-VBR:PCR=10,SCR=5,MBS=2").tx().trafficClass());
        Qos q = Qos.parse("ubr:MAX_PCR=10,Max_Sdu=100");
        assertEquals(10, q.tx().maxPcrCps(), "max_pcr= wins over a shorter key");
        assertEquals(100, q.tx().maxSduBytes());
    }

    @Test
    void classAndAalComeInAnyOrder() {
        assertEquals(Qos.parse("aal5,cbr:pcr=5"), Qos.parse("cbr,aal5:pcr=5"));
        assertEquals(Aal.AAL0, Qos.parse("aal0,ubr").aal());
    }

    @Test
    void commonListAppliesToBothDirectionsAndDirectionListsOverride() {
        Qos q = Qos.parse("cbr:pcr=1000,sdu=100,tx:pcr=2000,rx:sdu=200");
        assertEquals(2000, q.tx().pcrCps());
        assertEquals(100, q.tx().maxSduBytes());
        assertEquals(1000, q.rx().pcrCps());
        assertEquals(200, q.rx().maxSduBytes());
    }

    @Test
    void rxListMayFollowTheCommonListDirectly() {
        Qos q = Qos.parse("cbr:pcr=1000,rx:none");
        assertEquals(1000, q.tx().pcrCps());
        assertEquals(TrafficClass.NONE, q.rx().trafficClass());
    }

    @Test
    void cdvAndMaxCdvAreSynonymsInMicroseconds() {
        assertEquals(2000, Qos.parse("cbr:pcr=1,cdv=2000").tx().maxCdvMicros());
        assertEquals(2000, Qos.parse("cbr:pcr=1,max_cdv=2000").tx().maxCdvMicros());
        assertEquals(TrafficParameters.DEFAULT_MAX_CDV_MICROS, Qos.parse("cbr:pcr=1").tx().effectiveMaxCdvMicros());
    }

    @Test
    void aDirectionSwitchedOffCarriesNoParametersFromTheCommonList() {
        Qos q = Qos.parse("cbr:pcr=100,sdu=64,tx:none");
        assertEquals(TrafficParameters.none(), q.tx());
        assertEquals(Qos.parse("cbr:tx:none,rx:pcr=100,sdu=64"), q);
    }

    @Test
    void anyclassIsAnExtensionForOneDirection() {
        Qos q = Qos.parse("cbr:tx:pcr=10,rx:any");
        assertEquals(TrafficClass.ANYCLASS, q.rx().trafficClass());
        assertEquals(TrafficClass.ANYCLASS, Qos.parse("anyclass").tx().trafficClass());
    }

    @Test
    void effectiveMaxSduDefaultsToTheAalMaximum() {
        assertEquals(65535, Qos.parse("ubr").tx().effectiveMaxSduBytes(Aal.AAL5));
        assertEquals(52, Qos.parse("aal0,ubr").tx().effectiveMaxSduBytes(Aal.AAL0));
        assertEquals(65535, Qos.parse("ubr").tx().effectiveMaxSduBytes(Aal.NO_AAL));
    }

    @Test
    void topPcrFollowsSelectTopPcr() {
        assertEquals(5, Qos.parse("cbr:pcr=5,max_pcr=9,min_pcr=1").tx().topPcrCps());
        assertEquals(9, Qos.parse("cbr:max_pcr=9,min_pcr=1").tx().topPcrCps());
        assertEquals(1, Qos.parse("cbr:max_pcr=max,min_pcr=1").tx().topPcrCps());
        assertEquals(TrafficParameters.MAX_PCR, Qos.parse("cbr:max_pcr=max").tx().topPcrCps());
    }

    // ------------------------------------------------------------------ rejections: grammar

    @ParameterizedTest(name = "\"{0}\" is refused naming {1}")
    @CsvSource(delimiter = '|', value = {
        "''                              | class",
        "aal5                            | class",
        "foo                             | class",
        "cbr,ubr:pcr=1                   | class",
        "aal5,cbr,aal0:pcr=1             | aal",
        "cbr,tx:pcr=1                    | class",
        "cbr pcr=1                       | text",
        "cbr:                            | text",
        "cbr:pcr=1,                      | text",
        "cbr:pcr=                        | pcr",
        "cbr:pcr=abc                     | pcr",
        "cbr:pcr=-5                      | pcr",
        "cbr:pcr=10M                     | pcr",
        "cbr:pcr=10Mfoo                  | pcr",
        "cbr:pcr=1k                      | pcr",
        "cbr:pcr=10x                     | pcr",
        "cbr:pcr=1;sdu=2                 | pcr",
        "cbr:pcr=2147483648              | pcr",
        "cbr:pcr=1000Gbps                | pcr",
        "cbr:min_pcr=max                 | min_pcr",
        "nrt-vbr:pcr=10,scr=max,mbs=1    | scr",
        "cbr:pcr=1,sdu=                  | max_sdu",
        "cbr:pcr=1,sdu=-1                | max_sdu",
        "cbr:pcr=1,sdu=99999999999       | max_sdu",
        "cbr:pcr=1,pcr=2                 | pcr",
        "cbr:pcr=1,sdu=5,max_sdu=6       | max_sdu",
        "cbr:pcr=1,bogus=2               | text",
        "cbr:tx                          | text",
        "cbr:tx:                         | text",
        "cbr:tx:rx:none                  | tx",
        "cbr:tx:pcr=1,foo                | text",
        "cbr:rx:none,tx:pcr=1            | text",
        "cbr:tx:pcr=1,rx:none,           | text",
        "cbr:tx:pcr=1,rx:none:x          | text",
        "cbr:tx:nothing                  | tx",
    })
    void malformedTextIsRefusedNamingTheField(String text, String field) {
        InvalidQosException e = assertThrows(InvalidQosException.class, () -> Qos.parse(text));
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(text, e.text());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
        assertTrue(e.position() >= 0 && e.position() <= text.length(), "position " + e.position());
    }

    @Test
    void nullTextIsRefused() {
        assertEquals("text", assertThrows(InvalidQosException.class, () -> Qos.parse(null)).field());
    }

    @Test
    void errorMessageShowsTextAndOffset() {
        InvalidQosException e = assertThrows(InvalidQosException.class, () -> Qos.parse("cbr:pcr=10M"));
        assertEquals("pcr: a multiplier (k, M, G) needs a unit: cps or bps in \"cbr:pcr=10M\" at offset 11", e.getMessage());
    }

    @Test
    void libatmQuirkTrailingCommaAfterTxNoneIsAccepted() {
        // text2qos skips one ',' after tx:none and then accepts the end of the text.
        assertEquals(Qos.parse("cbr:tx:none,rx:pcr=1"), Qos.parse("cbr:pcr=1,tx:none,"));
    }

    // ------------------------------------------------------------------ rejections: check_qos and ours

    @ParameterizedTest(name = "\"{0}\" is refused naming {1}")
    @CsvSource(delimiter = '|', value = {
        "cbr                                | tx.pcr",
        "cbr:sdu=100                        | tx.pcr",
        "cbr:tx:pcr=1                       | rx.pcr",
        "rt-vbr:scr=10,mbs=5                | tx.pcr",
        "cbr:max_pcr=10,min_pcr=20          | tx.min_pcr",
        "cbr:tx:pcr=5,rx:max_pcr=10,min_pcr=20 | rx.min_pcr",
        "cbr:tx:none,rx:none                | class",
        "ubr:tx:none,rx:none                | class",
        "abr:pcr=100                        | tx.class",
        "cbr:pcr=1,sdu=65536                | tx.max_sdu",
        "aal0,cbr:pcr=1,sdu=53              | tx.max_sdu",
        "aal5,cbr:pcr=1,rx:sdu=70000        | rx.max_sdu",
        "rt-vbr:pcr=100,mbs=5               | tx.scr",
        "nrt-vbr:pcr=100,scr=10             | tx.mbs",
        "rt-vbr:pcr=100,scr=200,mbs=5       | tx.scr",
        "cbr:pcr=100,scr=10                 | tx.scr",
        "ubr:mbs=10                         | tx.mbs",
    })
    void invalidContractsAreRefusedNamingTheFieldAndRule(String text, String field) {
        InvalidQosException e = assertThrows(InvalidQosException.class, () -> Qos.parse(text));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.rule().length() > 10, "the rule is stated: " + e.rule());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }

    @Test
    void checkTpAllowsPcrOutsideMinAndMax() {
        // "We allow pcr to be outside [min_pcr,max_pcr], because later adjustment may still push it in."
        Qos q = Qos.parse("cbr:pcr=5,min_pcr=10,max_pcr=20");
        assertEquals(5, q.tx().pcrCps());
    }

    @Test
    void minAboveMaxIsAllowedWhenMaxIsTheLinkRate() {
        assertEquals(TrafficParameters.MAX_PCR, Qos.parse("cbr:max_pcr=max,min_pcr=20").tx().maxPcrCps());
    }

    @Test
    void classesMustMatchUnlessOneIsNoneOrAnyclass() {
        TrafficParameters cbr = TrafficParameters.cbr(100, 0);
        TrafficParameters ubr = TrafficParameters.ubr();
        InvalidQosException e = assertThrows(InvalidQosException.class, () -> new Qos(cbr, ubr, Aal.AAL5));
        assertEquals("rx.class", e.field());
        TrafficParameters any = new TrafficParameters(TrafficClass.ANYCLASS, 0, 0, 0, 0, 0, 0, 0);
        assertEquals(TrafficClass.ANYCLASS, new Qos(cbr, any, Aal.AAL5).rx().trafficClass());
        assertEquals(TrafficClass.NONE, new Qos(cbr, TrafficParameters.none(), Aal.AAL5).rx().trafficClass());
    }

    @Test
    void programmaticContractsAreValidatedToo() {
        InvalidQosException e = assertThrows(InvalidQosException.class,
                () -> TrafficParameters.builder(TrafficClass.CBR).pcrCps(-7).build());
        assertEquals("pcr", e.field());
        assertEquals("min_pcr", assertThrows(InvalidQosException.class,
                () -> TrafficParameters.builder(TrafficClass.CBR).minPcrCps(TrafficParameters.MAX_PCR).build()).field());
        assertEquals("max_cdv", assertThrows(InvalidQosException.class,
                () -> TrafficParameters.builder(TrafficClass.UBR).maxCdvMicros(-1).build()).field());
        assertEquals("class", assertThrows(InvalidQosException.class,
                () -> new TrafficParameters(null, 0, 0, 0, 0, 0, 0, 0)).field());
        assertEquals("aal", assertThrows(InvalidQosException.class,
                () -> new Qos(TrafficParameters.ubr(), TrafficParameters.ubr(), null)).field());
    }
}

package org.drops.atm.api.qos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.StringLength;

/** Properties of the QoS text codec over wide inputs. */
class QosPropertiesTest {

    private static final TrafficClass[] CLASSES = {TrafficClass.UBR, TrafficClass.CBR, TrafficClass.RT_VBR, TrafficClass.NRT_VBR};

    @Property(tries = 3000)
    void everyValidContractFormatsToTextThatParsesBackEqual(@ForAll("contracts") Qos qos) {
        String text = qos.toString();
        assertEquals(qos, Qos.parse(text), text);
    }

    @Property(tries = 1000)
    void keywordsAndUnitsAreCaseInsensitive(@ForAll("contracts") Qos qos) {
        String text = qos.toString();
        assertEquals(qos, Qos.parse(text.toUpperCase(Locale.ROOT)), text);
    }

    @Property(tries = 3000)
    void arbitraryTextEitherParsesToARoundTrippingContractOrFailsWithANamedField(
            @ForAll @StringLength(max = 48) @Chars({'a', 'b', 'c', 'r', 'u', 'v', 't', 'x', 'n', 'o', 'e', 'l', '0', '5',
                'p', 'm', 'i', 's', 'd', 'k', 'M', 'G', 'y', '_', '=', ':', ',', '.', '-', '1', '9', ' '}) String text) {
        assertParsesOrFailsCleanly(text);
    }

    @Property(tries = 5000)
    void mutatedValidTextEitherParsesOrFailsWithANamedField(@ForAll("contracts") Qos qos, @ForAll long seed) {
        Random random = new Random(seed);
        StringBuilder b = new StringBuilder(qos.toString());
        int edits = 1 + random.nextInt(3);
        String alphabet = "abcrutxnoelpmisdkMGy_=:,.-0159";
        for (int i = 0; i < edits && b.length() > 0; i++) {
            int at = random.nextInt(b.length());
            switch (random.nextInt(3)) {
                case 0 -> b.deleteCharAt(at);
                case 1 -> b.insert(at, alphabet.charAt(random.nextInt(alphabet.length())));
                default -> b.setCharAt(at, alphabet.charAt(random.nextInt(alphabet.length())));
            }
        }
        assertParsesOrFailsCleanly(b.toString());
    }

    @Property
    void bitRatesConvertAt384BitsPerCellRoundingDownForPeakAndUpForMinimum(
            @ForAll @LongRange(min = 384, max = 384L * Integer.MAX_VALUE) long bitsPerSecond) {
        Qos q = Qos.parse("cbr:pcr=" + bitsPerSecond + "bps,min_pcr=" + bitsPerSecond + "bps");
        assertEquals(bitsPerSecond / 384, q.tx().pcrCps());
        assertEquals((bitsPerSecond + 383) / 384, q.tx().minPcrCps());
        assertEquals(CellRates.fromPayloadBitsPerSecond(bitsPerSecond, false), q.tx().pcrCps());
        assertEquals(CellRates.fromPayloadBitsPerSecond(bitsPerSecond, true), q.tx().minPcrCps());
    }

    @Property
    void multipliersArePowersOfAThousand(@ForAll @IntRange(min = 1, max = 2000) int n) {
        assertEquals(n * 1000, Qos.parse("cbr:pcr=" + n + "kcps").tx().pcrCps());
        assertEquals(Math.floorDiv(n * 1_000_000L, 384), Qos.parse("cbr:pcr=" + n + "Mbps").tx().pcrCps());
    }

    private static void assertParsesOrFailsCleanly(String text) {
        Qos parsed;
        try {
            parsed = Qos.parse(text);
        } catch (InvalidQosException e) {
            assertNotNull(e.field());
            assertNotNull(e.rule());
            assertTrue(e.position() >= -1 && e.position() <= text.length(), "position " + e.position());
            assertTrue(e.getMessage().startsWith(e.field() + ": "), e.getMessage());
            return;
        }
        assertEquals(parsed, Qos.parse(parsed.toString()), text + " -> " + parsed);
    }

    @Provide
    Arbitrary<Qos> contracts() {
        return Arbitraries.randomValue(QosPropertiesTest::randomQos);
    }

    static Qos randomQos(Random r) {
        Aal aal = switch (r.nextInt(4)) {
            case 0 -> Aal.AAL0;
            case 1 -> Aal.AAL5;
            default -> Aal.NO_AAL;
        };
        TrafficClass c = CLASSES[r.nextInt(CLASSES.length)];
        TrafficParameters tx = randomParameters(r, c, aal);
        TrafficParameters rx = switch (r.nextInt(6)) {
            case 0 -> tx;
            case 1 -> TrafficParameters.none();
            case 2 -> new TrafficParameters(TrafficClass.ANYCLASS, 0, 0, 0, 0, 0, 0, 0);
            case 3 -> tx.toBuilder().maxSduBytes(randomSdu(r, aal)).build();
            default -> randomParameters(r, c, aal);
        };
        if (r.nextBoolean()) {
            return new Qos(rx, tx, aal);
        }
        if (r.nextInt(10) == 0) {
            return new Qos(TrafficParameters.none(), new TrafficParameters(TrafficClass.ANYCLASS, 0, 0, 0, 0, 0, 0, 0), aal);
        }
        return new Qos(tx, rx, aal);
    }

    private static TrafficParameters randomParameters(Random r, TrafficClass c, Aal aal) {
        int maxPcr = randomRate(r, true);
        int pcr = randomRate(r, true);
        int minPcr = randomRate(r, false);
        if (c != TrafficClass.UBR && maxPcr == 0 && pcr == 0 && minPcr == 0) {
            pcr = 1 + r.nextInt(Integer.MAX_VALUE - 1);
        }
        if (minPcr > 0 && maxPcr > 0 && minPcr > maxPcr) {
            int t = minPcr;
            minPcr = maxPcr;
            maxPcr = t;
        }
        TrafficParameters.Builder b = TrafficParameters.builder(c).maxPcrCps(maxPcr).pcrCps(pcr).minPcrCps(minPcr)
                .maxCdvMicros(r.nextBoolean() ? 0 : r.nextInt(10_000_000)).maxSduBytes(randomSdu(r, aal));
        if (c.isVariableBitRate()) {
            int peak = TrafficParameters.builder(TrafficClass.CBR).maxPcrCps(maxPcr).pcrCps(pcr).minPcrCps(minPcr).build()
                    .topPcrCps();
            int ceiling = peak == TrafficParameters.MAX_PCR ? Integer.MAX_VALUE : peak;
            b.scrCps(1 + r.nextInt(ceiling)).mbsCells(1 + r.nextInt(100_000));
        }
        return b.build();
    }

    private static int randomRate(Random r, boolean maxAllowed) {
        return switch (r.nextInt(4)) {
            case 0 -> 0;
            case 1 -> maxAllowed ? TrafficParameters.MAX_PCR : 0;
            case 2 -> 1 + r.nextInt(400_000);
            default -> 1 + r.nextInt(Integer.MAX_VALUE - 1);
        };
    }

    private static int randomSdu(Random r, Aal aal) {
        return r.nextBoolean() ? 0 : r.nextInt(aal == Aal.AAL0 ? 53 : 65536);
    }
}

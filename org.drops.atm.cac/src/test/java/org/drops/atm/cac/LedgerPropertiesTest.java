package org.drops.atm.cac;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import org.drops.atm.api.AdmissionException;
import org.drops.atm.api.PvcAddress;
import org.drops.atm.api.Resource;
import org.drops.atm.api.admission.AdmissionRequest;
import org.drops.atm.api.admission.AdmissionState;
import org.drops.atm.api.admission.Reservation;
import org.drops.atm.api.admission.ResourceState;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.Qos;
import org.drops.atm.api.qos.TrafficClass;
import org.drops.atm.api.qos.TrafficParameters;

/**
 * Random interleavings of admissions and releases against the books. Limits are tight (512 KiB of buffers, a CPU
 * model fifty times slower than this machine, a best-effort reserve) so that every resource binds in some runs.
 */
class LedgerPropertiesTest {

    private static final AdmissionSettings TIGHT = Fixtures.settings(10_000, 512 * 1024, 65535, 2, 4, 0.8);
    /** 20 µs + 60 ns per byte: a full OC-3 line of 8192-byte SDUs would need more than one processor. */
    private static final org.drops.atm.api.admission.CpuModel SLOW_CPU = Fixtures.cpu(20_000, 60, 20_000, 60);
    private static final int[] SDU_SIZES = {40, 576, 1500, 8192, 9180, 65535};

    /** One step: admit a request, or release the held reservation at {@code index % held}. */
    sealed interface Step permits Admit, Release {
    }

    record Admit(AdmissionRequest request) implements Step {
    }

    record Release(int index, boolean twice) implements Step {
    }

    @Property(tries = 300)
    void interleavingsNeverExceedACapacityAndReleasingEverythingRestoresItExactly(
            @ForAll("steps") List<Step> steps) {
        Ledger ledger = Fixtures.ledger(TIGHT, SLOW_CPU);
        List<AdmissionState> empty = ledger.states();
        List<Reservation> held = new ArrayList<>();
        for (Step step : steps) {
            if (step instanceof Admit admit) {
                admitChecked(ledger, admit.request(), held);
            } else if (step instanceof Release release && !held.isEmpty()) {
                Reservation r = held.remove(release.index() % held.size());
                assertTrue(ledger.release(r), "held reservation " + r.id());
                Statistics.label("outcome").collect("released");
                if (release.twice()) {
                    assertFalse(ledger.release(r), "second release of " + r.id());
                }
            }
            assertWithinCapacities(ledger);
            assertBooksEqualHeld(ledger, held);
        }
        for (Reservation r : held) {
            assertTrue(ledger.release(r));
        }
        for (Reservation r : held) {
            assertFalse(ledger.release(r));
        }
        List<AdmissionState> after = ledger.states();
        assertEquals(empty, after, "after releasing everything every account is exactly as at the start");
        for (AdmissionState state : after) {
            for (ResourceState resource : state.resources()) {
                assertEquals(0.0, resource.reserved(), resource.toString());
                assertEquals(resource.capacity(), resource.free(), resource.toString());
            }
            assertEquals(Fixtures.OC3, state.bestEffortCellsPerSecond());
        }
        AdmissionCounters counters = ledger.counters();
        assertEquals(counters.admitted(), counters.released());
        // the property means something only if every resource was refused somewhere, with and without advice
        Statistics.label("outcome").coverage(coverage -> {
            for (Resource resource : Resource.values()) {
                coverage.check(resource.toString()).count(c -> c > 10);
            }
        });
        Statistics.label("recommendation").coverage(coverage -> {
            coverage.check(true).count(c -> c > 10);
            coverage.check(false).count(c -> c > 10);
        });
    }

    @Property(tries = 200)
    void reconfiguringNeverRevokesAReservationAndLaterAdmissionsKeepTheNewLimits(
            @ForAll("steps") List<Step> before, @ForAll("steps") List<Step> after,
            @ForAll("tighter") AdmissionSettings tighter) {
        Ledger ledger = Fixtures.ledger(TIGHT, SLOW_CPU);
        List<Reservation> held = new ArrayList<>();
        for (Step step : before) {
            if (step instanceof Admit admit) {
                admitChecked(ledger, admit.request(), held);
            }
        }
        List<Reservation> old = List.copyOf(held);
        ledger.configure(tighter);
        for (Reservation r : old) {
            assertTrue(ledger.state(r.request().pvc().itf()).orElseThrow().reservations().contains(r), "revoked: " + r);
        }
        for (Step step : after) {
            if (step instanceof Admit admit) {
                try {
                    Reservation r = ledger.admit(admit.request());
                    held.add(r);
                    AdmissionState state = ledger.state(r.request().pvc().itf()).orElseThrow();
                    // what the new reservation takes fits under the new limits (others may still be over them)
                    ResourceState bandwidth = Fixtures.resource(state, Resource.BANDWIDTH);
                    assertTrue(r.bandwidthCellsPerSecond() == 0 || bandwidth.reserved() <= bandwidth.capacity(), bandwidth.toString());
                    ResourceState buffer = Fixtures.resource(state, Resource.BUFFER);
                    assertTrue(buffer.reserved() <= buffer.capacity(), buffer.toString());
                    ResourceState cpu = Fixtures.resource(state, Resource.CPU);
                    assertTrue(r.cpuUtilisation() == 0 || cpu.reserved() <= cpu.capacity() + 1e-12, cpu.toString());
                } catch (AdmissionException refused) {
                    // refusals under tighter limits are expected
                }
            } else if (step instanceof Release release && !held.isEmpty()) {
                assertTrue(ledger.release(held.remove(release.index() % held.size())));
            }
        }
        for (Reservation r : held) {
            assertTrue(ledger.release(r));
        }
        for (AdmissionState state : ledger.states()) {
            for (ResourceState resource : state.resources()) {
                assertEquals(0.0, resource.reserved(), resource.toString());
            }
        }
    }

    @Provide
    Arbitrary<AdmissionSettings> tighter() {
        return Combinators.combine(Arbitraries.longs().between(0, 353_207), Arbitraries.longs().between(0, 512 * 1024),
                Arbitraries.doubles().between(0.01, 0.8)).as((reserve, budget, limit) ->
                        Fixtures.settings(reserve, budget, 65535, 2, 4, limit));
    }

    /** Admits; on a refusal with a recommendation, shows it maximal (one cell/s more is refused) and admits it. */
    private static void admitChecked(Ledger ledger, AdmissionRequest request, List<Reservation> held) {
        try {
            held.add(ledger.admit(request));
            Statistics.label("outcome").collect("admitted");
        } catch (AdmissionException refused) {
            Statistics.label("outcome").collect(refused.resource().toString());
            Statistics.label("recommendation").collect(refused.recommended().isPresent());
            if (refused.recommended().isEmpty()) {
                return;
            }
            AdmissionRequest recommended = Fixtures.withQos(request, refused.recommended().get());
            int rate = Fixtures.reservedRate(recommended.qos(), request.direction());
            assertTrue(rate >= 1 && rate < Fixtures.reservedRate(request.qos(), request.direction()));
            try {
                ledger.admit(Fixtures.withRate(recommended, rate + 1));
                fail("recommended " + rate + " cells/s but " + (rate + 1) + " was admitted: " + refused.getMessage());
            } catch (AdmissionException expected) {
                // maximal
            }
            try {
                held.add(ledger.admit(recommended));
            } catch (AdmissionException e) {
                fail("the recommendation " + recommended.qos() + " was refused: " + e.getMessage());
            }
        }
    }

    static void assertWithinCapacities(Ledger ledger) {
        for (AdmissionState state : ledger.states()) {
            for (ResourceState resource : state.resources()) {
                assertTrue(resource.reserved() <= resource.capacity(), "itf " + state.itf() + ": " + resource);
                assertTrue(resource.reserved() >= 0, "itf " + state.itf() + ": " + resource);
            }
        }
    }

    /** The books' totals are exactly the sums of what the held reservations say they hold. */
    private static void assertBooksEqualHeld(Ledger ledger, List<Reservation> held) {
        Map<Integer, Double> bandwidth = new HashMap<>();
        double buffer = 0;
        double cpu = 0;
        for (Reservation r : held) {
            bandwidth.merge(r.request().pvc().itf(), r.bandwidthCellsPerSecond(), Double::sum);
            buffer += r.bufferBytes();
            cpu += r.cpuUtilisation();
        }
        for (AdmissionState state : ledger.states()) {
            assertEquals(bandwidth.getOrDefault(state.itf(), 0.0), Fixtures.resource(state, Resource.BANDWIDTH).reserved());
            assertEquals(buffer, Fixtures.resource(state, Resource.BUFFER).reserved());
            assertEquals(cpu, Fixtures.resource(state, Resource.CPU).reserved(), 1e-9 * (1 + held.size()));
            assertEquals(held.stream().filter(r -> r.request().pvc().itf() == state.itf()).count(),
                    state.reservations().size());
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> admit = requests().map(Admit::new);
        Arbitrary<Step> release = Combinators.combine(Arbitraries.integers().between(0, 1000), Arbitraries.of(true, false))
                .as(Release::new);
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, admit), net.jqwik.api.Tuple.of(2, release))
                .list().ofMinSize(1).ofMaxSize(80);
    }

    /** Requests on interfaces 0 and 1 (and rarely 2, which has no device), of every class, both directions. */
    @Provide
    static Arbitrary<AdmissionRequest> requests() {
        Arbitrary<Integer> itf = Arbitraries.frequency(net.jqwik.api.Tuple.of(10, 0), net.jqwik.api.Tuple.of(10, 1),
                net.jqwik.api.Tuple.of(1, 2));
        Arbitrary<Direction> direction = Arbitraries.of(Direction.class);
        Arbitrary<TrafficClass> trafficClass = Arbitraries.of(TrafficClass.CBR, TrafficClass.RT_VBR,
                TrafficClass.NRT_VBR, TrafficClass.UBR);
        Arbitrary<Integer> sdu = Arbitraries.oneOf(Arbitraries.of(java.util.Arrays.stream(SDU_SIZES).boxed().toList()), Arbitraries.integers().between(1, 65535));
        // up to a little above the line rate, so that "never fits" happens too
        Arbitrary<Integer> rate = Arbitraries.oneOf(Arbitraries.integers().between(1, 360_000),
                Arbitraries.integers().between(1, 20_000));
        Arbitrary<Integer> extraPeak = Arbitraries.integers().between(0, 200_000);
        Arbitrary<Integer> mbs = Arbitraries.integers().between(1, 5000);
        Arbitrary<Integer> cdv = Arbitraries.oneOf(Arbitraries.just(0), Arbitraries.integers().between(1, 50_000));
        return Combinators.combine(itf, direction, trafficClass, sdu, rate, extraPeak, mbs, cdv)
                .as((i, d, c, s, r, p, m, t) -> {
                    TrafficParameters.Builder b = TrafficParameters.builder(c).maxSduBytes(s).maxCdvMicros(t);
                    if (c == TrafficClass.CBR) {
                        b.pcrCps(r);
                    } else if (c.isVariableBitRate()) {
                        b.pcrCps(p == 0 ? TrafficParameters.MAX_PCR : r + p).scrCps(r).mbsCells(m);
                    }
                    TrafficParameters tp = b.build();
                    Qos qos = d == Direction.TRANSMIT ? Qos.transmit(tp) : Qos.receive(tp);
                    return new AdmissionRequest(new PvcAddress(i, 0, 100), qos, d);
                });
    }
}

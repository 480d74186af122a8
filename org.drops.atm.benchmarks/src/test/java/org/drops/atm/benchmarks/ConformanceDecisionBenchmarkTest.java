package org.drops.atm.benchmarks;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToLongFunction;
import org.junit.jupiter.api.Test;

/**
 * The benchmark measures what it says: in the conforming regime every limiter grants (almost) every decision,
 * in the saturated regime every limiter refuses (almost) every decision. A misconfigured peer or meter would
 * otherwise compare one limiter's fast path with another's slow path.
 */
class ConformanceDecisionBenchmarkTest {

    private static final int INVOCATIONS = 20_000;

    private static Map<String, ToLongFunction<ConformanceDecisionBenchmark>> limiters() {
        Map<String, ToLongFunction<ConformanceDecisionBenchmark>> m = new LinkedHashMap<>();
        m.put("intervalCreditCachedClock", ConformanceDecisionBenchmark::intervalCreditCachedClock);
        m.put("gcraCachedClock", ConformanceDecisionBenchmark::gcraCachedClock);
        m.put("intervalCreditNanoTimePerDecision", ConformanceDecisionBenchmark::intervalCreditNanoTimePerDecision);
        m.put("gcraNanoTimePerDecision", ConformanceDecisionBenchmark::gcraNanoTimePerDecision);
        m.put("guavaTryAcquire", ConformanceDecisionBenchmark::guavaTryAcquire);
        m.put("bucket4jTryConsume", ConformanceDecisionBenchmark::bucket4jTryConsume);
        m.put("resilience4jAcquirePermission", ConformanceDecisionBenchmark::resilience4jAcquirePermission);
        return m;
    }

    private static double grantedShare(String regime, ToLongFunction<ConformanceDecisionBenchmark> limiter) {
        ConformanceDecisionBenchmark b = new ConformanceDecisionBenchmark();
        b.regime = regime;
        b.setUp();
        long granted = 0;
        for (int i = 0; i < INVOCATIONS; i++) {
            granted += limiter.applyAsLong(b);
        }
        return granted / (double) (INVOCATIONS * ConformanceDecisionBenchmark.BATCH);
    }

    @Test
    void inTheConformingRegimeEveryLimiterGrants() {
        limiters().forEach((name, limiter) -> {
            double share = grantedShare("conforming", limiter);
            assertTrue(share > 0.99, name + " granted " + share);
        });
    }

    @Test
    void inTheSaturatedRegimeEveryLimiterRefuses() {
        limiters().forEach((name, limiter) -> {
            double share = grantedShare("saturated", limiter);
            assertTrue(share < 0.01, name + " granted " + share);
        });
    }
}

package org.drops.atm.benchmarks;

import io.github.bucket4j.Bucket;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.drops.atm.api.policing.Meter;
import org.drops.atm.api.policing.PolicingPolicy;
import org.drops.atm.api.qos.Aal;
import org.drops.atm.api.qos.CellRates;
import org.drops.atm.api.qos.Direction;
import org.drops.atm.api.qos.TrafficParameters;
import org.drops.atm.upc.IntervalCreditPolicy;
import org.drops.atm.upc.clock.CachedNanoClock;
import org.drops.atm.upc.clock.ClockedMeter;
import org.drops.atm.upc.gcra.GcraPolicy;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One conformance decision, <b>including however the limiter obtains the time</b>, for both policies and three
 * peer rate limiters in the same run. Every benchmark makes {@value #BATCH} decisions per invocation (so loop
 * overhead is the same for all) and reports the time per decision.
 *
 * <p>The time-taking paths:
 * <ul>
 * <li>{@code *CachedClock}: the product's path ({@link ClockedMeter}): the worker calls
 * {@link CachedNanoClock#update()} (one {@code System.nanoTime()}) when it takes a batch of PDUs, here every
 * {@value #BATCH} decisions (the paper's default interval holds 10 PDUs: a greedy writer's worker wakes once per
 * interval and sends 10); each decision uses the cached time and reads the clock again only on a "wait".</li>
 * <li>{@code *NanoTimePerDecision}: the same meter fed {@code System.nanoTime()} at every decision, as the peers
 * read their clocks.</li>
 * <li>peers: Guava {@code RateLimiter.tryAcquire(permits)}, Bucket4j {@code tryConsume(tokens)} (nanosecond
 * precision), Resilience4j {@code acquirePermission(permits)} (timeout 0); each reads {@code System.nanoTime()}
 * inside every call.</li>
 * <li>{@code nanoTime}: the clock alone, the yardstick.</li>
 * </ul>
 *
 * <p>Regimes (same contract for everyone, permits = cells):
 * <ul>
 * <li>{@code conforming}: a CBR contract of 10⁹ cells/s and max_sdu 65535 (a 13.66 µs interval of 13660 cells),
 * offered 1-cell PDUs: no limiter ever runs out, so this is the per-PDU cost on the data path of a writer
 * within its contract. A JMH loop is far faster than any real contract; only such a rate keeps every limiter on
 * its conforming path.</li>
 * <li>{@code saturated}: 8·10⁶ B/s of 8192-byte SDUs (166993 cells/s, 171-cell PDUs), offered back to back:
 * after the first interval every decision is "wait"; for the cached-clock path that includes the second clock
 * reading the worker needs anyway to time its suspension.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(3)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
public class ConformanceDecisionBenchmark {

    /** Decisions per invocation, and per clock reading on the cached-clock path. */
    public static final int BATCH = 10;

    @Param({"conforming", "saturated"})
    public String regime;

    int cells;
    CachedNanoClock clock;
    ClockedMeter intervalCreditClocked;
    ClockedMeter gcraClocked;
    Meter intervalCredit;
    Meter gcra;
    com.google.common.util.concurrent.RateLimiter guava;
    Bucket bucket4j;
    io.github.resilience4j.ratelimiter.RateLimiter resilience4j;

    @Setup
    public void setUp() {
        int cellsPerSecond;
        int maxSduBytes;
        switch (regime) {
            case "conforming":
                cellsPerSecond = 1_000_000_000; // Bucket4j refills at most a token per nanosecond
                maxSduBytes = 65_535;
                cells = 1;
                break;
            case "saturated":
                cellsPerSecond = CellRates.aal5CellsPerSecond(8_000_000, 8192);
                maxSduBytes = 8192;
                cells = CellRates.aal5CellsPerSdu(8192);
                break;
            default:
                throw new IllegalArgumentException("regime: " + regime);
        }
        TrafficParameters contract = TrafficParameters.cbr(cellsPerSecond, maxSduBytes);
        long start = System.nanoTime();
        PolicingPolicy intervalCreditPolicy = new IntervalCreditPolicy();
        PolicingPolicy gcraPolicy = new GcraPolicy();
        clock = new CachedNanoClock();
        intervalCreditClocked = new ClockedMeter(intervalCreditPolicy.newMeter(contract, Aal.AAL5, Direction.TRANSMIT, start), clock);
        gcraClocked = new ClockedMeter(gcraPolicy.newMeter(contract, Aal.AAL5, Direction.TRANSMIT, start), clock);
        intervalCredit = intervalCreditPolicy.newMeter(contract, Aal.AAL5, Direction.TRANSMIT, start);
        gcra = gcraPolicy.newMeter(contract, Aal.AAL5, Direction.TRANSMIT, start);

        // the peers get the same rate and the same burst: one interval's credit
        long burst = intervalCredit.creditCellsPerInterval();
        long intervalNanos = intervalCredit.intervalNanos();
        guava = com.google.common.util.concurrent.RateLimiter.create(cellsPerSecond);
        bucket4j = Bucket.builder()
                .addLimit(limit -> limit.capacity(burst).refillGreedy(cellsPerSecond, Duration.ofSeconds(1)))
                .withNanosecondPrecision()
                .build();
        resilience4j = io.github.resilience4j.ratelimiter.RateLimiter.of("benchmark", RateLimiterConfig.custom()
                .limitForPeriod((int) burst)
                .limitRefreshPeriod(Duration.ofNanos(intervalNanos))
                .timeoutDuration(Duration.ZERO)
                .build());
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long intervalCreditCachedClock() {
        clock.update();
        long verdicts = 0;
        for (int i = 0; i < BATCH; i++) {
            verdicts += intervalCreditClocked.conform(cells) == Meter.CONFORMING ? 1 : 0;
        }
        return verdicts;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long gcraCachedClock() {
        clock.update();
        long verdicts = 0;
        for (int i = 0; i < BATCH; i++) {
            verdicts += gcraClocked.conform(cells) == Meter.CONFORMING ? 1 : 0;
        }
        return verdicts;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long intervalCreditNanoTimePerDecision() {
        long verdicts = 0;
        for (int i = 0; i < BATCH; i++) {
            verdicts += intervalCredit.conform(System.nanoTime(), cells) == Meter.CONFORMING ? 1 : 0;
        }
        return verdicts;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long gcraNanoTimePerDecision() {
        long verdicts = 0;
        for (int i = 0; i < BATCH; i++) {
            verdicts += gcra.conform(System.nanoTime(), cells) == Meter.CONFORMING ? 1 : 0;
        }
        return verdicts;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long guavaTryAcquire() {
        long verdicts = 0;
        for (int i = 0; i < BATCH; i++) {
            verdicts += guava.tryAcquire(cells) ? 1 : 0;
        }
        return verdicts;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long bucket4jTryConsume() {
        long verdicts = 0;
        for (int i = 0; i < BATCH; i++) {
            verdicts += bucket4j.tryConsume(cells) ? 1 : 0;
        }
        return verdicts;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long resilience4jAcquirePermission() {
        long verdicts = 0;
        for (int i = 0; i < BATCH; i++) {
            verdicts += resilience4j.acquirePermission(cells) ? 1 : 0;
        }
        return verdicts;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long nanoTime() {
        long sum = 0;
        for (int i = 0; i < BATCH; i++) {
            sum += System.nanoTime();
        }
        return sum;
    }
}

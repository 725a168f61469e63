package io.settle.tools.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench's own measures: what once read 0 must not. */
class BenchMeasuresTest {

    @Test
    void aPlanCountsItsDeduplicationsUnderTheTreeIndentation() {
        String plan =
                "== Optimized Execution Plan ==\n"
                        + "Sink(table=[default_catalog.default_database.results])\n"
                        + "+- Calc(select=[settlementId])\n"
                        + "   :- Deduplicate(keep=[FirstRow], key=[eventId], order=[PROCTIME])\n"
                        + "   +- Rank(strategy=[AppendFastStrategy], rankType=[ROW_NUMBER])\n"
                        + "      +- TableSourceScan(table=[[events]], fields=[eventId])\n";
        assertThat(plan.lines().filter(l -> ThroughputParts.PLAN_DEDUP.matcher(l).find()))
                .hasSize(2);
    }

    @Test
    void cpuOverAWindowEndingNowIsMeasuredNotZero() throws Exception {
        try (Sampler sampler = new Sampler(60_000)) { // no sample of its own in this test
            sampler.start();
            double t0 = sampler.now();
            long until = System.nanoTime() + 200_000_000L;
            long spin = 0;
            while (System.nanoTime() < until) {
                spin++;
            }
            double t1 = sampler.now(); // after the last sample, as a step's end is
            assertThat(spin).isPositive();
            assertThat(sampler.coresBetween(t0, t1)).isGreaterThan(0.3);
        }
    }

    @Test
    void theJobsCpuLeavesOutTheBenchsOwnThreads() throws Exception {
        double cpuBefore = ProcessStats.cpuSeconds();
        double jobBefore = ProcessStats.jobCpuSeconds();
        Thread bench =
                new Thread(
                        () -> {
                            long until = System.nanoTime() + 300_000_000L;
                            while (System.nanoTime() < until) {
                                Thread.onSpinWait();
                            }
                        },
                        "bench-spinner");
        bench.start();
        do {
            ProcessStats.jobCpuSeconds(); // sees the bench thread while it runs
        } while (bench.isAlive() && sleep());
        bench.join();
        // What the job's CPU left out of the process's over the same time: the spinner's 0.3 s
        // (other threads of this JVM, the JIT's, the collector's, count as the job's).
        double excluded =
                (ProcessStats.cpuSeconds() - cpuBefore)
                        - (ProcessStats.jobCpuSeconds() - jobBefore);
        assertThat(excluded).isBetween(0.2, 0.45);
    }

    private static boolean sleep() {
        try {
            Thread.sleep(20);
            return true;
        } catch (InterruptedException e) {
            return false;
        }
    }
}

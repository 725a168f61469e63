package io.settle.jobs;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.metrics.Metrics;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.common.metrics.stats.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How far the source is known to have read, from a consumer's own metrics (a real Kafka {@link
 * Metrics} registry with the reporter plugged in, as the consumer does): caught up only while the
 * lag is zero, and only as of the last time the broker answered.
 */
class KafkaProgressTest {
    private static final String GROUP_METRICS = "consumer-fetch-manager-metrics";

    private Metrics metrics;
    private Sensor fetches;
    private Sensor lag0;
    private Sensor lag1;
    private String group;

    @BeforeEach
    void consumer(TestInfo test) {
        group = "progress-" + test.getDisplayName();
        metrics = new Metrics();
        KafkaProgress.Reporter reporter = new KafkaProgress.Reporter();
        reporter.configure(Map.of("group.id", group));
        metrics.addReporter(reporter);
        fetches = metrics.sensor("fetch-latency");
        fetches.add(
                new MetricName("fetch-total", GROUP_METRICS, "", Map.of("client-id", "c")),
                new CumulativeCount());
        lag0 = lag(0);
        lag1 = lag(1);
    }

    private Sensor lag(int partition) {
        Sensor s = metrics.sensor("lag-" + partition);
        s.add(
                new MetricName(
                        "records-lag",
                        GROUP_METRICS,
                        "",
                        Map.of("client-id", "c", "topic", "t", "partition", "" + partition)),
                new Value());
        return s;
    }

    @AfterEach
    void close() {
        metrics.close();
    }

    @Test
    void caughtUpAsOfTheLastResponseAndFrozenWhileTheBrokerIsSilent() {
        lag0.record(0);
        lag1.record(0);
        assertThat(KafkaProgress.caughtUpAsOf(group, "t", 0, 1_000))
                .as("no response seen yet since the first look")
                .isEqualTo(Long.MIN_VALUE);

        fetches.record();
        assertThat(KafkaProgress.caughtUpAsOf(group, "t", 0, 2_000)).isEqualTo(2_000);
        assertThat(KafkaProgress.allCaughtUpAsOf(group, 2_100)).isEqualTo(2_000);

        // The broker goes silent: the clock waits where the last answer left it.
        assertThat(KafkaProgress.caughtUpAsOf(group, "t", 0, 9_000)).isEqualTo(2_000);
        assertThat(KafkaProgress.allCaughtUpAsOf(group, 9_000)).isEqualTo(2_000);

        fetches.record();
        assertThat(KafkaProgress.caughtUpAsOf(group, "t", 1, 10_000)).isEqualTo(10_000);
    }

    @Test
    void notCaughtUpWhileRecordsWaitOrWhileFetchedRecordsAreNotEmittedYet() {
        lag0.record(0);
        lag1.record(3);
        KafkaProgress.caughtUpAsOf(group, "t", 0, 1_000);
        fetches.record();
        assertThat(KafkaProgress.caughtUpAsOf(group, "t", 0, 2_000)).isEqualTo(2_000);
        assertThat(KafkaProgress.caughtUpAsOf(group, "t", 1, 2_000)).isEqualTo(Long.MIN_VALUE);
        assertThat(KafkaProgress.allCaughtUpAsOf(group, 2_000))
                .as("one partition of the group lags")
                .isEqualTo(Long.MIN_VALUE);

        KafkaProgress.Interceptor interceptor = new KafkaProgress.Interceptor();
        interceptor.configure(Map.of("group.id", group));
        interceptor.onConsume(
                new ConsumerRecords<>(
                        Map.of(
                                new TopicPartition("t", 0),
                                List.of(new ConsumerRecord<>("t", 0, 41L, null, null))),
                        Map.of()));
        assertThat(KafkaProgress.caughtUpAsOf(group, "t", 0, 3_000))
                .as("offset 41 fetched, not emitted yet")
                .isEqualTo(Long.MIN_VALUE);
        KafkaProgress.emitted(group, "t", 0, 41L);
        assertThat(KafkaProgress.caughtUpAsOf(group, "t", 0, 3_000)).isEqualTo(2_000);
    }

    @Test
    void nothingKnownIsNotCaughtUp() {
        assertThat(KafkaProgress.caughtUpAsOf(group, "other", 0, 1_000)).isEqualTo(Long.MIN_VALUE);
        assertThat(KafkaProgress.allCaughtUpAsOf(group + "-none", 1_000)).isEqualTo(Long.MIN_VALUE);
    }
}

package io.settle.tools.bench;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyProbeTest {

    @AfterEach
    void forget() {
        LatencyProbe.CREATED.clear();
    }

    private static byte[] event(String eventTime) {
        return ("{\"eventId\":\"E1\",\"type\":\"LEG_CONFIRMED\",\"settlementId\":\"S1\","
                        + "\"eventTime\":\""
                        + eventTime
                        + "\",\"legId\":\"L1\",\"currency\":\"USD\",\"amount\":\"1.00\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsTheEventTimeOfACanonicalEvent() {
        assertThat(LatencyProbe.Interceptor.eventTimeMillis(event("2026-11-25T09:00:00.123Z")))
                .isEqualTo(Instant.parse("2026-11-25T09:00:00.123Z").toEpochMilli());
        assertThat(LatencyProbe.Interceptor.eventTimeMillis("{not json".getBytes())).isEqualTo(-1);
        assertThat(LatencyProbe.Interceptor.eventTimeMillis(null)).isEqualTo(-1);
    }

    @Test
    void notesTheCreationOfEventsStampedEarlyOnly() {
        LatencyProbe.Interceptor interceptor = new LatencyProbe.Interceptor();
        Instant early = Instant.now().minusSeconds(1);
        interceptor.onSend(new ProducerRecord<>("t", "S1", event(early.toString())));
        Instant now = Instant.now().plusSeconds(1); // stamped "now" (even a little ahead)
        interceptor.onSend(new ProducerRecord<>("t", "S2", event(now.toString())));

        Long created = LatencyProbe.CREATED.get("S1@" + early.toEpochMilli());
        assertThat(created).isNotNull();
        assertThat((double) created)
                .isCloseTo(System.currentTimeMillis(), within(5_000.0))
                .isGreaterThan(early.toEpochMilli());
        assertThat(LatencyProbe.CREATED).doesNotContainKey("S2@" + now.toEpochMilli());
    }

    @Test
    void ratesBetweenTwoMomentsOfACumulativeCount() {
        List<double[]> sent =
                List.of(new double[] {0, 0}, new double[] {10, 1_000}, new double[] {20, 3_000});
        assertThat(LivePart.rateBetween(sent, 10, 20)).isCloseTo(200, within(1e-9));
        assertThat(LivePart.rateBetween(sent, 5, 15)).isCloseTo(150, within(1e-9));
    }
}

package io.settle.jobs;

import io.settle.operators.codec.EventCodec;
import io.settle.operators.model.ReasonCode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventLinesFormatTest {
    private static final String EVENT =
            "{\"eventId\":\"c-1\",\"type\":\"LEG_CONFIRMED\",\"settlementId\":\"FX-1\",\"eventTime\":\"2026-11-25T09:05:10Z\",\"legId\":\"USD\",\"currency\":\"USD\",\"amount\":\"1000000.00\"}";

    private static List<Decoded> read(byte[] content) throws Exception {
        List<Decoded> out = new ArrayList<>();
        try (var reader =
                new EventLinesFormat.LineReader(new ByteArrayInputStream(content), "day.jsonl")) {
            Decoded d;
            while ((d = reader.read()) != null) {
                out.add(d);
            }
        }
        return out;
    }

    @Test
    void numbersPhysicalLinesFromOneSkippingBlankLinesAndDroppingCarriageReturns()
            throws Exception {
        String text =
                EVENT + "\r\n" + "\n" + "   \n" + "{not json}\n" + EVENT.replace("c-1", "c-2");
        List<Decoded> records = read(text.getBytes(StandardCharsets.UTF_8));
        assertThat(records).hasSize(3);
        assertThat(records.get(0).getEvent().getOrigin().getLine()).isEqualTo(1L);
        assertThat(records.get(1).getDeadLetter().getReason()).isEqualTo(ReasonCode.MALFORMED_JSON);
        assertThat(records.get(1).getDeadLetter().getOrigin().getLine()).isEqualTo(4L);
        assertThat(records.get(1).getDeadLetter().getOrigin().getFile()).isEqualTo("day.jsonl");
        assertThat(records.get(2).getEvent().getEventId()).isEqualTo("c-2");
        assertThat(records.get(2).getEvent().getOrigin().getLine()).isEqualTo(5L);
    }

    @Test
    void aHugeLineIsTooLargeWithoutBeingHeldAndTheNextLineStillReads() throws Exception {
        ByteArrayOutputStream content = new ByteArrayOutputStream();
        byte[] huge =
                ("{\"pad\":\"" + "x".repeat(3 * EventCodec.MAX_RECORD_BYTES) + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
        content.write(huge);
        content.write('\n');
        content.write(EVENT.getBytes(StandardCharsets.UTF_8));
        List<Decoded> records = read(content.toByteArray());
        assertThat(records.get(0).getDeadLetter().getRawSha256())
                .as("the hash of the whole line, fed as it streamed past")
                .isEqualTo(EventCodec.sha256(huge, huge.length));
        assertThat(records).hasSize(2);
        assertThat(records.get(0).getDeadLetter().getReason()).isEqualTo(ReasonCode.TOO_LARGE);
        assertThat(records.get(0).getDeadLetter().getRawBytes())
                .isEqualTo(3 * EventCodec.MAX_RECORD_BYTES + 10);
        assertThat(records.get(0).getDeadLetter().isRawTruncated()).isTrue();
        assertThat(records.get(1).getEvent().getOrigin().getLine()).isEqualTo(2L);
    }

    @Test
    void aLineThatIsNotUtf8IsADeadLetterInBase64() throws Exception {
        byte[] content = {'{', (byte) 0xC3, (byte) 0x28, '}', '\n'};
        List<Decoded> records = read(content);
        assertThat(records).hasSize(1);
        assertThat(records.get(0).getDeadLetter().getEncoding()).isEqualTo("base64");
        assertThat(records.get(0).getDeadLetter().getOrigin().getLine()).isEqualTo(1L);
    }

    /** An input stream that hands out at most {@code chunk} bytes per read. */
    private static final class Trickle extends java.io.FilterInputStream {
        private final int chunk;

        Trickle(byte[] content, int chunk) {
            super(new ByteArrayInputStream(content));
            this.chunk = chunk;
        }

        @Override
        public int read(byte[] b, int off, int len) throws java.io.IOException {
            return super.read(b, off, Math.min(len, chunk));
        }
    }

    @Test
    void linesCutAcrossReadsOfAnySizeReadTheSame() throws Exception {
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 2_000; i++) {
            String id = "e-" + i;
            expected.add(id);
            String pad = "{\"pad\":\"" + "x".repeat(random.nextInt(300)) + "\",";
            text.append(EVENT.replace("c-1", id).replaceFirst("\\{", pad))
                    .append(random.nextBoolean() ? "\r\n" : "\n");
        }
        byte[] content = text.toString().getBytes(StandardCharsets.UTF_8);
        for (int chunk : new int[] {1, 7, 500, 70_000}) {
            List<String> ids = new ArrayList<>();
            try (var reader =
                    new EventLinesFormat.LineReader(new Trickle(content, chunk), "day.jsonl")) {
                Decoded d;
                while ((d = reader.read()) != null) {
                    assertThat(d.getEvent()).as("chunk %d", chunk).isNotNull();
                    assertThat(d.getEvent().getOrigin().getLine()).isEqualTo(ids.size() + 1L);
                    ids.add(d.getEvent().getEventId());
                }
            }
            assertThat(ids).as("chunk %d", chunk).isEqualTo(expected);
        }
    }
}

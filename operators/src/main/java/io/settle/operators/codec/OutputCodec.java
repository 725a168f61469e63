package io.settle.operators.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.Origin;
import io.settle.operators.model.SettlementResult;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/**
 * The job's output records as JSON, one object per record, fields in the contract's order (contract
 * §3). Instants are written in UTC ({@code Instant.toString()}). Thread-safe.
 */
public final class OutputCodec {
    private final JsonFactory json = new JsonFactory();

    public String result(SettlementResult r) {
        return write(
                g -> {
                    g.writeStringField("resultId", r.getResultId());
                    g.writeStringField("settlementId", r.getSettlementId());
                    g.writeStringField("status", r.getStatus().name());
                    instant(g, "bookedAt", r.getBookedAt());
                    instant(g, "endedAt", r.getEndedAt());
                    instant(g, "deadline", r.getDeadline());
                    g.writeBooleanField("breached", r.isBreached());
                    g.writeNumberField("legs", r.getLegs());
                    g.writeNumberField("eventsApplied", r.getEventsApplied());
                    strings(g, "parties", r.getParties());
                    strings(g, "currencies", r.getCurrencies());
                });
    }

    public String alert(Alert a) {
        return write(
                g -> {
                    g.writeStringField("alertId", a.getAlertId());
                    g.writeStringField("type", a.getType().name());
                    g.writeStringField("severity", a.getSeverity().name());
                    g.writeStringField("settlementId", a.getSettlementId());
                    instant(g, "at", a.getAt());
                    g.writeStringField("detail", a.getDetail());
                });
    }

    public String openBook(OpenBookEntry o) {
        return write(
                g -> {
                    g.writeStringField("settlementId", o.getSettlementId());
                    g.writeStringField("status", o.getStatus().name());
                    instant(g, "bookedAt", o.getBookedAt());
                    instant(g, "deadline", o.getDeadline());
                    if (o.getLegs() == null) {
                        g.writeNullField("legs");
                    } else {
                        g.writeNumberField("legs", o.getLegs());
                    }
                    g.writeNumberField("legsConfirmed", o.getLegsConfirmed());
                    g.writeNumberField("eventsApplied", o.getEventsApplied());
                    g.writeNumberField("eventsWaiting", o.getEventsWaiting());
                    strings(g, "parties", o.getParties());
                    strings(g, "currencies", o.getCurrencies());
                });
    }

    public String deadLetter(DeadLetter d) {
        return write(
                g -> {
                    g.writeStringField("reason", d.getReason().name());
                    g.writeStringField("message", d.getMessage());
                    g.writeStringField("raw", d.getRaw());
                    if (d.getEncoding() != null) {
                        g.writeStringField("encoding", d.getEncoding());
                    }
                    g.writeNumberField("rawBytes", d.getRawBytes());
                    if (d.isRawTruncated()) {
                        g.writeBooleanField("rawTruncated", true);
                    }
                    g.writeStringField("rawSha256", d.getRawSha256());
                    if (d.getSettlementId() != null) {
                        g.writeStringField("settlementId", d.getSettlementId());
                    }
                    if (d.getEventId() != null) {
                        g.writeStringField("eventId", d.getEventId());
                    }
                    origin(g, d.getOrigin());
                });
    }

    private static void origin(JsonGenerator g, Origin o) throws IOException {
        if (o == null) {
            g.writeNullField("origin");
            return;
        }
        g.writeObjectFieldStart("origin");
        if (o.getFile() != null) {
            g.writeStringField("file", o.getFile());
            g.writeNumberField("line", o.getLine());
        } else {
            g.writeStringField("topic", o.getTopic());
            g.writeNumberField("partition", o.getPartition());
            g.writeNumberField("offset", o.getOffset());
        }
        g.writeEndObject();
    }

    private static void instant(JsonGenerator g, String name, Instant value) throws IOException {
        if (value == null) {
            g.writeNullField(name);
        } else {
            g.writeStringField(name, Instants.format(value));
        }
    }

    private static void strings(JsonGenerator g, String name, List<String> values)
            throws IOException {
        if (values == null) {
            g.writeNullField(name);
            return;
        }
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    private interface Fields {
        void write(JsonGenerator g) throws IOException;
    }

    private String write(Fields fields) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            fields.write(g);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}

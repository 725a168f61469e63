package io.settle.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the job's output records (contract §3, as {@code OutputCodec} writes them) into {@link
 * ReportRecord}s and places them in or out of the period: results by {@code endedAt}, alerts by
 * {@code at}, dead letters by their Kafka record time (in replay every dead letter is in), the open
 * book always. A record that is not what its kind should be is unreadable, never an error.
 */
public final class OutputDecoder {
    private final ObjectMapper json = new ObjectMapper();
    private final ReportSettings settings;

    public OutputDecoder(ReportSettings settings) {
        this.settings = settings;
    }

    public ReportRecord decode(RawOutput raw) {
        ReportRecord r;
        try {
            JsonNode node = raw.getText() == null ? null : json.readTree(raw.getText());
            if (node == null || !node.isObject()) {
                return ReportRecord.unreadable(raw.getKind());
            }
            r = fields(raw, node);
        } catch (IOException | RuntimeException e) {
            return ReportRecord.unreadable(raw.getKind());
        }
        r.kind = raw.getKind();
        r.readable = true;
        r.inPeriod = inPeriod(r);
        return r;
    }

    private boolean inPeriod(ReportRecord r) {
        switch (r.kind) {
            case RESULT:
            case ALERT:
                return settings.inPeriod(r.at);
            case DEAD_LETTER:
                return !settings.deadLettersTimed() || r.at == null || settings.inPeriod(r.at);
            default:
                return true;
        }
    }

    private static ReportRecord fields(RawOutput raw, JsonNode n) {
        ReportRecord r = new ReportRecord();
        switch (raw.getKind()) {
            case RESULT:
                r.id = text(n, "resultId", true);
                r.settlementId = text(n, "settlementId", true);
                r.status = oneOf(text(n, "status", true), "SETTLED", "CANCELLED", "EXPIRED");
                r.bookedAt = instant(n, "bookedAt", true);
                r.at = instant(n, "endedAt", true);
                r.deadline = instant(n, "deadline", true);
                r.breached = bool(n, "breached");
                r.legs = integer(n, "legs");
                r.parties = strings(n, "parties");
                r.currencies = strings(n, "currencies");
                break;
            case ALERT:
                r.id = text(n, "alertId", true);
                r.settlementId = text(n, "settlementId", true);
                r.type = text(n, "type", true);
                r.severity = oneOf(text(n, "severity", true), "WARNING", "CRITICAL");
                r.at = instant(n, "at", true);
                break;
            case DEAD_LETTER:
                r.reason = text(n, "reason", true);
                r.settlementId = text(n, "settlementId", false);
                r.at =
                        raw.getRecordTime() == RawOutput.NO_TIME || raw.getRecordTime() < 0
                                ? null
                                : Instant.ofEpochMilli(raw.getRecordTime());
                break;
            case OPEN:
                r.settlementId = text(n, "settlementId", true);
                r.status = oneOf(text(n, "status", true), "OPEN", "AWAITING_BOOKING");
                r.bookedAt = instant(n, "bookedAt", false);
                r.deadline = instant(n, "deadline", false);
                r.legs = integer(n, "legs");
                r.legsConfirmed = integer(n, "legsConfirmed");
                r.eventsWaiting = integer(n, "eventsWaiting");
                r.parties = strings(n, "parties");
                r.currencies = strings(n, "currencies");
                break;
            default:
                throw new IllegalArgumentException("no kind");
        }
        return r;
    }

    private static String text(JsonNode n, String field, boolean required) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new IllegalArgumentException("missing " + field);
            }
            return null;
        }
        if (!v.isTextual() || v.asText().isEmpty()) {
            throw new IllegalArgumentException(field + " is not a string");
        }
        return v.asText();
    }

    private static String oneOf(String value, String... allowed) {
        for (String a : allowed) {
            if (a.equals(value)) {
                return value;
            }
        }
        throw new IllegalArgumentException("unexpected value " + value);
    }

    private static Instant instant(JsonNode n, String field, boolean required) {
        String t = text(n, field, required);
        try {
            return t == null ? null : Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " is not an instant");
        }
    }

    private static boolean bool(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isBoolean()) {
            throw new IllegalArgumentException(field + " is not a boolean");
        }
        return v.booleanValue();
    }

    private static Integer integer(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || !v.canConvertToInt() || !v.isIntegralNumber() ? null : v.intValue();
    }

    private static List<String> strings(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>(v.size());
        v.forEach(e -> out.add(e.asText()));
        return out;
    }
}

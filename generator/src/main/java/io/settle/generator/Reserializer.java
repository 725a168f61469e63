package io.settle.generator;

import io.settle.operators.model.Leg;
import io.settle.operators.model.Money;
import io.settle.operators.model.SettlementEvent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Writes an event's content the way another system might re-send it: fields and legs in another
 * order, other blanks, amounts with fewer trailing zeros ({@code "5.0"} for {@code "5.00"}),
 * instants at another UTC offset or with explicit milliseconds, optional fields as explicit nulls,
 * unknown fields. The contract reads every one of them as the same content.
 */
final class Reserializer {
    private static final ZoneOffset[] OFFSETS = {
        ZoneOffset.of("+05:30"),
        ZoneOffset.of("-03:00"),
        ZoneOffset.of("+01:00"),
        ZoneOffset.of("+09:00"),
        ZoneOffset.of("-11:00"),
        ZoneOffset.of("+14:00"),
        ZoneOffset.UTC
    };
    private static final DateTimeFormatter WITH_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSXXX");
    private static final JsonText.Spacing[] SPACINGS = {
        JsonText.Spacing.COMPACT,
        new JsonText.Spacing(" ", " ", ""),
        new JsonText.Spacing(" ", "", " "),
        new JsonText.Spacing("\t", "\t", ""),
        new JsonText.Spacing("  ", " ", "\t"),
    };

    private Reserializer() {}

    /** The canonical contract fields of {@code e}, in the codec's order, every value a string. */
    static Map<String, Object> fields(SettlementEvent e) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("eventId", e.getEventId());
        f.put("type", e.getType().name());
        f.put("settlementId", e.getSettlementId());
        f.put("eventTime", e.getEventTime().toString());
        switch (e.getType()) {
            case OBLIGATION_BOOKED:
                if (e.getDeadline() != null) {
                    f.put("deadline", e.getDeadline().toString());
                }
                List<Object> legs = new ArrayList<>();
                for (Leg leg : e.getLegs()) {
                    Map<String, Object> l = new LinkedHashMap<>();
                    l.put("legId", leg.getLegId());
                    l.put("payer", leg.getPayer());
                    l.put("payee", leg.getPayee());
                    l.put("currency", leg.getCurrency());
                    l.put("amount", Money.canonical(leg.getAmount(), leg.getCurrency()));
                    legs.add(l);
                }
                f.put("legs", legs);
                break;
            case LEG_CONFIRMED:
                f.put("legId", e.getLegId());
                f.put("currency", e.getCurrency());
                f.put("amount", Money.canonical(e.getAmount(), e.getCurrency()));
                break;
            case SETTLEMENT_CANCELLED:
                if (e.getReason() != null) {
                    f.put("reason", e.getReason());
                }
                break;
            default:
                throw new IllegalStateException("unhandled type " + e.getType());
        }
        return f;
    }

    /** {@code e} written differently, on one line, decoding to the same content. */
    static String differently(SettlementEvent e, Random r) {
        Map<String, Object> f = fields(e);
        f.put("eventTime", instant(e.getEventTime(), r));
        switch (e.getType()) {
            case OBLIGATION_BOOKED:
                if (e.getDeadline() != null) {
                    f.put("deadline", instant(e.getDeadline(), r));
                } else if (r.nextInt(4) == 0) {
                    f.put("deadline", null); // a null counts as absent
                }
                List<Object> legs = new ArrayList<>();
                for (Object leg : (List<?>) f.get("legs")) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> l = new LinkedHashMap<>((Map<String, Object>) leg);
                    l.put("amount", fewerZeros((String) l.get("amount"), r));
                    legs.add(shuffled(l, r));
                }
                Collections.shuffle(legs, r);
                f.put("legs", legs);
                break;
            case LEG_CONFIRMED:
                f.put("amount", fewerZeros((String) f.get("amount"), r));
                break;
            case SETTLEMENT_CANCELLED:
                if (e.getReason() == null && r.nextInt(4) == 0) {
                    f.put("reason", null);
                }
                break;
            default:
                throw new IllegalStateException("unhandled type " + e.getType());
        }
        if (r.nextBoolean()) {
            addUnknownField(f, r);
        }
        return JsonText.write(shuffled(f, r), SPACINGS[r.nextInt(SPACINGS.length)]);
    }

    private static void addUnknownField(Map<String, Object> f, Random r) {
        switch (r.nextInt(4)) {
            case 0:
                f.put("source", "rail-" + (1 + r.nextInt(9)));
                break;
            case 1:
                Map<String, Object> meta = new LinkedHashMap<>();
                meta.put("rail", r.nextBoolean() ? "TARGET2" : "CHAPS");
                meta.put("attempt", new JsonText.Literal(Integer.toString(2 + r.nextInt(3))));
                f.put("meta", meta);
                break;
            case 2:
                f.put("resent", Boolean.TRUE);
                break;
            default:
                f.put("sequence", new JsonText.Literal(Long.toString(r.nextInt(1_000_000))));
                break;
        }
    }

    private static Map<String, Object> shuffled(Map<String, Object> f, Random r) {
        List<Map.Entry<String, Object>> entries = new ArrayList<>(f.entrySet());
        Collections.shuffle(entries, r);
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : entries) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** The same instant: as UTC, at another offset, or with explicit milliseconds. */
    private static String instant(Instant t, Random r) {
        switch (r.nextInt(3)) {
            case 0:
                return t.toString();
            case 1:
                return t.atOffset(OFFSETS[r.nextInt(OFFSETS.length)])
                        .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            default:
                // The generator stamps whole milliseconds, so nothing is lost.
                return t.atOffset(OFFSETS[r.nextInt(OFFSETS.length)]).format(WITH_MILLIS);
        }
    }

    /** The same amount with some trailing fraction zeros dropped, or the point when all are. */
    static String fewerZeros(String amount, Random r) {
        int point = amount.indexOf('.');
        if (point < 0) {
            return amount;
        }
        String s = amount;
        int drop = r.nextInt(4);
        for (int i = 0; i < drop && s.endsWith("0"); i++) {
            s = s.substring(0, s.length() - 1);
        }
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }
}

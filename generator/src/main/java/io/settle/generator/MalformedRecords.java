package io.settle.generator;

import io.settle.generator.GeneratedRecord.Kind;
import io.settle.operators.model.EventType;
import io.settle.operators.model.SettlementEvent;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Breaks a well-formed event in one of the ways upstream systems do, each one line and each one the
 * contract rejects with the reason its {@link Kind} names.
 */
final class MalformedRecords {
    private static final byte[][] BAD_UTF8 = {
        {(byte) 0xFF}, // never valid in UTF-8
        {(byte) 0xC3, (byte) 0x28}, // a lead byte followed by no continuation
        {(byte) 0xC0, (byte) 0xAF}, // an overlong '/'
        {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a UTF-16 surrogate encoded as UTF-8
        {(byte) 0x80}, // a stray continuation byte
        {'Z', (byte) 0xFC, 'r', 'i', 'c', 'h'}, // Latin-1, not UTF-8
    };
    private static final String[] UNKNOWN_TYPES = {
        "LEG_REVERSED", "OBLIGATION_AMENDED", "leg_confirmed", "SETTLEMENT_CANCELED", "CONFIRMED"
    };

    private MalformedRecords() {}

    /** The event types {@code kind} can be made from: amounts need a booking or confirmation. */
    static boolean canBreak(Kind kind, EventType type) {
        return kind != Kind.MALFORMED_INVALID_AMOUNT || type != EventType.SETTLEMENT_CANCELLED;
    }

    /** {@code event} broken as {@code kind} says. */
    static byte[] make(Kind kind, SettlementEvent event, String canonical, Random r) {
        switch (kind) {
            case MALFORMED_UTF8:
                return invalidUtf8(canonical, r);
            case MALFORMED_TRUNCATED:
                int cut = canonical.length() / 3 + r.nextInt(canonical.length() * 2 / 3 - 1);
                return utf8(canonical.substring(0, cut));
            case MALFORMED_ARRAY:
                return utf8(
                        r.nextBoolean()
                                ? "[" + canonical + "]"
                                : "[" + canonical + "," + canonical + "]");
            case MALFORMED_MISSING_FIELD:
                return utf8(JsonText.write(missingField(event, r), JsonText.Spacing.COMPACT));
            case MALFORMED_INVALID_AMOUNT:
                return utf8(JsonText.write(invalidAmount(event, r), JsonText.Spacing.COMPACT));
            case MALFORMED_UNKNOWN_TYPE:
                Map<String, Object> f = Reserializer.fields(event);
                f.put("type", UNKNOWN_TYPES[r.nextInt(UNKNOWN_TYPES.length)]);
                return utf8(JsonText.write(f, JsonText.Spacing.COMPACT));
            case MALFORMED_NUMBER_FOR_STRING:
                return utf8(JsonText.write(numberForString(event, r), JsonText.Spacing.COMPACT));
            default:
                throw new IllegalArgumentException(kind + " is not a malformed kind");
        }
    }

    /** Bad bytes inside the {@code eventId} value, where a careless encoder would put them. */
    private static byte[] invalidUtf8(String canonical, Random r) {
        byte[] text = utf8(canonical);
        int at = canonical.indexOf("\"eventId\":\"") + "\"eventId\":\"".length();
        byte[] bad = BAD_UTF8[r.nextInt(BAD_UTF8.length)];
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length + bad.length);
        out.write(text, 0, at);
        out.write(bad, 0, bad.length);
        out.write(text, at, text.length - at);
        return out.toByteArray();
    }

    private static Map<String, Object> missingField(SettlementEvent e, Random r) {
        Map<String, Object> f = Reserializer.fields(e);
        List<String> own;
        switch (e.getType()) {
            case OBLIGATION_BOOKED:
                own = List.of("legs", "legs[].legId", "legs[].payer", "legs[].currency");
                break;
            case LEG_CONFIRMED:
                own = List.of("legId", "currency", "amount");
                break;
            default:
                own = List.of();
        }
        List<String> common = List.of("eventId", "type", "settlementId", "eventTime");
        String field =
                !own.isEmpty() && r.nextBoolean()
                        ? own.get(r.nextInt(own.size()))
                        : common.get(r.nextInt(common.size()));
        boolean asNull = r.nextInt(3) == 0; // a null counts as absent
        Map<String, Object> target = f;
        if (field.startsWith("legs[].")) {
            target = firstLeg(f);
            field = field.substring("legs[].".length());
        }
        if (asNull) {
            target.put(field, null);
        } else {
            target.remove(field);
        }
        return f;
    }

    private static Map<String, Object> invalidAmount(SettlementEvent e, Random r) {
        Map<String, Object> f = Reserializer.fields(e);
        Map<String, Object> target = e.getType() == EventType.OBLIGATION_BOOKED ? firstLeg(f) : f;
        String amount = (String) target.get("amount");
        int scale =
                Currency.getInstance((String) target.get("currency")).getDefaultFractionDigits();
        target.put("amount", badAmount(amount, scale, r));
        return f;
    }

    /** A string the contract's amount rule rejects, made from a good {@code amount}. */
    static String badAmount(String amount, int scale, Random r) {
        int point = amount.indexOf('.');
        String whole = point < 0 ? amount : amount.substring(0, point);
        switch (r.nextInt(9)) {
            case 0:
                return "-" + amount;
            case 1:
                return "+" + amount;
            case 2: // a decimal comma, or a thousands separator
                return point >= 0 ? whole + "," + amount.substring(point + 1) : whole + ",000";
            case 3:
                return whole + "E2";
            case 4: // one fraction digit more than the currency has
                return point >= 0 ? amount + "5" : amount + ".5";
            case 5:
                return scale == 0 ? "0" : "0." + "0".repeat(scale);
            case 6:
                return " " + amount;
            case 7:
                return whole + ".";
            default:
                return "";
        }
    }

    private static Map<String, Object> numberForString(SettlementEvent e, Random r) {
        Map<String, Object> f = Reserializer.fields(e);
        int choice = r.nextInt(4);
        if (choice == 0) {
            f.put("eventId", new JsonText.Literal(Long.toString(1 + r.nextInt(1_000_000))));
        } else if (choice == 1) {
            f.put(
                    "eventTime",
                    new JsonText.Literal(Long.toString(e.getEventTime().toEpochMilli())));
        } else if (e.getType() == EventType.LEG_CONFIRMED) {
            f.put("amount", new JsonText.Literal((String) f.get("amount")));
        } else if (e.getType() == EventType.OBLIGATION_BOOKED) {
            Map<String, Object> leg = firstLeg(f);
            leg.put("amount", new JsonText.Literal((String) leg.get("amount")));
        } else {
            f.put("settlementId", new JsonText.Literal(Long.toString(r.nextInt(1_000_000))));
        }
        return f;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> firstLeg(Map<String, Object> f) {
        List<Object> legs = (List<Object>) f.get("legs");
        Map<String, Object> leg = new LinkedHashMap<>((Map<String, Object>) legs.get(0));
        legs.set(0, leg);
        return leg;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

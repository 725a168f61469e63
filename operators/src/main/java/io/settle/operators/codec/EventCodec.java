package io.settle.operators.codec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.EventType;
import io.settle.operators.model.Leg;
import io.settle.operators.model.Money;
import io.settle.operators.model.Origin;
import io.settle.operators.model.ReasonCode;
import io.settle.operators.model.SettlementEvent;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Settlement events from and to JSON (contract §1). {@link #decode} never throws: every record
 * comes back as a valid {@link SettlementEvent} or a {@link DeadLetter} whose reason and message
 * say what is wrong with which field.
 *
 * <p>Decoding is a single streaming pass with Jackson's stream constraints set (nesting depth,
 * string, number and name lengths), and hand-written scanners where a regular expression could
 * backtrack. Fields are checked in the order {@code eventId, type, settlementId, eventTime}, then
 * the type's own fields in the contract's order; the first broken rule is the one reported.
 *
 * <p>Instances are thread-safe and cheap to share.
 */
public final class EventCodec {

    /** Records larger than this are {@code TOO_LARGE}. */
    public static final int MAX_RECORD_BYTES = 1024 * 1024;

    /** Deepest nesting accepted; the top-level object is level 1. */
    public static final int MAX_NESTING_DEPTH = 32;

    static final int MAX_ID_CHARS = 128;

    /** The longest dead-letter message kept (it may quote a parser's view of the record). */
    static final int MAX_MESSAGE_CHARS = 2048;

    static final int MAX_LEG_FIELD_CHARS = 64;
    static final int MAX_REASON_CHARS = 512;
    static final int MIN_LEGS = 1;
    static final int MAX_LEGS = 16;

    /** Longest amount string accepted: 30 integer digits, a point, 3 fraction digits, to spare. */
    static final int MAX_AMOUNT_CHARS = 40;

    /** Longest instant string accepted (nanoseconds and an offset fit in 35). */
    static final int MAX_INSTANT_CHARS = 40;

    private static final Instant MIN_INSTANT = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999999999Z");

    private final JsonFactory json;
    private final Duration maxFuture;
    private final Clock clock;

    /** A codec that takes any event time the contract allows. */
    public EventCodec() {
        this(null, Clock.systemUTC());
    }

    /**
     * A codec that also rejects, as {@code FUTURE_EVENT}, an event stamped more than {@code
     * maxFuture} after {@code clock}'s now (contract: "Future events"); null: no such check.
     */
    public EventCodec(Duration maxFuture, Clock clock) {
        this.maxFuture = maxFuture;
        this.clock = clock;
        this.json =
                JsonFactory.builder()
                        .streamReadConstraints(
                                StreamReadConstraints.builder()
                                        .maxNestingDepth(MAX_NESTING_DEPTH)
                                        .maxStringLength(MAX_RECORD_BYTES)
                                        // Numbers only appear in unknown fields and are never
                                        // converted, so any length that fits the record is fine.
                                        .maxNumberLength(MAX_RECORD_BYTES)
                                        .maxNameLength(MAX_RECORD_BYTES)
                                        .maxDocumentLength(MAX_RECORD_BYTES)
                                        .build())
                        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                        .build();
    }

    /** Decodes one record. Never throws; {@code origin} is copied into the event or dead letter. */
    public DecodeResult decode(byte[] record, Origin origin) {
        if (record == null) {
            record = new byte[0];
        }
        if (record.length > MAX_RECORD_BYTES) {
            return tooLarge(record, record.length, sha256(record, record.length), origin);
        }
        String text;
        try {
            text = strictUtf8(record);
        } catch (CharacterCodingException e) {
            DeadLetter dl =
                    deadLetter(ReasonCode.MALFORMED_JSON, "record is not valid UTF-8", origin);
            keepRecord(dl, record, null);
            return DecodeResult.rejected(dl);
        }
        return decodeText(text, record, origin);
    }

    /** Decodes one record already held as text (a replay line). Never throws. */
    public DecodeResult decode(String record, Origin origin) {
        if (record == null) {
            record = "";
        }
        byte[] bytes = record.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_RECORD_BYTES) {
            return tooLarge(bytes, bytes.length, sha256(bytes, bytes.length), origin);
        }
        return decodeText(record, bytes, origin);
    }

    private DecodeResult decodeText(String text, byte[] bytes, Origin origin) {
        Map<String, Object> fields;
        try {
            fields = parseObject(text);
        } catch (Rejection r) {
            return DecodeResult.rejected(rejected(r, text, bytes, origin, null));
        } catch (RuntimeException e) {
            // Defensive: the parser is not expected to throw anything else, but nothing escapes.
            return DecodeResult.rejected(
                    rejected(
                            new Rejection(ReasonCode.MALFORMED_JSON, "unreadable JSON: " + e),
                            text,
                            bytes,
                            origin,
                            null));
        }
        try {
            SettlementEvent event = validate(fields);
            if (maxFuture != null) {
                checkNotFuture(event.getEventTime());
            }
            event.setOrigin(origin);
            return DecodeResult.valid(event);
        } catch (Rejection r) {
            return DecodeResult.rejected(rejected(r, text, bytes, origin, fields));
        } catch (RuntimeException e) {
            return DecodeResult.rejected(
                    rejected(
                            new Rejection(ReasonCode.INVALID_FIELD, "invalid record: " + e),
                            text,
                            bytes,
                            origin,
                            fields));
        }
    }

    // ---------------------------------------------------------------------------------------
    // Parsing: one JSON object into plain Java values (String, Boolean, NUMBER, List, Map).

    /** Stands for any JSON number: the contract has none, so their value is never parsed. */
    static final Object NUMBER = new Object();

    private Map<String, Object> parseObject(String text) throws Rejection {
        if (text.isEmpty()) {
            throw new Rejection(ReasonCode.MALFORMED_JSON, "record is empty");
        }
        try (JsonParser p = json.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw new Rejection(
                        ReasonCode.MALFORMED_JSON,
                        "record must be one JSON object, found " + describe(first));
            }
            Map<String, Object> fields = readObjectBody(p, true);
            JsonToken trailing = p.nextToken();
            if (trailing != null) {
                throw new Rejection(
                        ReasonCode.MALFORMED_JSON,
                        "record must be one JSON object, found more after it: "
                                + describe(trailing));
            }
            return fields;
        } catch (JsonProcessingException e) {
            throw new Rejection(
                    ReasonCode.MALFORMED_JSON, "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new Rejection(ReasonCode.MALFORMED_JSON, "malformed JSON: " + e.getMessage());
        }
    }

    private static final Set<String> TOP_LEVEL_FIELDS =
            Set.of(
                    "eventId",
                    "type",
                    "settlementId",
                    "eventTime",
                    "legs",
                    "deadline",
                    "legId",
                    "currency",
                    "amount",
                    "reason");

    /** Reads fields up to the object's end; at the top level, unknown fields are skipped. */
    private Map<String, Object> readObjectBody(JsonParser p, boolean topLevel) throws IOException {
        Map<String, Object> fields = new HashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken value = p.nextToken();
            if (topLevel && !TOP_LEVEL_FIELDS.contains(name)) {
                p.skipChildren();
                continue;
            }
            fields.put(name, readValue(p, value));
        }
        if (t != JsonToken.END_OBJECT) {
            throw new JsonProcessingException("unexpected " + describe(t)) {};
        }
        return fields;
    }

    private Object readValue(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return NUMBER;
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_NULL:
                return null;
            case START_OBJECT:
                return readObjectBody(p, false);
            case START_ARRAY:
                List<Object> items = new ArrayList<>();
                JsonToken item;
                while ((item = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (item == null) {
                        throw new JsonProcessingException("unexpected end of input") {};
                    }
                    items.add(readValue(p, item));
                }
                return items;
            default:
                throw new JsonProcessingException("unexpected " + describe(t)) {};
        }
    }

    private static String describe(JsonToken t) {
        if (t == null) {
            return "end of input";
        }
        switch (t) {
            case START_ARRAY:
                return "an array";
            case START_OBJECT:
                return "an object";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.asString() != null ? t.asString() : t.name();
        }
    }

    private static String describe(Object value) {
        if (value instanceof String) {
            return "a string";
        } else if (value == NUMBER) {
            return "a number";
        } else if (value instanceof Boolean) {
            return "a boolean";
        } else if (value instanceof List) {
            return "an array";
        } else if (value instanceof Map) {
            return "an object";
        }
        return "null";
    }

    // ---------------------------------------------------------------------------------------
    // Validation: contract §1, field by field.

    private SettlementEvent validate(Map<String, Object> f) throws Rejection {
        String eventId = requiredId(f, "eventId", "eventId", MAX_ID_CHARS);
        String typeName = requiredString(f, "type", "type", 1, Integer.MAX_VALUE);
        EventType type = eventType(typeName);
        String settlementId = requiredId(f, "settlementId", "settlementId", MAX_ID_CHARS);
        Instant eventTime = requiredInstant(f, "eventTime", "eventTime");
        switch (type) {
            case OBLIGATION_BOOKED:
                List<Leg> legs = legs(f);
                Instant deadline =
                        f.get("deadline") == null
                                ? null
                                : requiredInstant(f, "deadline", "deadline");
                return SettlementEvent.booked(eventId, settlementId, eventTime, deadline, legs);
            case LEG_CONFIRMED:
                String legId = requiredId(f, "legId", "legId", MAX_LEG_FIELD_CHARS);
                Currency currency = currency(f, "currency", "currency");
                BigDecimal amount = amount(f, "amount", "amount", currency);
                return SettlementEvent.confirmed(
                        eventId,
                        settlementId,
                        eventTime,
                        legId,
                        currency.getCurrencyCode(),
                        amount);
            case SETTLEMENT_CANCELLED:
                String reason =
                        f.get("reason") == null
                                ? null
                                : requiredString(f, "reason", "reason", 0, MAX_REASON_CHARS);
                return SettlementEvent.cancelled(eventId, settlementId, eventTime, reason);
            default:
                throw new IllegalStateException("unhandled type " + type);
        }
    }

    private static EventType eventType(String name) throws Rejection {
        for (EventType t : EventType.values()) {
            if (t.name().equals(name)) {
                return t;
            }
        }
        throw new Rejection(
                ReasonCode.UNKNOWN_TYPE,
                "field 'type' is '"
                        + abbreviate(name)
                        + "', expected one of "
                        + Arrays.toString(EventType.values()));
    }

    private List<Leg> legs(Map<String, Object> f) throws Rejection {
        Object value = f.get("legs");
        if (value == null) {
            throw missing("legs");
        }
        if (!(value instanceof List)) {
            throw invalid("legs", "must be an array of legs, found " + describe(value));
        }
        List<?> items = (List<?>) value;
        if (items.size() < MIN_LEGS || items.size() > MAX_LEGS) {
            throw invalid(
                    "legs",
                    "must hold " + MIN_LEGS + " to " + MAX_LEGS + " legs, found " + items.size());
        }
        List<Leg> legs = new ArrayList<>(items.size());
        Set<String> legIds = new HashSet<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "legs[" + i + "]";
            Object item = items.get(i);
            if (!(item instanceof Map)) {
                throw invalid(path, "must be an object, found " + describe(item));
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> leg = (Map<String, Object>) item;
            String legId = requiredId(leg, "legId", path + ".legId", MAX_LEG_FIELD_CHARS);
            if (!legIds.add(legId)) {
                throw invalid(path + ".legId", "'" + legId + "' appears twice in legs");
            }
            String payer = requiredId(leg, "payer", path + ".payer", MAX_LEG_FIELD_CHARS);
            String payee = requiredId(leg, "payee", path + ".payee", MAX_LEG_FIELD_CHARS);
            if (payer.equals(payee)) {
                throw invalid(path + ".payee", "must differ from the payer ('" + payer + "')");
            }
            Currency currency = currency(leg, "currency", path + ".currency");
            BigDecimal amount = amount(leg, "amount", path + ".amount", currency);
            legs.add(new Leg(legId, payer, payee, currency.getCurrencyCode(), amount));
        }
        return legs;
    }

    /**
     * An id (contract: "Ids"): a string of 1 to {@code maxChars} printable characters. No control,
     * format (bidirectional overrides, zero-width), separator-line, private-use or unassigned code
     * point: two ids that look the same are the same id, and an id cannot rewrite the line it is
     * printed on.
     */
    private static String requiredId(Map<String, Object> f, String key, String path, int maxChars)
            throws Rejection {
        String s = requiredString(f, key, path, 1, maxChars);
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!printable(cp)) {
                String name = Character.getName(cp);
                throw invalid(
                        path,
                        String.format(
                                java.util.Locale.ROOT,
                                "must be printable characters only, found U+%04X (%s) at character %d",
                                cp,
                                name == null ? "unassigned" : name,
                                s.codePointCount(0, i) + 1));
            }
            i += Character.charCount(cp);
        }
        return s;
    }

    static boolean printable(int cp) {
        switch (Character.getType(cp)) {
            case Character.CONTROL:
            case Character.FORMAT:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.PRIVATE_USE:
            case Character.SURROGATE:
            case Character.UNASSIGNED:
                return false;
            default:
                return true;
        }
    }

    private static String requiredString(
            Map<String, Object> f, String key, String path, int minChars, int maxChars)
            throws Rejection {
        Object value = f.get(key);
        if (value == null) {
            throw missing(path);
        }
        if (!(value instanceof String)) {
            throw invalid(path, "must be a string, found " + describe(value));
        }
        String s = (String) value;
        int chars = s.codePointCount(0, s.length()); // lengths count Unicode code points
        if (chars < minChars || chars > maxChars) {
            throw invalid(
                    path,
                    maxChars == Integer.MAX_VALUE
                            ? "must not be empty"
                            : "must be "
                                    + minChars
                                    + " to "
                                    + maxChars
                                    + " characters, found "
                                    + chars);
        }
        if (hasLoneSurrogate(s)) {
            throw invalid(path, "must be valid Unicode, found an unpaired surrogate escape");
        }
        return s;
    }

    /** JSON's \\uD800 escapes can spell half a character, which no UTF-8 output can carry. */
    private static boolean hasLoneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                } else {
                    return true;
                }
            } else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    private static Instant requiredInstant(Map<String, Object> f, String key, String path)
            throws Rejection {
        Object value = f.get(key);
        if (value == null) {
            throw missing(path);
        }
        if (!(value instanceof String)) {
            throw invalid(path, "must be an ISO-8601 instant string, found " + describe(value));
        }
        return instant((String) value, path);
    }

    /** An ISO-8601 date-time with an offset ({@code Z} or {@code +01:00}); years 0001-9999. */
    static Instant instant(String s, String path) throws Rejection {
        if (s.length() > MAX_INSTANT_CHARS) {
            throw invalid(
                    path,
                    "must be an ISO-8601 instant with an offset, found a string of "
                            + s.length()
                            + " characters");
        }
        Instant instant = Instants.parseCommon(s);
        if (instant == null) {
            OffsetDateTime t;
            try {
                t = OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
            } catch (DateTimeParseException e) {
                throw invalid(
                        path,
                        "must be an ISO-8601 instant with an offset, like 2026-11-25T09:00:00Z,"
                                + " found '"
                                + s
                                + "'");
            }
            instant = t.toInstant();
        }
        if (instant.isBefore(MIN_INSTANT) || instant.isAfter(MAX_INSTANT)) {
            throw invalid(path, "must fall in the years 0001 to 9999 in UTC, found '" + s + "'");
        }
        return instant;
    }

    private static Currency currency(Map<String, Object> f, String key, String path)
            throws Rejection {
        Object value = f.get(key);
        if (value == null) {
            throw missing(path);
        }
        if (!(value instanceof String)) {
            throw invalid(path, "must be an ISO 4217 code string, found " + describe(value));
        }
        String code = (String) value;
        boolean threeLetters = code.length() == 3;
        for (int i = 0; threeLetters && i < 3; i++) {
            char c = code.charAt(i);
            threeLetters = c >= 'A' && c <= 'Z';
        }
        if (!threeLetters) {
            throw invalid(
                    path,
                    "must be an ISO 4217 code of three capital letters, found '"
                            + abbreviate(code)
                            + "'");
        }
        Currency currency;
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw invalid(path, "'" + code + "' is not an ISO 4217 currency");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw invalid(
                    path, "'" + code + "' has no minor units, so it is not a currency of payment");
        }
        return currency;
    }

    /**
     * A positive decimal string ({@code ^[0-9]+(\.[0-9]+)?$}) with no more fraction digits than the
     * currency has, returned at the currency's scale.
     */
    static BigDecimal amount(Map<String, Object> f, String key, String path, Currency currency)
            throws Rejection {
        Object value = f.get(key);
        if (value == null) {
            throw missing(path);
        }
        if (!(value instanceof String)) {
            throw invalid(
                    path,
                    "must be a decimal string like \"1000.00\", found "
                            + describe(value)
                            + " (money is never a JSON number)");
        }
        String s = (String) value;
        if (s.length() > MAX_AMOUNT_CHARS) {
            throw invalid(
                    path,
                    "must be at most " + MAX_AMOUNT_CHARS + " characters, found " + s.length());
        }
        int point = -1;
        int digitsBefore = 0;
        int digitsAfter = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= '0' && c <= '9') {
                if (point < 0) {
                    digitsBefore++;
                } else {
                    digitsAfter++;
                }
            } else if (c == '.' && point < 0) {
                point = i;
            } else {
                throw invalid(
                        path,
                        "must be digits with an optional decimal point (no sign, exponent, spaces or separators), found '"
                                + s
                                + "'");
            }
        }
        if (digitsBefore == 0 || (point >= 0 && digitsAfter == 0)) {
            throw invalid(path, "must be digits with an optional decimal point, found '" + s + "'");
        }
        int minorUnits = currency.getDefaultFractionDigits();
        if (digitsAfter > minorUnits) {
            throw invalid(
                    path,
                    "'"
                            + s
                            + "' has "
                            + digitsAfter
                            + " fraction digits, "
                            + currency.getCurrencyCode()
                            + " has "
                            + minorUnits);
        }
        BigDecimal amount = new BigDecimal(s).setScale(minorUnits);
        if (amount.signum() <= 0) {
            throw invalid(path, "must be positive, found '" + s + "'");
        }
        return amount;
    }

    private static Rejection missing(String path) {
        return new Rejection(ReasonCode.MISSING_FIELD, "missing required field '" + path + "'");
    }

    private static Rejection invalid(String path, String what) {
        return new Rejection(ReasonCode.INVALID_FIELD, "field '" + path + "' " + what);
    }

    private static String abbreviate(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "...";
    }

    private void checkNotFuture(Instant eventTime) throws Rejection {
        Instant now = clock.instant();
        if (eventTime.isAfter(now.plus(maxFuture))) {
            throw new Rejection(
                    ReasonCode.FUTURE_EVENT,
                    "'eventTime' "
                            + eventTime
                            + " is more than "
                            + maxFuture
                            + " after the wall clock ("
                            + now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                            + "): a mistyped date is not applied; send the event again with the"
                            + " time it happened");
        }
    }

    // ---------------------------------------------------------------------------------------
    // Dead letters.

    private static DeadLetter deadLetter(ReasonCode reason, String message, Origin origin) {
        DeadLetter dl = new DeadLetter();
        dl.setReason(reason);
        dl.setMessage(
                message.length() <= MAX_MESSAGE_CHARS
                        ? message
                        : message.substring(0, MAX_MESSAGE_CHARS) + "...");
        dl.setOrigin(origin);
        return dl;
    }

    private static DeadLetter rejected(
            Rejection r, String text, byte[] bytes, Origin origin, Map<String, Object> fields) {
        DeadLetter dl = deadLetter(r.reason(), r.getMessage(), origin);
        keepRecord(dl, bytes, text);
        if (fields != null) {
            dl.setSettlementId(shortString(fields.get("settlementId")));
            dl.setEventId(shortString(fields.get("eventId")));
        }
        return dl;
    }

    private static String shortString(Object value) {
        return value instanceof String && ((String) value).length() <= MAX_ID_CHARS * 2
                ? (String) value
                : null;
    }

    /**
     * Keeps a rejected record in its dead letter (contract §3): {@code raw} is the record, or its
     * first {@link DeadLetter#RAW_KEEP_BYTES} bytes ({@code rawTruncated}), as text where those
     * bytes are UTF-8 (a character cut in two at the end dropped), else base64; {@code rawBytes}
     * and {@code rawSha256} are the whole record's. {@code text} is the record decoded, when the
     * caller has it. A dead letter so stays a few hundred KiB at most, whatever the record (each
     * control character escapes to six bytes of JSON), and fits any Kafka producer's request.
     */
    public static void keepRecord(DeadLetter dl, byte[] record, String text) {
        keepHead(dl, record, record.length, sha256(record, record.length), text);
    }

    private static void keepHead(
            DeadLetter dl, byte[] head, long size, String sha256, String wholeText) {
        dl.setRawBytes((int) Math.min(Integer.MAX_VALUE, size));
        dl.setRawSha256(sha256);
        boolean truncated = size > DeadLetter.RAW_KEEP_BYTES;
        dl.setRawTruncated(truncated);
        if (!truncated && wholeText != null) {
            dl.setRaw(wholeText);
            return;
        }
        byte[] kept =
                head.length > DeadLetter.RAW_KEEP_BYTES
                        ? Arrays.copyOf(head, DeadLetter.RAW_KEEP_BYTES)
                        : head;
        try {
            dl.setRaw(truncated ? lenientUtf8Prefix(kept) : strictUtf8(kept));
        } catch (CharacterCodingException e) {
            dl.setRaw(Base64.getEncoder().encodeToString(kept));
            dl.setEncoding("base64");
        }
    }

    /** The SHA-256 of {@code bytes[0, length)}, in lower-case hexadecimal. */
    public static String sha256(byte[] bytes, int length) {
        MessageDigest sha = sha256();
        sha.update(bytes, 0, length);
        return hex(sha);
    }

    /** What {@code sha} digested, in lower-case hexadecimal: a dead letter's {@code rawSha256}. */
    public static String hex(MessageDigest sha) {
        return HexFormat.of().formatHex(sha.digest());
    }

    /** A new SHA-256 digest (for a reader that hashes a record as it streams past). */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    /**
     * The dead letter of a record of {@code size} bytes, over the limit, whose SHA-256 is {@code
     * sha256} and of which the caller read {@code head} (at least its first {@link
     * DeadLetter#RAW_KEEP_BYTES} bytes, or all of it). A reader that meets a huge line need not
     * hold it all.
     */
    public DecodeResult tooLarge(byte[] head, long size, String sha256, Origin origin) {
        DeadLetter dl =
                deadLetter(
                        ReasonCode.TOO_LARGE,
                        "record is " + size + " bytes, the limit is " + MAX_RECORD_BYTES,
                        origin);
        keepHead(dl, head, size, sha256, null);
        return DecodeResult.rejected(dl);
    }

    static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        // The JDK's own decoding is fast (vectorised for ASCII) but replaces malformed input with
        // U+FFFD: when that character shows, decode again strictly to tell the two apart.
        String lenient = new String(bytes, StandardCharsets.UTF_8);
        if (lenient.indexOf('\uFFFD') < 0) {
            return lenient;
        }
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        return decoder.decode(ByteBuffer.wrap(bytes)).toString();
    }

    /**
     * Decodes a prefix that may end inside a multi-byte character; anything else invalid throws.
     */
    private static String lenientUtf8Prefix(byte[] bytes) throws CharacterCodingException {
        CharsetDecoder decoder =
                StandardCharsets.UTF_8
                        .newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        var result = decoder.decode(in, out, false);
        if (result.isError()) {
            result.throwException();
        }
        if (in.remaining() > 3) {
            throw new CharacterCodingException();
        }
        out.flip();
        return out.toString();
    }

    // ---------------------------------------------------------------------------------------
    // Encoding: the canonical JSON of an event (sorted legs, amounts at the currency's scale,
    // instants in UTC). Equal content gives equal text.

    public String encode(SettlementEvent e) {
        StringBuilder out = new StringBuilder(256);
        encodeTo(e, out);
        return out.toString();
    }

    /** Appends {@link #encode}'s text to {@code out}. */
    public void encodeTo(SettlementEvent e, StringBuilder out) {
        out.append('{');
        field(out, "eventId", e.getEventId());
        out.append(',');
        field(out, "type", e.getType().name());
        out.append(',');
        field(out, "settlementId", e.getSettlementId());
        out.append(',');
        field(out, "eventTime", Instants.format(e.getEventTime()));
        switch (e.getType()) {
            case OBLIGATION_BOOKED:
                if (e.getDeadline() != null) {
                    out.append(',');
                    field(out, "deadline", Instants.format(e.getDeadline()));
                }
                out.append(",\"legs\":[");
                boolean first = true;
                for (Leg leg : e.getLegs()) {
                    out.append(first ? "{" : ",{");
                    first = false;
                    field(out, "legId", leg.getLegId());
                    out.append(',');
                    field(out, "payer", leg.getPayer());
                    out.append(',');
                    field(out, "payee", leg.getPayee());
                    out.append(',');
                    field(out, "currency", leg.getCurrency());
                    out.append(',');
                    field(out, "amount", Money.canonical(leg.getAmount(), leg.getCurrency()));
                    out.append('}');
                }
                out.append(']');
                break;
            case LEG_CONFIRMED:
                out.append(',');
                field(out, "legId", e.getLegId());
                out.append(',');
                field(out, "currency", e.getCurrency());
                out.append(',');
                field(out, "amount", Money.canonical(e.getAmount(), e.getCurrency()));
                break;
            case SETTLEMENT_CANCELLED:
                if (e.getReason() != null) {
                    out.append(',');
                    field(out, "reason", e.getReason());
                }
                break;
            default:
                throw new IllegalStateException("unhandled type " + e.getType());
        }
        out.append('}');
    }

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    /**
     * {@code "name":"value"}, escaped as Jackson's default generator escapes (short escapes for
     * {@code \b \t \n \f \r}, a backslash-u escape with upper-case hex for other control
     * characters, nothing else), so the canonical text, and the fingerprints taken of it, stay what
     * they were.
     */
    private static void field(StringBuilder out, String name, String value) {
        out.append('"').append(name).append("\":\"");
        for (int i = 0, n = value.length(); i < n; i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                out.append(c);
                continue;
            }
            out.append('\\');
            switch (c) {
                case '"':
                case '\\':
                    out.append(c);
                    break;
                case '\b':
                    out.append('b');
                    break;
                case '\t':
                    out.append('t');
                    break;
                case '\n':
                    out.append('n');
                    break;
                case '\f':
                    out.append('f');
                    break;
                case '\r':
                    out.append('r');
                    break;
                default:
                    out.append("u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
            }
        }
        out.append('"');
    }
}

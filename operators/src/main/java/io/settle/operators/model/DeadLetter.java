package io.settle.operators.model;

import java.util.Objects;

/**
 * A rejected input record (contract §3, "Dead letters"). A Flink POJO.
 *
 * <p>{@code raw} is the record, or its first {@link #RAW_KEEP_BYTES} bytes when it is longer
 * ({@code rawTruncated}), as a string where those bytes are valid UTF-8, else base64 with {@code
 * encoding = "base64"}; {@code rawBytes} and {@code rawSha256} are the size and the SHA-256 of the
 * whole record, so a dead letter stays small whatever the input and still identifies it.
 */
public class DeadLetter {
    /** How much of a record a dead letter keeps: the origin (and the hash) point at the rest. */
    public static final int RAW_KEEP_BYTES = 64 * 1024;

    private ReasonCode reason;
    private String message;
    private String raw;
    private String encoding;
    private boolean rawTruncated;
    private int rawBytes;
    private String rawSha256;
    private String settlementId;
    private String eventId;
    private Origin origin;

    public DeadLetter() {}

    public ReasonCode getReason() {
        return reason;
    }

    public void setReason(ReasonCode reason) {
        this.reason = reason;
    }

    public String getMessage() {
        return message;
    }

    public void setMessage(String message) {
        this.message = message;
    }

    public String getRaw() {
        return raw;
    }

    public void setRaw(String raw) {
        this.raw = raw;
    }

    public String getEncoding() {
        return encoding;
    }

    public void setEncoding(String encoding) {
        this.encoding = encoding;
    }

    public boolean isRawTruncated() {
        return rawTruncated;
    }

    public void setRawTruncated(boolean rawTruncated) {
        this.rawTruncated = rawTruncated;
    }

    public int getRawBytes() {
        return rawBytes;
    }

    public void setRawBytes(int rawBytes) {
        this.rawBytes = rawBytes;
    }

    /** The SHA-256 of the whole record, 64 lower-case hexadecimal digits. */
    public String getRawSha256() {
        return rawSha256;
    }

    public void setRawSha256(String rawSha256) {
        this.rawSha256 = rawSha256;
    }

    public String getSettlementId() {
        return settlementId;
    }

    public void setSettlementId(String settlementId) {
        this.settlementId = settlementId;
    }

    public String getEventId() {
        return eventId;
    }

    public void setEventId(String eventId) {
        this.eventId = eventId;
    }

    public Origin getOrigin() {
        return origin;
    }

    public void setOrigin(Origin origin) {
        this.origin = origin;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof DeadLetter)) {
            return false;
        }
        DeadLetter that = (DeadLetter) o;
        return rawTruncated == that.rawTruncated
                && rawBytes == that.rawBytes
                && reason == that.reason
                && Objects.equals(message, that.message)
                && Objects.equals(raw, that.raw)
                && Objects.equals(rawSha256, that.rawSha256)
                && Objects.equals(encoding, that.encoding)
                && Objects.equals(settlementId, that.settlementId)
                && Objects.equals(eventId, that.eventId)
                && Objects.equals(origin, that.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(
                reason,
                message,
                raw,
                encoding,
                rawTruncated,
                rawBytes,
                rawSha256,
                settlementId,
                eventId,
                origin);
    }

    @Override
    public String toString() {
        return reason + " (" + message + ") from " + origin;
    }
}

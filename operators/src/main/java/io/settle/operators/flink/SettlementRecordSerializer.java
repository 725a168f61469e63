package io.settle.operators.flink;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.apache.flink.core.memory.DataOutputView;

import io.settle.operators.core.Deduplication;
import io.settle.operators.core.LegState;
import io.settle.operators.core.SettlementState;
import io.settle.operators.model.EventType;
import io.settle.operators.model.Leg;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementStatus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The settle operator's state value, written by hand and compactly: every string (event ids,
 * parties, leg ids, currencies) once, in a table at the front, then referenced by its position;
 * numbers as variable-length integers; amounts as unscaled integer and scale; instants as seconds
 * and nanoseconds. The settlement's id is the key and is not written.
 *
 * <p><b>Versions.</b> Every value starts with its format version. The serializer reads every
 * version it knows and writes the newest, so a savepoint restores without a migration pass and
 * values move to the newest format as they are written. A change to the format is a new version
 * with its reader kept, its bytes pinned by a test ({@code SettlementRecordSerializerTest}).
 *
 * <ul>
 *   <li><b>1</b> (0.2.0): seen ids and 16-byte fingerprints, forget-at, timer, machine, pending.
 *   <li><b>2</b> (0.2.0): and the settlement's clock (the watermark it was last advanced to), after
 *       forget-at, where its flag is set. A version 1 value reads with no clock.
 * </ul>
 */
public final class SettlementRecordSerializer extends TypeSerializerSingleton<SettlementRecord> {
    private static final long serialVersionUID = 1L;

    public static final SettlementRecordSerializer INSTANCE = new SettlementRecordSerializer();

    /** The record as a Flink type (the savepoint tools move records between operators). */
    public static final SerializerTypeInfo<SettlementRecord> TYPE =
            new SerializerTypeInfo<>(SettlementRecord.class, INSTANCE, "SettlementRecord");

    /** The version this serializer writes. */
    public static final int CURRENT_VERSION = 2;

    private static final EventType[] TYPES = EventType.values();
    private static final SettlementStatus[] STATUSES = SettlementStatus.values();

    private static final int HAS_MACHINE = 1;
    private static final int HAS_TIMER = 2;
    private static final int REMEMBERS = 4;
    private static final int CLOCKED = 8;
    private static final int AT_RISK_RAISED = 1;
    private static final int DEADLINE_RAISED = 2;

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SettlementRecord createInstance() {
        return new SettlementRecord();
    }

    @Override
    public SettlementRecord copy(SettlementRecord from) {
        try {
            DataOutputSerializer out = new DataOutputSerializer(256);
            serialize(from, out);
            SettlementRecord copy =
                    deserialize(new DataInputDeserializer(out.getSharedBuffer(), 0, out.length()));
            if (from.machine() != null) {
                copy.machine().setSettlementId(from.machine().getSettlementId());
            }
            for (int i = 0; i < from.pending().size(); i++) {
                copy.pending().get(i).setSettlementId(from.pending().get(i).getSettlementId());
            }
            return copy;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public SettlementRecord copy(SettlementRecord from, SettlementRecord reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    // ---------------------------------------------------------------------------------------
    // Writing (the current version).

    @Override
    public void serialize(SettlementRecord r, DataOutputView out) throws IOException {
        Strings strings = new Strings();
        strings.collect(r);
        out.writeByte(CURRENT_VERSION);
        Varint.write(strings.list.size(), out);
        for (String s : strings.list) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            Varint.write(utf8.length, out);
            out.write(utf8);
        }
        SettlementState m = r.machine();
        int flags =
                (m != null ? HAS_MACHINE : 0)
                        | (r.timer() != SettlementRecord.NO_TIMER ? HAS_TIMER : 0)
                        | (r.forgetAt() != SettlementRecord.NOTHING_REMEMBERED ? REMEMBERS : 0)
                        | (r.clock() != SettlementRecord.NO_CLOCK ? CLOCKED : 0);
        out.writeByte(flags);
        if ((flags & HAS_TIMER) != 0) {
            Varint.writeSigned(r.timer(), out);
        }
        if ((flags & REMEMBERS) != 0) {
            Varint.writeSigned(r.forgetAt(), out);
        }
        if ((flags & CLOCKED) != 0) {
            Varint.writeSigned(r.clock(), out);
        }
        Varint.write(r.seenIds().size(), out);
        for (int i = 0; i < r.seenIds().size(); i++) {
            strings.write(r.seenIds().get(i), out);
            byte[] fp = r.seenFingerprints().get(i);
            if (fp.length != Deduplication.FINGERPRINT_BYTES) {
                throw new IOException("a fingerprint of " + fp.length + " bytes");
            }
            out.write(fp);
        }
        if (m != null) {
            writeMachine(m, strings, out);
        }
        Varint.write(r.pending().size(), out);
        for (SettlementEvent e : r.pending()) {
            writeEvent(e, strings, out);
        }
    }

    private static void writeMachine(SettlementState m, Strings strings, DataOutputView out)
            throws IOException {
        out.writeByte(m.getStatus() == null ? 0 : m.getStatus().ordinal() + 1);
        out.writeByte(
                (m.isAtRiskRaised() ? AT_RISK_RAISED : 0)
                        | (m.isDeadlineRaised() ? DEADLINE_RAISED : 0));
        strings.write(m.getBookingEventId(), out);
        Instants.write(m.getBookedAt(), out);
        Instants.write(m.getDeadline(), out);
        Instants.write(m.getEndedAt(), out);
        Varint.write(m.getEventsApplied(), out);
        Varint.write(m.getLegs().size(), out);
        for (LegState leg : m.getLegs()) {
            strings.write(leg.getLegId(), out);
            strings.write(leg.getPayer(), out);
            strings.write(leg.getPayee(), out);
            strings.write(leg.getCurrency(), out);
            Decimals.write(leg.getAmount(), out);
            strings.write(leg.getConfirmedBy(), out);
            Instants.write(leg.getConfirmedAt(), out);
        }
        Varint.write(m.getWaiting().size(), out);
        for (SettlementEvent e : m.getWaiting()) {
            writeEvent(e, strings, out);
        }
        Varint.write(m.getOrphansRaised().size(), out);
        for (String id : m.getOrphansRaised()) {
            strings.write(id, out);
        }
    }

    private static void writeEvent(SettlementEvent e, Strings strings, DataOutputView out)
            throws IOException {
        strings.write(e.getEventId(), out);
        out.writeByte(e.getType().ordinal());
        Instants.write(e.getEventTime(), out);
        switch (e.getType()) {
            case OBLIGATION_BOOKED:
                Instants.write(e.getDeadline(), out);
                Varint.write(e.getLegs().size(), out);
                for (Leg leg : e.getLegs()) {
                    strings.write(leg.getLegId(), out);
                    strings.write(leg.getPayer(), out);
                    strings.write(leg.getPayee(), out);
                    strings.write(leg.getCurrency(), out);
                    Decimals.write(leg.getAmount(), out);
                }
                break;
            case LEG_CONFIRMED:
                strings.write(e.getLegId(), out);
                strings.write(e.getCurrency(), out);
                Decimals.write(e.getAmount(), out);
                break;
            default:
                strings.write(e.getReason(), out);
                break;
        }
    }

    // ---------------------------------------------------------------------------------------
    // Reading (every version).

    @Override
    public SettlementRecord deserialize(DataInputView in) throws IOException {
        int version = in.readUnsignedByte();
        if (version == 1 || version == 2) {
            return read(in); // version 1 never sets the flag of version 2's one addition
        }
        throw new IOException(
                "settlement state of format version "
                        + version
                        + ", which this build does not know (it knows 1 to "
                        + CURRENT_VERSION
                        + "): restore it with the build that wrote it or a newer one");
    }

    private static SettlementRecord read(DataInputView in) throws IOException {
        int n = Varint.read(in);
        String[] table = new String[n];
        for (int i = 0; i < n; i++) {
            byte[] utf8 = new byte[Varint.read(in)];
            in.readFully(utf8);
            table[i] = new String(utf8, StandardCharsets.UTF_8);
        }
        int flags = in.readUnsignedByte();
        long timer = (flags & HAS_TIMER) != 0 ? Varint.readSigned(in) : SettlementRecord.NO_TIMER;
        long forgetAt =
                (flags & REMEMBERS) != 0
                        ? Varint.readSigned(in)
                        : SettlementRecord.NOTHING_REMEMBERED;
        long clock = (flags & CLOCKED) != 0 ? Varint.readSigned(in) : SettlementRecord.NO_CLOCK;
        int seen = Varint.read(in);
        List<String> ids = new ArrayList<>(seen + 1);
        List<byte[]> fps = new ArrayList<>(seen + 1);
        for (int i = 0; i < seen; i++) {
            ids.add(ref(table, in));
            byte[] fp = new byte[Deduplication.FINGERPRINT_BYTES];
            in.readFully(fp);
            fps.add(fp);
        }
        SettlementState machine = (flags & HAS_MACHINE) != 0 ? readMachine(table, in) : null;
        int pendingCount = Varint.read(in);
        List<SettlementEvent> pending = new ArrayList<>(pendingCount + 1);
        for (int i = 0; i < pendingCount; i++) {
            pending.add(readEvent(table, in));
        }
        SettlementRecord record = new SettlementRecord(ids, fps, forgetAt, machine, pending, timer);
        record.advanceClock(clock);
        return record;
    }

    private static SettlementState readMachine(String[] table, DataInputView in)
            throws IOException {
        SettlementState m = new SettlementState();
        int status = in.readUnsignedByte();
        m.setStatus(status == 0 ? null : STATUSES[status - 1]);
        int flags = in.readUnsignedByte();
        m.setAtRiskRaised((flags & AT_RISK_RAISED) != 0);
        m.setDeadlineRaised((flags & DEADLINE_RAISED) != 0);
        m.setBookingEventId(ref(table, in));
        m.setBookedAt(Instants.read(in));
        m.setDeadline(Instants.read(in));
        m.setEndedAt(Instants.read(in));
        m.setEventsApplied(Varint.read(in));
        int legs = Varint.read(in);
        List<LegState> list = new ArrayList<>(legs);
        for (int i = 0; i < legs; i++) {
            LegState leg = new LegState();
            leg.setLegId(ref(table, in));
            leg.setPayer(ref(table, in));
            leg.setPayee(ref(table, in));
            leg.setCurrency(ref(table, in));
            leg.setAmount(Decimals.read(in));
            leg.setConfirmedBy(ref(table, in));
            leg.setConfirmedAt(Instants.read(in));
            list.add(leg);
        }
        m.setLegs(list);
        int waiting = Varint.read(in);
        List<SettlementEvent> w = new ArrayList<>(waiting);
        for (int i = 0; i < waiting; i++) {
            w.add(readEvent(table, in));
        }
        m.setWaiting(w);
        int orphans = Varint.read(in);
        List<String> o = new ArrayList<>(orphans);
        for (int i = 0; i < orphans; i++) {
            o.add(ref(table, in));
        }
        m.setOrphansRaised(o);
        return m;
    }

    private static SettlementEvent readEvent(String[] table, DataInputView in) throws IOException {
        SettlementEvent e = new SettlementEvent();
        e.setEventId(ref(table, in));
        e.setType(TYPES[in.readUnsignedByte()]);
        e.setEventTime(Instants.read(in));
        switch (e.getType()) {
            case OBLIGATION_BOOKED:
                e.setDeadline(Instants.read(in));
                int n = Varint.read(in);
                List<Leg> legs = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    legs.add(
                            new Leg(
                                    ref(table, in),
                                    ref(table, in),
                                    ref(table, in),
                                    ref(table, in),
                                    Decimals.read(in)));
                }
                e.setLegs(legs);
                break;
            case LEG_CONFIRMED:
                e.setLegId(ref(table, in));
                e.setCurrency(ref(table, in));
                e.setAmount(Decimals.read(in));
                break;
            default:
                e.setReason(ref(table, in));
                break;
        }
        return e;
    }

    private static String ref(String[] table, DataInputView in) throws IOException {
        int i = Varint.read(in);
        return i == 0 ? null : table[i - 1];
    }

    @Override
    public SettlementRecord deserialize(SettlementRecord reuse, DataInputView in)
            throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    @Override
    public TypeSerializerSnapshot<SettlementRecord> snapshotConfiguration() {
        return new Snapshot();
    }

    /**
     * The serializer reads every format version it knows (each value carries its own), so the
     * snapshot only names it: any version restores as is.
     */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SettlementRecord> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    // ---------------------------------------------------------------------------------------
    // Encodings.

    /** The string table of one value: each distinct string once, referenced by position + 1. */
    private static final class Strings {
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> list = new ArrayList<>();

        void add(String s) {
            if (s != null && !index.containsKey(s)) {
                index.put(s, list.size() + 1);
                list.add(s);
            }
        }

        void collect(SettlementRecord r) {
            r.seenIds().forEach(this::add);
            SettlementState m = r.machine();
            if (m != null) {
                add(m.getBookingEventId());
                for (LegState leg : m.getLegs()) {
                    add(leg.getLegId());
                    add(leg.getPayer());
                    add(leg.getPayee());
                    add(leg.getCurrency());
                    add(leg.getConfirmedBy());
                }
                m.getWaiting().forEach(this::collect);
                m.getOrphansRaised().forEach(this::add);
            }
            r.pending().forEach(this::collect);
        }

        private void collect(SettlementEvent e) {
            add(e.getEventId());
            if (e.getLegs() != null) {
                for (Leg leg : e.getLegs()) {
                    add(leg.getLegId());
                    add(leg.getPayer());
                    add(leg.getPayee());
                    add(leg.getCurrency());
                }
            }
            add(e.getLegId());
            add(e.getCurrency());
            add(e.getReason());
        }

        void write(String s, DataOutputView out) throws IOException {
            Varint.write(s == null ? 0 : index.get(s), out);
        }
    }

    /** Unsigned and zig-zag signed variable-length integers (7 bits a byte, low bits first). */
    static final class Varint {
        private Varint() {}

        static void write(long v, DataOutputView out) throws IOException {
            if (v < 0) {
                throw new IOException("a negative count " + v);
            }
            writeRaw(v, out);
        }

        static void writeSigned(long v, DataOutputView out) throws IOException {
            writeRaw((v << 1) ^ (v >> 63), out);
        }

        private static void writeRaw(long v, DataOutputView out) throws IOException {
            while ((v & ~0x7FL) != 0) {
                out.writeByte((int) ((v & 0x7F) | 0x80));
                v >>>= 7;
            }
            out.writeByte((int) v);
        }

        static int read(DataInputView in) throws IOException {
            long v = readRaw(in);
            if (v > Integer.MAX_VALUE) {
                throw new IOException("a count of " + v);
            }
            return (int) v;
        }

        static long readSigned(DataInputView in) throws IOException {
            long v = readRaw(in);
            return (v >>> 1) ^ -(v & 1);
        }

        private static long readRaw(DataInputView in) throws IOException {
            long v = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = in.readUnsignedByte();
                v |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    return v;
                }
            }
            throw new IOException("a variable-length integer longer than 10 bytes");
        }
    }

    /** Nullable instants: a presence byte, then seconds (signed) and nanoseconds. */
    static final class Instants {
        private Instants() {}

        static void write(Instant t, DataOutputView out) throws IOException {
            if (t == null) {
                out.writeByte(0);
                return;
            }
            out.writeByte(t.getNano() == 0 ? 1 : 2);
            Varint.writeSigned(t.getEpochSecond(), out);
            if (t.getNano() != 0) {
                Varint.write(t.getNano(), out);
            }
        }

        static Instant read(DataInputView in) throws IOException {
            int kind = in.readUnsignedByte();
            if (kind == 0) {
                return null;
            }
            long seconds = Varint.readSigned(in);
            return Instant.ofEpochSecond(seconds, kind == 2 ? Varint.read(in) : 0);
        }
    }

    /** Nullable amounts: scale and unscaled value, a long when it fits. */
    static final class Decimals {
        private Decimals() {}

        static void write(BigDecimal d, DataOutputView out) throws IOException {
            if (d == null) {
                out.writeByte(0);
                return;
            }
            BigInteger unscaled = d.unscaledValue();
            boolean small = unscaled.bitLength() < 63;
            out.writeByte(small ? 1 : 2);
            Varint.writeSigned(d.scale(), out);
            if (small) {
                Varint.writeSigned(unscaled.longValue(), out);
            } else {
                byte[] bytes = unscaled.toByteArray();
                Varint.write(bytes.length, out);
                out.write(bytes);
            }
        }

        static BigDecimal read(DataInputView in) throws IOException {
            int kind = in.readUnsignedByte();
            if (kind == 0) {
                return null;
            }
            int scale = (int) Varint.readSigned(in);
            if (kind == 1) {
                return BigDecimal.valueOf(Varint.readSigned(in), scale);
            }
            byte[] bytes = new byte[Varint.read(in)];
            in.readFully(bytes);
            return new BigDecimal(new BigInteger(bytes), scale);
        }
    }
}

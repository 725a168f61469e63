package io.settle.operators.flink;

import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.base.BigDecSerializer;
import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import io.settle.operators.model.EventType;
import io.settle.operators.model.Leg;
import io.settle.operators.model.Origin;
import io.settle.operators.model.SettlementEvent;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A hand-written serializer for {@link SettlementEvent} on the wire between the decoding sources
 * and the keyed operators: no reflection and no empty instances filled in field by field, as the
 * POJO serializer does. For records in flight only: state keeps the POJO serializer, whose
 * snapshots evolve with the class. Every field round-trips, the origin included; a property test
 * checks it against the fields of the class, so a new field cannot be forgotten silently.
 */
public final class EventWireSerializer extends TypeSerializerSingleton<SettlementEvent> {
    private static final long serialVersionUID = 1L;

    public static final EventWireSerializer INSTANCE = new EventWireSerializer();

    private static final EventType[] TYPES = EventType.values();

    @Override
    public boolean isImmutableType() {
        return false;
    }

    @Override
    public SettlementEvent createInstance() {
        return new SettlementEvent();
    }

    @Override
    public SettlementEvent copy(SettlementEvent from) {
        SettlementEvent to = new SettlementEvent();
        to.setEventId(from.getEventId());
        to.setType(from.getType());
        to.setSettlementId(from.getSettlementId());
        to.setEventTime(from.getEventTime());
        if (from.getLegs() != null) {
            List<Leg> legs = new ArrayList<>(from.getLegs().size());
            for (Leg l : from.getLegs()) {
                legs.add(
                        l == null
                                ? null
                                : new Leg(
                                        l.getLegId(),
                                        l.getPayer(),
                                        l.getPayee(),
                                        l.getCurrency(),
                                        l.getAmount()));
            }
            to.setLegs(legs);
        }
        to.setDeadline(from.getDeadline());
        to.setLegId(from.getLegId());
        to.setCurrency(from.getCurrency());
        to.setAmount(from.getAmount());
        to.setReason(from.getReason());
        Origin o = from.getOrigin();
        if (o != null) {
            Origin c = new Origin();
            c.setTopic(o.getTopic());
            c.setPartition(o.getPartition());
            c.setOffset(o.getOffset());
            c.setFile(o.getFile());
            c.setLine(o.getLine());
            to.setOrigin(c);
        }
        return to;
    }

    @Override
    public SettlementEvent copy(SettlementEvent from, SettlementEvent reuse) {
        return copy(from);
    }

    @Override
    public int getLength() {
        return -1;
    }

    @Override
    public void serialize(SettlementEvent e, DataOutputView out) throws IOException {
        StringValue.writeString(e.getEventId(), out);
        out.writeByte(e.getType() == null ? -1 : e.getType().ordinal());
        StringValue.writeString(e.getSettlementId(), out);
        writeInstant(e.getEventTime(), out);
        List<Leg> legs = e.getLegs();
        out.writeInt(legs == null ? -1 : legs.size());
        if (legs != null) {
            for (Leg l : legs) {
                out.writeBoolean(l != null);
                if (l != null) {
                    StringValue.writeString(l.getLegId(), out);
                    StringValue.writeString(l.getPayer(), out);
                    StringValue.writeString(l.getPayee(), out);
                    StringValue.writeString(l.getCurrency(), out);
                    BigDecSerializer.INSTANCE.serialize(l.getAmount(), out);
                }
            }
        }
        writeInstant(e.getDeadline(), out);
        StringValue.writeString(e.getLegId(), out);
        StringValue.writeString(e.getCurrency(), out);
        BigDecSerializer.INSTANCE.serialize(e.getAmount(), out);
        StringValue.writeString(e.getReason(), out);
        Origin o = e.getOrigin();
        out.writeBoolean(o != null);
        if (o != null) {
            StringValue.writeString(o.getTopic(), out);
            out.writeBoolean(o.getPartition() != null);
            if (o.getPartition() != null) {
                out.writeInt(o.getPartition());
            }
            writeLong(o.getOffset(), out);
            StringValue.writeString(o.getFile(), out);
            writeLong(o.getLine(), out);
        }
    }

    @Override
    public SettlementEvent deserialize(DataInputView in) throws IOException {
        SettlementEvent e = new SettlementEvent();
        e.setEventId(StringValue.readString(in));
        byte type = in.readByte();
        e.setType(type < 0 ? null : TYPES[type]);
        e.setSettlementId(StringValue.readString(in));
        e.setEventTime(readInstant(in));
        int legs = in.readInt();
        if (legs >= 0) {
            List<Leg> list = new ArrayList<>(legs);
            for (int i = 0; i < legs; i++) {
                list.add(
                        in.readBoolean()
                                ? new Leg(
                                        StringValue.readString(in),
                                        StringValue.readString(in),
                                        StringValue.readString(in),
                                        StringValue.readString(in),
                                        BigDecSerializer.INSTANCE.deserialize(in))
                                : null);
            }
            e.setLegs(list);
        }
        e.setDeadline(readInstant(in));
        e.setLegId(StringValue.readString(in));
        e.setCurrency(StringValue.readString(in));
        e.setAmount(BigDecSerializer.INSTANCE.deserialize(in));
        e.setReason(StringValue.readString(in));
        if (in.readBoolean()) {
            Origin o = new Origin();
            o.setTopic(StringValue.readString(in));
            o.setPartition(in.readBoolean() ? in.readInt() : null);
            o.setOffset(readLong(in));
            o.setFile(StringValue.readString(in));
            o.setLine(readLong(in));
            e.setOrigin(o);
        }
        return e;
    }

    @Override
    public SettlementEvent deserialize(SettlementEvent reuse, DataInputView in) throws IOException {
        return deserialize(in);
    }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        serialize(deserialize(in), out);
    }

    private static void writeInstant(Instant t, DataOutputView out) throws IOException {
        out.writeBoolean(t != null);
        if (t != null) {
            out.writeLong(t.getEpochSecond());
            out.writeInt(t.getNano());
        }
    }

    private static Instant readInstant(DataInputView in) throws IOException {
        return in.readBoolean() ? Instant.ofEpochSecond(in.readLong(), in.readInt()) : null;
    }

    private static void writeLong(Long v, DataOutputView out) throws IOException {
        out.writeBoolean(v != null);
        if (v != null) {
            out.writeLong(v);
        }
    }

    private static Long readLong(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }

    @Override
    public TypeSerializerSnapshot<SettlementEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Stateless: the snapshot only names the serializer. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<SettlementEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }
}

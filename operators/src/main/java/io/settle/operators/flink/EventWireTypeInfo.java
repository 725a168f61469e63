package io.settle.operators.flink;

import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import io.settle.operators.model.SettlementEvent;

/** {@link SettlementEvent} in flight, serialized by {@link EventWireSerializer}. */
public final class EventWireTypeInfo extends TypeInformation<SettlementEvent> {
    private static final long serialVersionUID = 1L;

    public static final EventWireTypeInfo INSTANCE = new EventWireTypeInfo();

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<SettlementEvent> getTypeClass() {
        return SettlementEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public TypeSerializer<SettlementEvent> createSerializer(SerializerConfig config) {
        return EventWireSerializer.INSTANCE;
    }

    @Override
    public String toString() {
        return "SettlementEvent (wire)";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof EventWireTypeInfo;
    }

    @Override
    public int hashCode() {
        return EventWireTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof EventWireTypeInfo;
    }
}

package io.settle.operators.flink;

import io.settle.operators.model.SettlementEvent;

/** {@link SettlementEvent} in flight, serialized by {@link EventWireSerializer}. */
public final class EventWireTypeInfo extends SerializerTypeInfo<SettlementEvent> {
    private static final long serialVersionUID = 1L;

    public static final EventWireTypeInfo INSTANCE = new EventWireTypeInfo();

    private EventWireTypeInfo() {
        super(SettlementEvent.class, EventWireSerializer.INSTANCE, "SettlementEvent (wire)");
    }
}

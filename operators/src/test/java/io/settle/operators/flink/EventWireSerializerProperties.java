package io.settle.operators.flink;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

import io.settle.operators.RandomDay;
import io.settle.operators.model.EventType;
import io.settle.operators.model.Leg;
import io.settle.operators.model.Origin;
import io.settle.operators.model.SettlementEvent;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The wire serializer gives back every field of every event, and copies deeply. */
class EventWireSerializerProperties {
    private static final EventWireSerializer S = EventWireSerializer.INSTANCE;

    private static SettlementEvent roundTrip(SettlementEvent e) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        S.serialize(e, out);
        SettlementEvent back = S.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        // copy(DataInputView, DataOutputView) writes the same bytes
        DataOutputSerializer copied = new DataOutputSerializer(256);
        S.copy(new DataInputDeserializer(out.getCopyOfBuffer()), copied);
        assertThat(copied.getCopyOfBuffer()).isEqualTo(out.getCopyOfBuffer());
        return back;
    }

    @Property(tries = 100)
    void everyEventOfARandomDayComesBackWhole(@ForAll long seed) throws Exception {
        long line = 1;
        for (SettlementEvent e : RandomDay.generate(seed, 10)) {
            e.setOrigin(
                    line % 2 == 0
                            ? Origin.kafka("events", (int) (line % 7), line * 31)
                            : Origin.file("day.jsonl", line));
            line++;
            assertThat(roundTrip(e)).usingRecursiveComparison().isEqualTo(e);
            assertThat(S.copy(e)).usingRecursiveComparison().isEqualTo(e);
        }
    }

    @Example
    void anEventWithEveryFieldSetAndOneWithNoneComeBackWhole() throws Exception {
        SettlementEvent full = new SettlementEvent();
        full.setEventId("e-ü-1");
        full.setType(EventType.OBLIGATION_BOOKED);
        full.setSettlementId("S-1");
        full.setEventTime(Instant.parse("2026-11-25T10:00:00.123456789Z"));
        full.setLegs(
                Arrays.asList(
                        new Leg("L1", "BANK_A", "BANK_B", "USD", new BigDecimal("10.500")), null));
        full.setDeadline(Instant.parse("2026-11-25T12:00:00Z"));
        full.setLegId("L9");
        full.setCurrency("JPY");
        full.setAmount(new BigDecimal("-12345678901234567890.1"));
        full.setReason("a \"reason\"\n");
        Origin o = new Origin();
        o.setTopic("t");
        o.setPartition(3);
        o.setOffset(99L);
        o.setFile("f");
        o.setLine(7L);
        full.setOrigin(o);
        assertThat(roundTrip(full)).usingRecursiveComparison().isEqualTo(full);
        SettlementEvent copy = S.copy(full);
        assertThat(copy).usingRecursiveComparison().isEqualTo(full);
        assertThat(copy.getLegs()).isNotSameAs(full.getLegs());
        assertThat(copy.getOrigin()).isNotSameAs(full.getOrigin());

        SettlementEvent empty = new SettlementEvent();
        assertThat(roundTrip(empty)).usingRecursiveComparison().isEqualTo(empty);
    }

    /** A new field in the model must be added to the serializer (and here). */
    @Example
    void theSerializerKnowsEveryFieldOfTheModel() {
        assertThat(fields(SettlementEvent.class))
                .containsExactlyInAnyOrder(
                        "eventId",
                        "type",
                        "settlementId",
                        "eventTime",
                        "legs",
                        "deadline",
                        "legId",
                        "currency",
                        "amount",
                        "reason",
                        "origin");
        assertThat(fields(Leg.class))
                .containsExactlyInAnyOrder("legId", "payer", "payee", "currency", "amount");
        assertThat(fields(Origin.class))
                .containsExactlyInAnyOrder("topic", "partition", "offset", "file", "line");
    }

    private static List<String> fields(Class<?> type) {
        return Arrays.stream(type.getDeclaredFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers()))
                .map(Field::getName)
                .toList();
    }
}

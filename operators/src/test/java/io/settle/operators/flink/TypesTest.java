package io.settle.operators.flink;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.types.PojoTestUtils;

import io.settle.operators.core.LegState;
import io.settle.operators.core.SettlementState;
import io.settle.operators.model.Alert;
import io.settle.operators.model.DeadLetter;
import io.settle.operators.model.Leg;
import io.settle.operators.model.OpenBookEntry;
import io.settle.operators.model.Origin;
import io.settle.operators.model.SettlementEvent;
import io.settle.operators.model.SettlementResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every type Flink serializes, in flight or in state, is a POJO whose serializer can evolve, with
 * no field falling back to Kryo.
 */
class TypesTest {
    @ParameterizedTest
    @ValueSource(
            classes = {
                SettlementEvent.class,
                Leg.class,
                Origin.class,
                Alert.class,
                SettlementResult.class,
                OpenBookEntry.class,
                DeadLetter.class,
                SettlementState.class,
                LegState.class
            })
    void isAPojoWithoutKryo(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
        assertThat(TypeInformation.of(type)).isInstanceOf(PojoTypeInfo.class);
    }
}

package io.settle.report;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.types.PojoTestUtils;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Every type the report job ships between its tasks is a POJO, no field falling back to Kryo. */
class ReportTypesTest {
    @ParameterizedTest
    @ValueSource(
            classes = {
                RawOutput.class,
                ReportRecord.class,
                SettlementFacts.class,
                Figure.class,
                LatencySample.class,
                OpenItem.class,
                ReportPart.class
            })
    void isAPojoWithoutKryo(Class<?> type) {
        PojoTestUtils.assertSerializedAsPojoWithoutKryo(type);
        assertThat(TypeInformation.of(type)).isInstanceOf(PojoTypeInfo.class);
    }
}

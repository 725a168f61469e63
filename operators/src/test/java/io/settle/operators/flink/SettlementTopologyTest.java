package io.settle.operators.flink;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamEdge;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.streaming.runtime.partitioner.KeyGroupStreamPartitioner;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import io.settle.operators.RandomDay;
import io.settle.operators.codec.OutputCodec;
import io.settle.operators.core.ReplayOracle;
import io.settle.operators.core.SettlementConfig;
import io.settle.operators.model.SettlementEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/** The keyed part of the job on a MiniCluster: one shuffle, no Kryo, the oracle's outcome. */
class SettlementTopologyTest {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(2)
                            .build());

    private static StreamExecutionEnvironment env() {
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(2);
        return env;
    }

    @Test
    void shufflesOnceBySettlementIdIntoOneKeyedOperatorThatChainsItsSink() {
        StreamExecutionEnvironment env = env();
        List<SettlementEvent> events = RandomDay.generate(1L, 3);
        SettlementConfig config =
                SettlementConfig.builder().replay(ReplayOracle.greatestEventTime(events)).build();
        DataStream<SettlementEvent> source =
                env.fromData(
                        TypeInformation.of(SettlementEvent.class),
                        events.toArray(new SettlementEvent[0]));
        SettlementTopology.Streams streams = SettlementTopology.settle(source, config);
        streams.results().print();

        StreamGraph graph = env.getStreamGraph(false);
        int keyedEdges = 0;
        for (StreamNode node : graph.getStreamNodes()) {
            for (StreamEdge edge : node.getInEdges()) {
                if (edge.getPartitioner() instanceof KeyGroupStreamPartitioner) {
                    keyedEdges++;
                }
            }
        }
        assertThat(keyedEdges).isEqualTo(1);
        assertThat(graph.getStreamNodes())
                .filteredOn(n -> n.getOperatorName().equals(SettlementTopology.NAME_SETTLE))
                .hasSize(1);
        assertThat(graph.getJobGraph().getVertices())
                .anySatisfy(
                        v ->
                                assertThat(v.getName())
                                        .contains(SettlementTopology.NAME_SETTLE)
                                        .contains("Print"));
    }

    @Test
    void replayOnAMiniClusterGivesTheOraclesOutcome() throws Exception {
        List<SettlementEvent> events = new ArrayList<>(RandomDay.generate(7L, 60));
        events.addAll(events.subList(0, 40)); // exact duplicates
        Collections.shuffle(events, new java.util.Random(7L));
        SettlementConfig config =
                SettlementConfig.builder().replay(ReplayOracle.greatestEventTime(events)).build();
        ReplayOracle.Outcome expected = new ReplayOracle(config).run(events);

        StreamExecutionEnvironment env = env();
        DataStream<SettlementEvent> source =
                env.fromData(
                                TypeInformation.of(SettlementEvent.class),
                                events.toArray(new SettlementEvent[0]))
                        .assignTimestampsAndWatermarks(WatermarkStrategy.noWatermarks());
        SettlementTopology.Streams streams = SettlementTopology.settle(source, config);
        OutputCodec out = new OutputCodec();
        // One collected stream of tagged JSON lines: results, alerts and the open book.
        DataStream<String> all =
                streams.results()
                        .map(r -> "result " + new OutputCodec().result(r))
                        .union(
                                streams.alerts().map(a -> "alert " + new OutputCodec().alert(a)),
                                streams.openBook()
                                        .map(o -> "open " + new OutputCodec().openBook(o)));
        List<String> actual = new ArrayList<>();
        try (CloseableIterator<String> it = all.executeAndCollect("settle-topology-test")) {
            it.forEachRemaining(actual::add);
        }
        Collections.sort(actual);

        List<String> wanted = new ArrayList<>();
        add(wanted, "result ", expected.results(), out::result);
        add(wanted, "alert ", expected.alerts(), out::alert);
        add(wanted, "open ", expected.openBook(), out::openBook);
        Collections.sort(wanted);
        assertThat(actual).isEqualTo(wanted);
        assertThat(actual)
                .anyMatch(l -> l.startsWith("result "))
                .anyMatch(l -> l.startsWith("open "));
    }

    private static <T> void add(
            List<String> into, String tag, List<T> items, Function<T, String> json) {
        items.forEach(i -> into.add(tag + json.apply(i)));
    }
}

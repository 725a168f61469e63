package io.settle.tools.bench;

import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The peer: the same dedup-and-settle logic as a Flink user would write it in Flink SQL, over the
 * same JSON Lines files. Two shapes:
 *
 * <ul>
 *   <li><b>good</b>: one {@code ROW_NUMBER} deduplication (keep the first copy of each {@code
 *       (settlementId, eventId)}), then one {@code GROUP BY settlementId} over the events with
 *       their booked legs unnested, comparing the count and total of the booked legs with those of
 *       the confirmations; a cancellation wins;
 *   <li><b>naive</b>: the booked legs joined to the confirmations on settlement, leg, currency and
 *       amount, then grouped: the planner cannot share the deduplicated view between the join's two
 *       sides and deduplicates twice.
 * </ul>
 *
 * <p>Both run in batch mode, as Settle's replay does, and write their results as JSON Lines files
 * (one row per settlement). Neither does what Settle does beyond that: no apply order, SLA clock,
 * alerts, conflicting duplicates or dead letters with reasons; malformed lines are skipped by the
 * JSON format. So the peer does less work per event than Settle.
 */
final class SqlPeer {
    private SqlPeer() {}

    /** The table options a tuned SQL job sets; recorded with the results. */
    static final Map<String, String> TABLE_CONFIG = new LinkedHashMap<>();

    static {
        TABLE_CONFIG.put("execution.runtime-mode", "batch");
    }

    static String sourceTable(Path input) {
        return "CREATE TABLE events (\n"
                + "  eventId STRING,\n"
                + "  type STRING,\n"
                + "  settlementId STRING,\n"
                + "  eventTime STRING,\n"
                + "  deadline STRING,\n"
                + "  legs ARRAY<ROW<legId STRING, payer STRING, payee STRING, currency STRING,"
                + " amount STRING>>,\n"
                + "  legId STRING,\n"
                + "  currency STRING,\n"
                + "  amount STRING,\n"
                + "  reason STRING,\n"
                + "  proc AS PROCTIME()\n"
                + ") WITH (\n"
                + "  'connector' = 'filesystem',\n"
                + "  'path' = '"
                + input.toAbsolutePath().toUri()
                + "',\n"
                + "  'format' = 'json',\n"
                + "  'json.ignore-parse-errors' = 'true',\n"
                + "  'json.fail-on-missing-field' = 'false'\n"
                + ")";
    }

    static final String DISTINCT_EVENTS =
            "CREATE TEMPORARY VIEW distinct_events AS\n"
                    + "SELECT settlementId, eventId, type, legs, legId, currency, amount FROM (\n"
                    + "  SELECT *, ROW_NUMBER() OVER (\n"
                    + "    PARTITION BY settlementId, eventId ORDER BY proc ASC) AS rn\n"
                    + "  FROM events\n"
                    + "  WHERE eventId IS NOT NULL AND settlementId IS NOT NULL AND type IS NOT NULL)\n"
                    + "WHERE rn = 1";

    /** The results as JSON Lines files under {@code output}, as Settle's replay writes them. */
    static String sink(Path output) {
        return "CREATE TABLE settlements (\n"
                + "  settlementId STRING,\n"
                + "  status STRING,\n"
                + "  legs INT,\n"
                + "  confirmed INT\n"
                + ") WITH (\n"
                + "  'connector' = 'filesystem',\n"
                + "  'path' = '"
                + output.toAbsolutePath().toUri()
                + "',\n"
                + "  'format' = 'json'\n"
                + ")";
    }

    static final String GOOD =
            "INSERT INTO settlements\n"
                    + "SELECT settlementId,\n"
                    + "  CASE WHEN MAX(cancelled) = 1 THEN 'CANCELLED'\n"
                    + "       WHEN SUM(booked_legs) > 0 AND SUM(confirmed_legs) = SUM(booked_legs)\n"
                    + "            AND SUM(confirmed_amount) = SUM(booked_amount) THEN 'SETTLED'\n"
                    + "       ELSE 'OPEN' END,\n"
                    + "  SUM(booked_legs),\n"
                    + "  SUM(confirmed_legs)\n"
                    + "FROM (\n"
                    + "  SELECT d.settlementId,\n"
                    + "    CASE WHEN d.type = 'SETTLEMENT_CANCELLED' THEN 1 ELSE 0 END AS cancelled,\n"
                    + "    CASE WHEN d.type = 'OBLIGATION_BOOKED' THEN 1 ELSE 0 END AS booked_legs,\n"
                    + "    CASE WHEN d.type = 'OBLIGATION_BOOKED'\n"
                    + "         THEN TRY_CAST(l.amount AS DECIMAL(38, 3)) END AS booked_amount,\n"
                    + "    CASE WHEN d.type = 'LEG_CONFIRMED' THEN 1 ELSE 0 END AS confirmed_legs,\n"
                    + "    CASE WHEN d.type = 'LEG_CONFIRMED'\n"
                    + "         THEN TRY_CAST(d.amount AS DECIMAL(38, 3)) END AS confirmed_amount\n"
                    + "  FROM distinct_events d\n"
                    + "  LEFT JOIN UNNEST(d.legs) AS l(legId, payer, payee, currency, amount) ON TRUE\n"
                    + ")\n"
                    + "GROUP BY settlementId";

    static final String NAIVE =
            "INSERT INTO settlements\n"
                    + "SELECT b.settlementId,\n"
                    + "  CASE WHEN COUNT(DISTINCT c.legId) = COUNT(DISTINCT b.legId)\n"
                    + "       THEN 'SETTLED' ELSE 'OPEN' END,\n"
                    + "  CAST(COUNT(DISTINCT b.legId) AS INT),\n"
                    + "  CAST(COUNT(DISTINCT c.legId) AS INT)\n"
                    + "FROM (\n"
                    + "  SELECT d.settlementId, l.legId, l.currency,\n"
                    + "         TRY_CAST(l.amount AS DECIMAL(38, 3)) AS amount\n"
                    + "  FROM distinct_events d\n"
                    + "  CROSS JOIN UNNEST(d.legs) AS l(legId, payer, payee, currency, amount)\n"
                    + "  WHERE d.type = 'OBLIGATION_BOOKED') b\n"
                    + "LEFT JOIN (\n"
                    + "  SELECT settlementId, legId, currency,\n"
                    + "         TRY_CAST(amount AS DECIMAL(38, 3)) AS amount\n"
                    + "  FROM distinct_events WHERE type = 'LEG_CONFIRMED') c\n"
                    + "ON b.settlementId = c.settlementId AND b.legId = c.legId\n"
                    + "   AND b.currency = c.currency AND b.amount = c.amount\n"
                    + "GROUP BY b.settlementId";

    /**
     * Submits one shape over {@code input} in batch mode, its results to {@code output}; {@code
     * env} is already configured like Settle's replay (the batch runtime).
     */
    static JobClient submit(
            StreamExecutionEnvironment env, Path input, Path output, boolean naive) {
        StreamTableEnvironment tables = tables(env, input, output);
        TableResult result = tables.executeSql(naive ? NAIVE : GOOD);
        return result.getJobClient()
                .orElseThrow(() -> new IllegalStateException("the SQL job was not submitted"));
    }

    /** The optimized plan of a shape, for the record (how many deduplications it runs). */
    static String explain(StreamExecutionEnvironment env, Path input, Path output, boolean naive) {
        return tables(env, input, output).explainSql(naive ? NAIVE : GOOD);
    }

    private static StreamTableEnvironment tables(
            StreamExecutionEnvironment env, Path input, Path output) {
        StreamTableEnvironment tables =
                StreamTableEnvironment.create(env, EnvironmentSettings.inBatchMode());
        TABLE_CONFIG.forEach((k, v) -> tables.getConfig().set(k, v));
        tables.executeSql(sourceTable(input));
        tables.executeSql(DISTINCT_EVENTS);
        tables.executeSql(sink(output));
        return tables;
    }
}

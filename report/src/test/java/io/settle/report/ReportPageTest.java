package io.settle.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The page without Flink: a long period is charted by day, and still renders in a browser. */
class ReportPageTest {
    @Test
    void aPeriodOfDaysIsChartedByDay(@TempDir Path dir) throws Exception {
        Instant from = Instant.parse("2026-11-20T00:00:00Z");
        Instant to = Instant.parse("2026-11-25T00:00:00Z");
        Aggregates a = new Aggregates();
        for (Instant h = from; h.isBefore(to); h = h.plus(Duration.ofHours(1))) {
            a.add(new Figure(Metrics.HOUR_SETTLED_ON_TIME, Metrics.hour(h), 10, Figure.Op.SUM));
            a.add(new Figure(Metrics.HOUR_BOOKED, Metrics.hour(h), 10, Figure.Op.SUM));
        }
        a.add(new Figure(Metrics.SETTLED_ON_TIME, Metrics.ALL, 1200, Figure.Op.SUM));
        a.add(new Figure(Metrics.RESULTS, "SETTLED", 1200, Figure.Op.SUM));
        ReportSettings settings = ReportSettings.builder().period(from, to).build();
        Report report = ReportBuilder.build(a, settings, new Report.Source("replay", "out/"), to);

        assertThat(report.hours()).hasSize(120);
        assertThat(report.sla(Report.ON_TIME_SHARE).verdict()).isEqualTo(Report.MET);
        String html = ReportPage.render(report);
        // 5 bars, one a day, each of 240 settled on time
        assertThat(html).contains(">2026-11-20<").contains(">2026-11-24<");
        assertThat(html).contains("Settled on time: 240");
        assertThat(html).contains("Settlements per day by outcome");

        Path file = Files.writeString(dir.resolve("report.html"), html);
        String dom = Chromium.require(dir).dumpDom(file, null);
        assertThat(dom).contains("data-report-status=\"ok\"");
    }
}

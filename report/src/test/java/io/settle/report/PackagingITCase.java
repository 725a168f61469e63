package io.settle.report;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The report's own jar (report/target/settle-report.jar), submitted on its own: the report and what
 * it reads with, not the job, the tools or anything the cluster provides.
 */
class PackagingITCase {
    @Test
    void theReportJarHoldsTheReportAndNotTheJobOrTheTools() throws Exception {
        Path jar = Path.of("target", "settle-report.jar");
        List<String> entries = new ArrayList<>();
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(ReportJob.class.getName());
            Enumeration<JarEntry> e = file.entries();
            while (e.hasMoreElements()) {
                entries.add(e.nextElement().getName());
            }
        }
        assertThat(entries)
                .contains(
                        "io/settle/report/ReportJob.class",
                        "io/settle/cli/OptionSet.class",
                        "io/settle/operators/codec/OutputCodec.class");
        for (String unwanted :
                List.of(
                        "io/settle/jobs/",
                        "io/settle/tools/",
                        "io/settle/generator/",
                        "io/settle/testkit/",
                        "org/apache/flink/runtime/",
                        "org/apache/flink/configuration/",
                        "org/apache/logging/",
                        "org/junit/")) {
            assertThat(entries)
                    .as("the report jar holds %s", unwanted)
                    .noneMatch(n -> n.startsWith(unwanted) && n.endsWith(".class"));
        }
    }
}

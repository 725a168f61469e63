package io.settle.report;

import io.settle.cli.BadOptionException;
import io.settle.operators.codec.ReplayLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The report reads complete replays only. */
class ReplayFolderSourceTest {

    @Test
    void aReplayThatDidNotFinishIsRefusedNamingItsMarker(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve(ReplayLayout.RESULTS));
        Files.writeString(out.resolve(ReplayLayout.RESULTS).resolve("part-0.jsonl"), "{}\n");
        Files.writeString(out.resolve(ReplayLayout.INCOMPLETE), "{}\n");

        assertThatThrownBy(() -> new ReplayFolderSource(out.toString()).outputFolders())
                .isInstanceOf(BadOptionException.class)
                .hasMessageContaining("option '--replay'")
                .hasMessageContaining("not a complete replay")
                .hasMessageContaining("_SUCCESS")
                .hasMessageContaining("_INCOMPLETE says when it started");
    }

    @Test
    void aFinishedReplayIsRead(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("out");
        Files.createDirectories(out.resolve(ReplayLayout.RESULTS));
        Files.writeString(out.resolve(ReplayLayout.SUCCESS), "{}\n");

        assertThat(new ReplayFolderSource(out.toString()).outputFolders()).hasSize(1);
    }
}

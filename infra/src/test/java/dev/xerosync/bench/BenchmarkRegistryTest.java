package dev.xerosync.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code .ci/run} smoke-runs every class under bench/ with a public main that reports through
 * {@link Figures}. This holds every class there with a main to that rule, so a new benchmark cannot
 * be left out of CI (or print figures nobody checks): the only exceptions are the child processes
 * another benchmark starts ({@code Child.class.getName()} in its source).
 */
class BenchmarkRegistryTest {
  private static final Path BENCH = Path.of("src/test/java/dev/xerosync/bench");

  @Test
  void everyClassWithAMainUnderBenchReportsThroughFiguresOrIsAnotherBenchmarksChild()
      throws IOException {
    List<String> sources = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(BENCH)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path f : files) {
      sources.add(Files.readString(f));
    }
    List<String> benchmarks = new ArrayList<>();
    List<String> unregistered = new ArrayList<>();
    for (int i = 0; i < files.size(); i++) {
      String name = files.get(i).getFileName().toString().replace(".java", "");
      String source = sources.get(i);
      // Built from parts, so this file's own source does not match the rule .ci/run greps by.
      if (!source.contains("public static void " + "main(")) {
        continue;
      }
      if (source.contains("Figures" + ".to(")) {
        benchmarks.add(name);
        continue;
      }
      boolean child = sources.stream().anyMatch(other -> other.contains(name + ".class.getName()"));
      if (!child) {
        unregistered.add(name);
      }
    }
    assertThat(unregistered)
        .as("classes with a main under bench/ that neither use Figures nor are a benchmark's child")
        .isEmpty();
    assertThat(benchmarks)
        .as("the benchmarks .ci/run finds")
        .contains("SyncBenchmark", "QueryBenchmark", "ColdStartBenchmark", "PanelBenchmark");
  }
}

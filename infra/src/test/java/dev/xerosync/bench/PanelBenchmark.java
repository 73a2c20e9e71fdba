package dev.xerosync.bench;

import dev.xerosync.panel.PanelStage;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * {@code ./dev bench PanelBenchmark [quick]}: the invoice panel's figures. The module's gzip size;
 * in Debian's Chromium against the real local stack, the first render of 100 invoices (from the
 * data's arrival to the rows painted, median of 10 loads, 3 quick) and the time from a change in
 * the simulated Xero until the open panel shows it (p50 of 15 changes, 3 quick), pushed over the
 * panel's socket; and the panel's requests per open hour with nothing changing (an idle window of
 * 60 s, 4 s quick, socket up, plus half a measured reconnect: API Gateway ends a connection after 2
 * hours).
 */
public final class PanelBenchmark {
  /** The panel's default: it polls only while its socket is down. */
  private static final int FALLBACK_POLL_MS = 60_000;

  private PanelBenchmark() {}

  public static void main(String[] args) {
    // The browser script's figures reach stdout through Figures too (PanelStage copies them there).
    Figures figures = Figures.to(System.out);
    System.setOut(figures.out());
    figures.require(
        "panel-js-gzip-kb",
        "panel-first-render-ms",
        "panel-update-after-xero-change-p50-ms",
        "panel-requests-per-open-hour");
    figures.run(() -> measure(args, figures));
  }

  private static void measure(String[] args, Figures figures) throws Exception {
    boolean quick = List.of(args).contains("quick") || List.of(args).contains("--quick");
    // Every component the API serves (each ES module of panel/src, gzipped on its own as it is
    // sent), together: a host page that shows both pays for both.
    long total = 0;
    List<Path> modules;
    try (var files = Files.list(PanelStage.PANEL_DIR.resolve("src"))) {
      modules = files.filter(f -> f.toString().endsWith(".js")).sorted().toList();
    }
    for (Path module : modules) {
      ByteArrayOutputStream gz = new ByteArrayOutputStream();
      try (var out =
          new GZIPOutputStream(gz) {
            {
              def.setLevel(Deflater.BEST_COMPRESSION);
            }
          }) {
        out.write(Files.readAllBytes(module));
      }
      total += gz.size();
    }
    System.out.printf("panel-js-gzip-kb: %.1f KB%n", total / 1024.0);
    var missing = PanelStage.missingBrowser();
    if (missing.isPresent()) {
      figures.problem("no browser for the panel's figures: " + missing.get());
      return;
    }
    try (PanelStage stage = new PanelStage(100, FALLBACK_POLL_MS)) {
      var config = stage.scriptConfig("bench", Path.of("infra", "target", "panel-bench"), quick);
      config.put("pollMs", FALLBACK_POLL_MS);
      int exit = stage.runNode("panel.bench.mjs", config);
      if (exit != 0) {
        throw new IllegalStateException("panel.bench.mjs failed with exit status " + exit);
      }
    }
  }
}

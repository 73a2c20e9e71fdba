package dev.xerosync.panel;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * For working on the panel: starts the browser tests' stage and keeps it up, writing the script
 * config to {@code target/panel-stage.json}; then {@code PANEL_TEST="$(cat
 * infra/target/panel-stage.json)" node panel/test/panel.browser.mjs} reruns the browser steps in
 * seconds.
 */
public final class PanelStageMain {
  private PanelStageMain() {}

  public static void main(String[] args) throws Exception {
    PanelStage stage = new PanelStage(0, 500);
    Path out = Path.of("infra", "target", "panel-stage.json");
    Files.writeString(
        out,
        stage
            .scriptConfig("test", Path.of("infra", "target", "panel-screenshots"), false)
            .toString());
    System.out.println("panel stage up; config in " + out + "; CRM at " + stage.crm.url());
    Thread.currentThread().join();
  }
}

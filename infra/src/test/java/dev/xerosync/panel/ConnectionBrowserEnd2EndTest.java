package dev.xerosync.panel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * {@code <xero-connection>} in Debian's Chromium against the real local stack: the admin's whole
 * journey on the demo CRM's Integrations page, from Connect (the hosted flow and the simulator's
 * consent) through Pending and Connected to Set up accounts and Disconnect, axe-core clean in every
 * state, at 320, 360, 480 and 800 px with nothing outside the component's box; and the settings and
 * panel tokens never standing in for each other. The script is panel/test/connection.browser.mjs;
 * screenshots land in infra/target/panel-screenshots.
 */
class ConnectionBrowserEnd2EndTest {
  @Test
  void theAdminConnectsSetsUpAccountsAndDisconnectsInARealBrowser() throws Exception {
    var missing = PanelStage.missingBrowser();
    if (missing.isPresent()) {
      assertThat(System.getenv("PANEL_BROWSER_REQUIRED")).as(missing.get()).isNull();
      System.out.println("ConnectionBrowserEnd2EndTest skipped: " + missing.get());
      Assumptions.abort(missing.get());
    }
    try (PanelStage stage = new PanelStage(0, 500)) {
      int exit =
          stage.runNode(
              "connection.browser.mjs",
              stage.scriptConfig("test", Path.of("target", "panel-screenshots"), false));
      assertThat(exit).as("connection.browser.mjs exit status (its output is above)").isZero();
    }
  }
}

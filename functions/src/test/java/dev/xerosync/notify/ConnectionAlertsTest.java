package dev.xerosync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionAlertsTest {
  @Test
  void aReconnectReasonWithoutTheOrganisationNameSaysWhichInWords() {
    assertThat(ConnectionAlerts.reconnectReason(null, ""))
        .contains("this Xero organisation")
        .doesNotContain("null");
    assertThat(ConnectionAlerts.reconnectReason("Demo Co", "")).contains("Demo Co");
  }
}

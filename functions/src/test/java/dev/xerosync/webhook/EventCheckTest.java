package dev.xerosync.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class EventCheckTest {
  static final String TENANT = "c2cc9b6e-9458-4c7d-93cc-f02b81b0594f";
  static final String ID = "d4956132-ed94-4dd7-9eaa-aa22dfdf06f2";

  private static WebhookDelivery.Event event(
      String tenant, String category, String type, String id) {
    return new WebhookDelivery.Event(tenant, category, type, id, "2026-01-01T00:00:00.000");
  }

  @Test
  void aWellFormedEventPasses() {
    assertThat(EventCheck.problem(event(TENANT, "INVOICE", "UPDATE", ID))).isNull();
    assertThat(EventCheck.problem(event(TENANT, "CONTACT", "CREATE", ID.toUpperCase()))).isNull();
  }

  @Test
  void theTenantIdMustBeAGuid() {
    for (String tenant : new String[] {"ünïcødé", "\u0000abc", "t".repeat(300), "", null}) {
      assertThat(EventCheck.problem(event(tenant, "INVOICE", "UPDATE", ID))).contains("tenantId");
    }
  }

  @Test
  void everyForwardedFieldIsChecked() {
    assertThat(EventCheck.problem(event(TENANT, "INVOICE", "UPDATE", "ünïcødé-😀")))
        .contains("resourceId");
    assertThat(EventCheck.problem(event(TENANT, "INVOICE", "UPDATE", "\u0000abc")))
        .contains("resourceId");
    assertThat(EventCheck.problem(event(TENANT, "INVOICE", "UPDATE", "+" + ID.substring(1))))
        .contains("resourceId");
    assertThat(EventCheck.problem(event(TENANT, "INVOICE", "UPDATE", ID + ",x")))
        .contains("resourceId");
    assertThat(EventCheck.problem(event(TENANT, "invoice|x", "UPDATE", ID)))
        .contains("eventCategory");
    assertThat(EventCheck.problem(event(TENANT, "INVOICE", "UP\nDATE", ID))).contains("eventType");
    assertThat(
            EventCheck.problem(
                new WebhookDelivery.Event(TENANT, "INVOICE", "UPDATE", ID, "yesterday")))
        .contains("eventDateUtc");
  }
}

package dev.xerosync.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebhookDeliveryTest {
  @Test
  void readsEveryEventOfADelivery() throws Exception {
    String body =
        "{\"events\":[{\"resourceId\":\"a\",\"eventDateUtc\":\"2024-01-01T00:00:00.001\",\"eventType\":\"CREATE\","
            + "\"eventCategory\":\"INVOICE\",\"tenantId\":\"t1\",\"tenantType\":\"ORGANISATION\"},"
            + "{\"resourceId\":\"b\",\"eventDateUtc\":\"2024-01-01T00:00:00.002\",\"eventType\":\"UPDATE\","
            + "\"eventCategory\":\"CONTACT\",\"tenantId\":\"t2\",\"tenantType\":\"ORGANISATION\"}],"
            + "\"firstEventSequence\":7,\"lastEventSequence\":8,\"entropy\":\"x\"}";
    WebhookDelivery delivery = WebhookDelivery.parse(body.getBytes(StandardCharsets.UTF_8));
    assertThat(delivery.events())
        .extracting(WebhookDelivery.Event::resourceId)
        .containsExactly("a", "b");
    assertThat(delivery.events().get(1).eventCategory()).isEqualTo("CONTACT");
    assertThat(delivery.firstEventSequence()).isEqualTo(7);
    assertThat(delivery.lastEventSequence()).isEqualTo(8);
  }

  @Test
  void refusesBodiesThatAreNotDeliveries() {
    assertThatThrownBy(() -> WebhookDelivery.parse("not json".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("not JSON");
    assertThatThrownBy(() -> WebhookDelivery.parse("{\"foo\":1}".getBytes(StandardCharsets.UTF_8)))
        .hasMessageContaining("no events array");
  }

  @Test
  void anEventLackingFieldsIsKeptForTheCheckToDropNotTheWholeDelivery() throws Exception {
    WebhookDelivery delivery =
        WebhookDelivery.parse(
            "{\"events\":[{\"resourceId\":\"a\"}]}".getBytes(StandardCharsets.UTF_8));
    assertThat(delivery.events()).hasSize(1);
    assertThat(EventCheck.problem(delivery.events().get(0))).contains("tenantId");
  }

  /** Issue 29, finding 8: an upper-case tenant GUID was taken as another tenant and dropped. */
  @Test
  void guidsAreLowerCasedSoOneTenantHasOneSpelling() throws Exception {
    String body =
        "{\"events\":[{\"resourceId\":\"0AF8B7E4-1C2D-4E5F-8A9B-0C1D2E3F4A5B\","
            + "\"eventDateUtc\":\"2024-01-01T00:00:00.001\",\"eventType\":\"UPDATE\","
            + "\"eventCategory\":\"INVOICE\",\"tenantId\":\"9D3C2B1A-AAAA-4BBB-8CCC-DDDDEEEEFFFF\"},"
            + "{\"resourceId\":\"NOT-A-GUID\",\"eventType\":\"UPDATE\","
            + "\"eventCategory\":\"INVOICE\",\"tenantId\":\"9d3c2b1a-aaaa-4bbb-8ccc-ddddeeeeffff\"}]}";

    WebhookDelivery delivery = WebhookDelivery.parse(body.getBytes(StandardCharsets.UTF_8));

    assertThat(delivery.events())
        .extracting(WebhookDelivery.Event::tenantId)
        .containsOnly("9d3c2b1a-aaaa-4bbb-8ccc-ddddeeeeffff");
    assertThat(delivery.events().get(0).resourceId())
        .isEqualTo("0af8b7e4-1c2d-4e5f-8a9b-0c1d2e3f4a5b");
    // What is no GUID is left as sent, for the check to refuse and name.
    assertThat(delivery.events().get(1).resourceId()).isEqualTo("NOT-A-GUID");
  }
}

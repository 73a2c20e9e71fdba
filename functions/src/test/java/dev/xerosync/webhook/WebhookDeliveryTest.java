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
}

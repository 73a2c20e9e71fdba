package dev.xerosync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** events/webhooks holds one sample body of every type a subscriber can receive, and no other. */
class EventSamplesTest {
  private static final Path DIR = Path.of("..", "events", "webhooks");

  @Test
  void everyTypeHasASampleNamedForItAndNothingElseIsThere() throws Exception {
    List<String> files;
    try (Stream<Path> list = Files.list(DIR)) {
      files = list.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(files)
        .containsExactlyInAnyOrderElementsOf(
            SubscriptionRules.TYPES.stream().map(t -> t + ".json").toList());
  }

  @Test
  void businessSamplesAreTheEventRecordAsTheMapperWritesIt() throws Exception {
    for (String type : EventTypes.BUSINESS) {
      String text = Files.readString(DIR.resolve(type + ".json"));
      BusinessEvent e = Json.MAPPER.readValue(text, BusinessEvent.class);
      assertThat(e.type()).as(type).isEqualTo(type);
      assertThat(e.data().isObject()).as(type + " data").isTrue();
      // Round trip: the wire body is the record, field for field.
      assertThat(Json.MAPPER.readTree(Json.MAPPER.writeValueAsString(e)).toString())
          .as(type)
          .isEqualTo(Json.MAPPER.readTree(text).toString());
    }
  }

  @Test
  void notificationSamplesCarryTheirTypeOwnerAndSubject() throws Exception {
    for (String type : Notification.TYPES) {
      JsonNode n = Json.MAPPER.readTree(DIR.resolve(type + ".json").toFile());
      assertThat(n.path("type").asText()).as(type).isEqualTo(type);
      assertThat(n.path("saasTenantId").asText()).as(type).isNotEmpty();
      assertThat(n.path(type.startsWith("write.") ? "operationId" : "tenantId").asText())
          .as(type)
          .isNotEmpty();
    }
  }
}

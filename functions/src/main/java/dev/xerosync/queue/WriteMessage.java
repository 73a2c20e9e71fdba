package dev.xerosync.queue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import java.io.IOException;

/**
 * The write queue's message: only which operation to run. The operation itself lives in the outbox,
 * so a duplicate or stale message can do no harm.
 */
public record WriteMessage(String tenantId, String operationId) {
  static final String UUID = "[0-9a-fA-F-]{36}";

  public String toJson() {
    return Json.MAPPER
        .createObjectNode()
        .put("tenantId", tenantId)
        .put("operationId", operationId)
        .toString();
  }

  /** Throws IllegalArgumentException for a message that names no operation. */
  public static WriteMessage fromJson(String body) {
    try {
      JsonNode n = Json.MAPPER.readTree(body);
      String tenant = n.path("tenantId").asText("");
      String op = n.path("operationId").asText("");
      if (!tenant.matches(UUID) || !op.matches(UUID)) {
        throw new IllegalArgumentException("write message without a tenantId and operationId");
      }
      return new WriteMessage(tenant, op);
    } catch (IOException e) {
      throw new IllegalArgumentException("write message is not JSON");
    }
  }
}

package dev.xerosync.infra.xero.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One outbound HTTP response; headers are mutable so the shared layer (rate limits, correlation id)
 * can add its own.
 */
public record SimResponse(int status, Map<String, String> headers, byte[] body) {

  public static SimResponse json(int status, JsonNode node) {
    try {
      return new SimResponse(
          status,
          contentType("application/json; charset=utf-8"),
          XeroJson.MAPPER.writeValueAsBytes(node));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static SimResponse text(int status, String contentType, String text) {
    return new SimResponse(status, contentType(contentType), text.getBytes(StandardCharsets.UTF_8));
  }

  public static SimResponse empty(int status) {
    return new SimResponse(status, new LinkedHashMap<>(), new byte[0]);
  }

  /** No response at all: the front closes the connection without sending a byte. */
  public static SimResponse dropped() {
    return new SimResponse(-1, new LinkedHashMap<>(), new byte[0]);
  }

  public boolean isDropped() {
    return status < 0;
  }

  public SimResponse header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  private static Map<String, String> contentType(String ct) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Content-Type", ct);
    return h;
  }
}

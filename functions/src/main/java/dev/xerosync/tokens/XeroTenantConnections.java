package dev.xerosync.tokens;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Guid;
import dev.xerosync.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Xero's {@code /connections}: which organisations a token reaches, and removing one of them. */
public final class XeroTenantConnections {
  /** One organisation the user's consent reached; {@code id} is the connection id DELETE takes. */
  public record TenantConnection(
      String id, String tenantId, String tenantName, String tenantType, String authEventId) {}

  /** Xero answered something other than success; the message has the status only. */
  public static final class Failure extends Exception
      implements dev.xerosync.common.Log.SafeMessage {
    private final int status;

    Failure(int status, String message) {
      super(message);
      this.status = status;
    }

    public int status() {
      return status;
    }

    @Override
    public @Nullable String safeMessage() {
      return getMessage();
    }
  }

  private final HttpClient http;
  private final URI apiBase;

  public XeroTenantConnections(HttpClient http, URI apiBase) {
    this.http = http;
    this.apiBase = apiBase;
  }

  /** The organisations of one consent ({@code authEventId}), or all the token reaches when null. */
  public List<TenantConnection> list(String accessToken, @Nullable String authEventId)
      throws Failure {
    String query =
        authEventId == null
            ? ""
            : "?authEventId=" + URLEncoder.encode(authEventId, StandardCharsets.UTF_8);
    HttpResponse<String> r =
        send(HttpRequest.newBuilder(apiBase.resolve("/connections" + query)).GET(), accessToken);
    if (r.statusCode() != 200) {
      throw new Failure(r.statusCode(), "Xero's /connections answered " + r.statusCode());
    }
    List<TenantConnection> out = new ArrayList<>();
    try {
      for (JsonNode c : Json.MAPPER.readTree(r.body())) {
        if (!"ORGANISATION".equalsIgnoreCase(c.path("tenantType").asText("ORGANISATION"))) {
          continue; // practice-manager tenants have no accounting data to sync
        }
        out.add(
            new TenantConnection(
                c.path("id").asText(),
                Guid.canonical(c.path("tenantId").asText()),
                c.path("tenantName").asText(""),
                c.path("tenantType").asText(),
                c.path("authEventId").asText(null)));
      }
    } catch (IOException e) {
      throw new Failure(
          r.statusCode(), "Xero's /connections answered with a body that is not JSON");
    }
    return out;
  }

  /** Removes one organisation from the app; an already-removed one (404) counts as removed. */
  public void delete(String accessToken, String connectionId) throws Failure {
    HttpResponse<String> r =
        send(
            HttpRequest.newBuilder(apiBase.resolve("/connections/" + connectionId)).DELETE(),
            accessToken);
    if (r.statusCode() != 204 && r.statusCode() != 200 && r.statusCode() != 404) {
      throw new Failure(
          r.statusCode(),
          "Xero's DELETE /connections/" + connectionId + " answered " + r.statusCode());
    }
  }

  private HttpResponse<String> send(HttpRequest.Builder builder, String accessToken)
      throws Failure {
    try {
      return http.send(
          builder
              .timeout(Duration.ofSeconds(15))
              .header("Authorization", "Bearer " + accessToken)
              .header("Accept", "application/json")
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new Failure(0, "Xero's /connections did not answer: " + e.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(0, "interrupted while calling Xero's /connections");
    }
  }
}

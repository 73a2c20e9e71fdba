package dev.xerosync.infra.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.xerosync.common.Json;
import dev.xerosync.infra.lambda.LocalStack;
import dev.xerosync.notify.WebhookSignature;
import dev.xerosync.store.Connections;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * The demo's subscriber: a receiver on loopback, subscribed through the API to every event type of
 * the demo's SaaS tenant, that verifies each delivery the Standard Webhooks way and prints it as it
 * arrives (the console shows what a product would receive).
 */
final class DemoEvents implements AutoCloseable {
  static final String SAAS_TENANT = "demo";
  static final List<String> TYPES =
      List.of("invoice.*", "credit.*", "contact.*", "connection.*", "sync.*", "write.*");

  private final HttpServer server;
  private final PrintStream out;
  private volatile String secret = "";

  private DemoEvents(PrintStream out) throws IOException {
    this.out = out;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::receive);
    server.start();
  }

  /**
   * Records the demo SaaS tenant as the owner of {@code tenantId} (as the connect callback does),
   * starts the receiver and subscribes it.
   */
  static DemoEvents start(
      LocalStack stack, String tenantId, String organisationName, PrintStream out)
      throws Exception {
    new Connections(stack.aws().dynamoDb(), stack.aws().resources().tableName("Table"))
        .recordConnected(
            tenantId,
            SAAS_TENANT,
            organisationName,
            "demo@example.test",
            "demo-connection",
            stack.apiUrl().toString(),
            Instant.now());
    DemoEvents events = new DemoEvents(out);
    String body = Json.MAPPER.writeValueAsString(Map.of("url", events.url(), "types", TYPES));
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            stack.apiUrl() + "/saas-tenants/" + SAAS_TENANT + "/subscriptions"))
                    .header("x-admin-key", stack.adminApiKey())
                    .header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 201) {
      throw new IllegalStateException("subscribing the demo receiver answered " + r.statusCode());
    }
    JsonNode created = Json.MAPPER.readTree(r.body());
    events.secret = created.path("secret").asText();
    out.println(
        "  events          "
            + events.url()
            + " (subscription "
            + created.path("id").asText()
            + ", every type; each event prints below as it arrives)");
    return events;
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/events";
  }

  private void receive(HttpExchange x) throws IOException {
    try (x) {
      String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String id = x.getRequestHeaders().getFirst(WebhookSignature.ID);
      String ts = x.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP);
      boolean verified =
          id != null
              && ts != null
              && WebhookSignature.verify(
                  secret,
                  id,
                  Long.parseLong(ts),
                  body,
                  x.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE));
      JsonNode e = Json.MAPPER.readTree(body);
      JsonNode data = e.path("data");
      String what =
          data.has("invoiceNumber")
              ? data.path("invoiceNumber").asText()
              : e.path("organisationName")
                  .asText(e.path("operationId").asText(e.path("subjectId").asText("")));
      out.println(
          "  event: "
              + e.path("type").asText()
              + " "
              + what
              + (verified ? " (signature verified)" : " (SIGNATURE INVALID)"));
      x.sendResponseHeaders(verified ? 204 : 401, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

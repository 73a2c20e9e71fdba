package dev.xerosync.events;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.auth.AdminAuth;
import dev.xerosync.common.Json;
import dev.xerosync.notify.OutboundUrls;
import dev.xerosync.notify.SubscriptionRules;
import dev.xerosync.notify.WebhookSignature;
import dev.xerosync.store.LocalTable;
import dev.xerosync.store.Subscriptions;
import java.net.InetAddress;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class SubscriptionHandlerTest {
  private static final String ADMIN_KEY = "admin-key-for-subscription-tests";
  private static final String SIGNING_KEY = "signing-key-for-subscription-tests";

  private final LocalTable table = LocalTable.get();
  private final String saas = "saas-" + UUID.randomUUID();
  private final SubscriptionHandler handler =
      new SubscriptionHandler(
          new AdminAuth(ADMIN_KEY, Clock.systemUTC()),
          new Subscriptions(table.dynamoDb(), table.name()),
          new WebhookSignature(SIGNING_KEY),
          // example.com resolves to a public address; no lookup leaves the machine.
          new OutboundUrls(
              false, host -> new InetAddress[] {InetAddress.getByName("93.184.215.14")}),
          Clock.systemUTC());

  @Test
  void createAnswersTheDerivedSecretOnceAndStoresNoSecret() throws Exception {
    var created =
        call(
            "POST",
            null,
            "{\"url\":\"https://example.com/hook\",\"types\":[\"invoice.paid\",\"write.*\"]}");
    assertThat(created.getStatusCode()).as(created.getBody()).isEqualTo(201);
    JsonNode body = Json.MAPPER.readTree(created.getBody());
    String id = body.path("id").asText();
    String secret = body.path("secret").asText();
    assertThat(id).matches("sub_[0-9a-f]{24}");
    assertThat(secret).isEqualTo(new WebhookSignature(SIGNING_KEY).secret(saas, id));

    for (Map<String, AttributeValue> item :
        table.dynamoDb().scan(s -> s.tableName(table.name())).items()) {
      assertThat(item.toString()).doesNotContain(secret.substring(6));
    }
    var listed = call("GET", null, null);
    assertThat(listed.getStatusCode()).isEqualTo(200);
    assertThat(listed.getBody()).contains(id, "invoice.paid", "write.*").doesNotContain("secret");

    assertThat(call("DELETE", id, null).getStatusCode()).isEqualTo(204);
    assertThat(call("DELETE", id, null).getStatusCode()).isEqualTo(404);
    assertThat(call("GET", null, null).getBody()).doesNotContain(id);
  }

  @Test
  void badInputIsAClear400() {
    assertThat(
            call("POST", null, "{\"url\":\"http://example.com/x\",\"types\":[\"invoice.paid\"]}")
                .getBody())
        .contains("https");
    assertThat(
            call("POST", null, "{\"url\":\"https://127.0.0.1/x\",\"types\":[\"invoice.paid\"]}")
                .getStatusCode())
        .isEqualTo(400);
    var unknown =
        call("POST", null, "{\"url\":\"https://example.com/x\",\"types\":[\"invoice.payed\"]}");
    assertThat(unknown.getStatusCode()).isEqualTo(400);
    assertThat(unknown.getBody()).contains("invoice.payed", "invoice.paid");
    assertThat(call("POST", null, "{\"url\":\"https://example.com/x\"}").getStatusCode())
        .isEqualTo(400);
    assertThat(call("POST", null, "not json").getStatusCode()).isEqualTo(400);
    assertThat(call("DELETE", "../x", null).getStatusCode()).isEqualTo(404);
  }

  @Test
  void onlyAnAdminAndOnlyUpToTheLimit() {
    var request = request("GET", null, null);
    request.getHeaders().remove("x-admin-key");
    assertThat(handler.handleRequest(request, null).getStatusCode()).isEqualTo(401);
    for (int i = 0; i < SubscriptionRules.MAX_PER_SAAS_TENANT; i++) {
      assertThat(
              call(
                      "POST",
                      null,
                      "{\"url\":\"https://example.com/" + i + "\",\"types\":[\"invoice.*\"]}")
                  .getStatusCode())
          .isEqualTo(201);
    }
    assertThat(
            call("POST", null, "{\"url\":\"https://example.com/x\",\"types\":[\"invoice.*\"]}")
                .getStatusCode())
        .isEqualTo(409);
  }

  private APIGatewayProxyResponseEvent call(
      String method, @Nullable String id, @Nullable String body) {
    return handler.handleRequest(request(method, id, body), null);
  }

  private APIGatewayProxyRequestEvent request(
      String method, @Nullable String id, @Nullable String body) {
    Map<String, String> path = new HashMap<>(Map.of("saasTenantId", saas));
    if (id != null) {
      path.put("subscriptionId", id);
    }
    return new APIGatewayProxyRequestEvent()
        .withHttpMethod(method)
        .withPathParameters(path)
        .withHeaders(new HashMap<>(Map.of("x-admin-key", ADMIN_KEY)))
        .withBody(body);
  }
}

package dev.xerosync.common;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * The four calls of API Gateway's management REST API the stack makes for per-tenant usage-plan
 * keys (CreateApiKey, GetApiKeys by name, DeleteApiKey, CreateUsagePlanKey), signed with SigV4 as
 * the SDK's client would sign them. The SDK's apigateway module is not used: it is not on Maven
 * Central here, and four JSON calls do not need it.
 * https://docs.aws.amazon.com/apigateway/latest/api/API_Operations.html
 */
public final class ApiGatewayManagement {
  /** An API key as API Gateway describes it (the value only when asked for). */
  public record ApiKey(String id, String name, boolean enabled) {}

  /** An answer other than 2xx: its status and API Gateway's error type (ConflictException, …). */
  public static final class Failure extends RuntimeException {
    private final int status;
    private final String type;

    Failure(int status, String type, String message) {
      super(type + " (" + status + "): " + message);
      this.status = status;
      this.type = type;
    }

    public int status() {
      return status;
    }

    public String type() {
      return type;
    }
  }

  private final URI endpoint;
  private final AwsSignedCalls calls;

  public ApiGatewayManagement(
      SdkHttpClient http, URI endpoint, String region, AwsCredentialsProvider credentials) {
    this.endpoint = endpoint;
    this.calls = new AwsSignedCalls(http, "apigateway", region, credentials);
  }

  /** CreateApiKey: POST /apikeys; an enabled key with the given name and value. */
  public ApiKey createApiKey(String name, String value) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("name", name).put("value", value).put("enabled", true);
    return key(call(SdkHttpMethod.POST, "/apikeys", null, body));
  }

  /** GetApiKeys with nameQuery (a prefix match), then the key of exactly that name. */
  public Optional<ApiKey> findApiKey(String name) {
    JsonNode page =
        call(
            SdkHttpMethod.GET,
            "/apikeys",
            "name=" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "&limit=500",
            null);
    for (JsonNode item : page.path("item")) {
      if (name.equals(item.path("name").asText())) {
        return Optional.of(key(item));
      }
    }
    return Optional.empty();
  }

  /** DeleteApiKey: DELETE /apikeys/{id}. */
  public void deleteApiKey(String id) {
    call(SdkHttpMethod.DELETE, "/apikeys/" + id, null, null);
  }

  /** CreateUsagePlanKey: POST /usageplans/{planId}/keys, an API key into the plan. */
  public void addToUsagePlan(String usagePlanId, String keyId) {
    ObjectNode body = Json.MAPPER.createObjectNode();
    body.put("keyId", keyId).put("keyType", "API_KEY");
    call(SdkHttpMethod.POST, "/usageplans/" + usagePlanId + "/keys", null, body);
  }

  private static ApiKey key(JsonNode item) {
    return new ApiKey(
        item.path("id").asText(), item.path("name").asText(), item.path("enabled").asBoolean());
  }

  private JsonNode call(
      SdkHttpMethod method, String path, @Nullable String query, @Nullable JsonNode body) {
    URI uri = URI.create(endpoint + path + (query == null ? "" : "?" + query));
    AwsSignedCalls.Answer answer =
        calls.call(
            method, uri, body == null ? null : body.toString().getBytes(StandardCharsets.UTF_8));
    try {
      JsonNode json =
          answer.body().length == 0
              ? Json.MAPPER.createObjectNode()
              : Json.MAPPER.readTree(answer.body());
      if (!answer.ok()) {
        throw new Failure(answer.status(), answer.errorType(), json.path("message").asText(""));
      }
      return json;
    } catch (IOException e) {
      throw new UncheckedIOException("API Gateway " + method + " " + path, e);
    }
  }
}

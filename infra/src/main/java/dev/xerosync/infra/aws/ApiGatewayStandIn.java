package dev.xerosync.infra.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.xerosync.infra.aws.iam.IamEnforcement;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API Gateway's management API, the part the stack uses: API keys and the keys of usage plans
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_Operations.html). Serves CreateApiKey
 * ({@code POST /apikeys}), GetApiKeys ({@code GET /apikeys?name=}, a prefix match), DeleteApiKey
 * ({@code DELETE /apikeys/{id}}, 202) and CreateUsagePlanKey ({@code POST /usageplans/{id}/keys}),
 * with API Gateway's errors (x-amzn-ErrorType and a JSON message): BadRequestException for a value
 * outside 20 to 128 characters, ConflictException for a value that exists or a key already in the
 * plan, NotFoundException for an unknown key or plan.
 *
 * <p>It is also what the local API Gateway asks which usage plan an API key value is in ({@link
 * #planOf}): a key must exist, be enabled and be in a plan, as on AWS. Each signed request is
 * authorised as IAM would ({@code apigateway:<METHOD>} on {@code
 * arn:aws:apigateway:<region>::<path>},
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/permissions.html) through {@link
 * IamEnforcement}: a function's role without the grant gets 403 AccessDeniedException. Signatures
 * are not checked.
 */
public final class ApiGatewayStandIn implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern CREDENTIAL = Pattern.compile("Credential=([^/]+)/");
  private static final Pattern KEY = Pattern.compile("/apikeys/([^/]+)");
  private static final Pattern PLAN_KEYS = Pattern.compile("/usageplans/([^/]+)/keys");
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A usage plan's limits, which API Gateway applies to each of its keys apart. */
  public record UsagePlan(
      String id, double rateLimit, int burstLimit, long quotaLimit, String quotaPeriod) {}

  /** A signed request as IAM saw it: whose access key, which action on which resource. */
  public record Call(String accessKeyId, String action, String arn) {}

  private record ApiKey(String id, String name, String value, boolean enabled, Instant created) {}

  private final String region;
  private final HttpServer server;
  private final Map<String, ApiKey> keys = new ConcurrentHashMap<>();
  private final Map<String, UsagePlan> plans = new ConcurrentHashMap<>();
  private final Map<String, Set<String>> planKeys = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();

  private ApiGatewayStandIn(String region) throws IOException {
    this.region = region;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/", this::serve);
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  public static ApiGatewayStandIn start(String region) {
    try {
      return new ApiGatewayStandIn(region);
    } catch (IOException e) {
      throw new IllegalStateException("the API Gateway stand-in did not start", e);
    }
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** A usage plan's id here: what !Ref of its logical id returns. */
  public static String planId(String logicalId) {
    return logicalId.toLowerCase(Locale.ROOT);
  }

  /** Every signed request served so far (what IAM authorised), for tests that audit grants. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** A usage plan of the template (AWS::ApiGateway::UsagePlan), created with the stack. */
  public void createUsagePlan(UsagePlan plan) {
    plans.put(plan.id(), plan);
    planKeys.putIfAbsent(plan.id(), ConcurrentHashMap.newKeySet());
  }

  /** UpdateUsagePlan's new throttle and quota for a plan that exists. */
  public void updateUsagePlan(UsagePlan plan) {
    if (plans.replace(plan.id(), plan) == null) {
      throw new IllegalArgumentException("no usage plan " + plan.id());
    }
  }

  /** An API key of the template (AWS::ApiGateway::ApiKey) with its usage plan key; its id. */
  public String createApiKey(String name, String value, boolean enabled, String planId) {
    ApiKey key = new ApiKey(newId(), name, value, enabled, Instant.now());
    keys.put(key.id(), key);
    planKeys.get(planId).add(key.id());
    return key.id();
  }

  /** The usage plan a request's API key value passes: the key exists, is enabled, is in it. */
  public Optional<UsagePlan> planOf(String value) {
    for (ApiKey key : keys.values()) {
      if (key.value().equals(value) && key.enabled()) {
        for (var plan : planKeys.entrySet()) {
          if (plan.getValue().contains(key.id())) {
            return Optional.of(plans.get(plan.getKey()));
          }
        }
      }
    }
    return Optional.empty();
  }

  /** The names of the API keys that exist now (for tests). */
  public Set<String> keyNames() {
    Set<String> names = new LinkedHashSet<>();
    keys.values().forEach(k -> names.add(k.name()));
    return names;
  }

  private record Answer(int status, String errorType, JsonNode body) {
    static Answer error(int status, String type, String message) {
      return new Answer(status, type, JSON.createObjectNode().put("message", message));
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      byte[] raw;
      try (InputStream in = exchange.getRequestBody()) {
        raw = in.readAllBytes();
      }
      Answer answer;
      String action = "apigateway:" + method;
      String arn = "arn:aws:apigateway:" + region + "::" + path;
      Matcher credential =
          CREDENTIAL.matcher(
              Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization"))
                  .orElse(""));
      Optional<String> denial = Optional.empty();
      if (credential.find()) {
        calls.add(new Call(credential.group(1), action, arn));
        denial = IamEnforcement.denial(credential.group(1), action, arn);
      }
      if (denial.isPresent()) {
        answer =
            Answer.error(
                403,
                "AccessDeniedException",
                "User is not authorized to perform: " + action + " on resource: " + arn);
      } else {
        try {
          answer =
              answer(
                  method,
                  path,
                  query(exchange.getRequestURI().getRawQuery()),
                  raw.length == 0 ? JSON.createObjectNode() : JSON.readTree(raw));
        } catch (IOException e) {
          answer = Answer.error(400, "BadRequestException", "Invalid JSON body");
        }
      }
      byte[] body = answer.body() == null ? new byte[0] : JSON.writeValueAsBytes(answer.body());
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      if (answer.errorType() != null) {
        exchange
            .getResponseHeaders()
            .add(
                "x-amzn-ErrorType",
                answer.errorType() + ":http://internal.amazon.com/coral/com.amazonaws.backplane/");
      }
      exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
      if (body.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      }
    }
  }

  private synchronized Answer answer(
      String method, String path, Map<String, String> query, JsonNode body) {
    Matcher key = KEY.matcher(path);
    Matcher planKey = PLAN_KEYS.matcher(path);
    if (method.equals("POST") && path.equals("/apikeys")) {
      String value = body.path("value").asText(newId() + newId() + newId() + newId());
      if (value.length() < 20 || value.length() > 128) {
        return Answer.error(
            400, "BadRequestException", "API Key value should be at least 20 characters");
      }
      if (keys.values().stream().anyMatch(k -> k.value().equals(value))) {
        return Answer.error(409, "ConflictException", "API Key already exists");
      }
      ApiKey created =
          new ApiKey(
              newId(),
              body.path("name").asText(""),
              value,
              body.path("enabled").asBoolean(false),
              Instant.now());
      keys.put(created.id(), created);
      return new Answer(201, null, describe(created, true));
    }
    if (method.equals("GET") && path.equals("/apikeys")) {
      String name = query.getOrDefault("name", "");
      boolean values = "true".equals(query.get("includeValues"));
      var items = JSON.createArrayNode();
      keys.values().stream()
          .filter(k -> k.name().startsWith(name))
          .forEach(k -> items.add(describe(k, values)));
      ObjectNode page = JSON.createObjectNode();
      page.set("item", items);
      return new Answer(200, null, page);
    }
    if (method.equals("DELETE") && key.matches()) {
      if (keys.remove(key.group(1)) == null) {
        return Answer.error(404, "NotFoundException", "Invalid API Key identifier specified");
      }
      planKeys.values().forEach(ids -> ids.remove(key.group(1)));
      return new Answer(202, null, null);
    }
    if (method.equals("POST") && planKey.matches()) {
      Set<String> members = planKeys.get(planKey.group(1));
      ApiKey member = keys.get(body.path("keyId").asText());
      if (members == null) {
        return Answer.error(404, "NotFoundException", "Invalid Usage Plan ID specified");
      }
      if (member == null || !"API_KEY".equals(body.path("keyType").asText())) {
        return Answer.error(404, "NotFoundException", "Invalid API Key identifier specified");
      }
      if (!members.add(member.id())) {
        return Answer.error(
            409, "ConflictException", "Usage Plan " + planKey.group(1) + " cannot be added");
      }
      ObjectNode out = JSON.createObjectNode();
      out.put("id", member.id()).put("type", "API_KEY").put("name", member.name());
      return new Answer(201, null, out);
    }
    return Answer.error(404, "NotFoundException", "Invalid resource: " + method + " " + path);
  }

  private static ObjectNode describe(ApiKey key, boolean value) {
    ObjectNode out = JSON.createObjectNode();
    out.put("id", key.id()).put("name", key.name()).put("enabled", key.enabled());
    out.put("createdDate", key.created().getEpochSecond());
    if (value) {
      out.put("value", key.value());
    }
    return out;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> out = new LinkedHashMap<>();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        out.put(
            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return out;
  }

  private static String newId() {
    StringBuilder id = new StringBuilder();
    for (int i = 0; i < 10; i++) {
      id.append("abcdefghijklmnopqrstuvwxyz0123456789".charAt(RANDOM.nextInt(36)));
    }
    return id.toString();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}

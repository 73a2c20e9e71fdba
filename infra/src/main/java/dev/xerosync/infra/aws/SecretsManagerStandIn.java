package dev.xerosync.infra.aws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.aws.SecretStore.Description;
import dev.xerosync.infra.aws.SecretStore.Outcome;
import dev.xerosync.infra.aws.SecretStore.SecretValue;
import dev.xerosync.infra.aws.SecretStore.Tag;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Secrets Manager over its real wire protocol (AWS JSON 1.1: {@code POST /}, {@code X-Amz-Target:
 * secretsmanager.<Operation>}), so the production SDK client runs unchanged against it.
 *
 * <p>Serves CreateSecret, GetSecretValue, PutSecretValue, DescribeSecret, DeleteSecret,
 * RestoreSecret and ListSecrets with AWS's version-stage, idempotency and deletion rules, and its
 * error codes, which the SDK maps to its typed exceptions. Anything else gets a 400
 * UnknownOperationException naming the operation. Request signatures are not checked. Nothing is
 * logged, and no error message carries a secret value.
 */
public final class SecretsManagerStandIn implements AutoCloseable {

  private static final String TARGET_PREFIX = "secretsmanager.";
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final int DEFAULT_MAX_RESULTS = 100;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretStore store;
  private LoopbackHttpServer server;

  private SecretsManagerStandIn(SecretStore store) {
    this.store = store;
  }

  public static SecretsManagerStandIn start() {
    return start(Clock.systemUTC());
  }

  /** With a clock of the caller's, so recovery windows can elapse in a test. */
  public static SecretsManagerStandIn start(Clock clock) {
    var standIn =
        new SecretsManagerStandIn(
            new SecretStore(clock, EmbeddedSqs.REGION, EmbeddedSqs.ACCOUNT_ID));
    standIn.server = LoopbackHttpServer.start("secrets-manager-stand-in", standIn::handle);
    return standIn;
  }

  public URI endpoint() {
    return server.endpoint();
  }

  @Override
  public void close() {
    server.close();
  }

  private LoopbackHttpServer.Response handle(LoopbackHttpServer.Request exchange) {
    int status;
    ObjectNode reply;
    try {
      reply = dispatch(exchange);
      status = 200;
    } catch (ServiceError e) {
      status = e.status();
      reply = errorBody(e.type(), e.getMessage());
    } catch (RuntimeException e) {
      // The exception's message is left out on purpose: it could quote request content.
      status = 500;
      reply = errorBody("InternalServiceError", "The stand-in failed: " + e.getClass().getName());
    }
    byte[] bytes;
    try {
      bytes = JSON.writeValueAsBytes(reply);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a reply tree always serialises", e);
    }
    return new LoopbackHttpServer.Response(
        status,
        Map.of("Content-Type", CONTENT_TYPE, "x-amzn-RequestId", UUID.randomUUID().toString()),
        bytes);
  }

  private ObjectNode dispatch(LoopbackHttpServer.Request exchange) {
    var target = exchange.header("X-Amz-Target");
    if (!"POST".equals(exchange.method()) || !"/".equals(exchange.path())) {
      throw unknownOperation(
          "Only POST / is served; got " + exchange.method() + " " + exchange.path());
    }
    if (target == null || !target.startsWith(TARGET_PREFIX)) {
      throw unknownOperation("X-Amz-Target must be secretsmanager.<Operation>");
    }
    var contentType = exchange.header("Content-Type");
    if (contentType == null || !contentType.startsWith(CONTENT_TYPE)) {
      throw ServiceError.badRequest(
          "SerializationException", "Content-Type must be " + CONTENT_TYPE);
    }
    var request = parse(exchange.body());
    var operation = target.substring(TARGET_PREFIX.length());
    return switch (operation) {
      case "CreateSecret" -> createSecret(request);
      case "GetSecretValue" -> getSecretValue(request);
      case "PutSecretValue" -> putSecretValue(request);
      case "DescribeSecret" -> describeSecret(request);
      case "DeleteSecret" -> deleteSecret(request);
      case "RestoreSecret" -> restoreSecret(request);
      case "ListSecrets" -> listSecrets(request);
      default ->
          throw unknownOperation("The Secrets Manager stand-in does not implement " + target + ".");
    };
  }

  private ObjectNode createSecret(JsonNode request) {
    var replicas = request.get("AddReplicaRegions");
    if (replicas != null && !replicas.isNull() && !replicas.isEmpty()) {
      throw SecretStore.invalidParameter(
          "The stand-in does not replicate secrets (AddReplicaRegions).");
    }
    var outcome =
        store.create(
            required(request, "Name"),
            token(request),
            value(request, false),
            text(request, "Description"),
            text(request, "KmsKeyId"),
            tags(request));
    var reply = identity(outcome.arn(), outcome.name());
    if (outcome.versionId() != null) {
      reply.put("VersionId", outcome.versionId());
    }
    return reply;
  }

  private ObjectNode getSecretValue(JsonNode request) {
    var read =
        store.get(
            required(request, "SecretId"),
            text(request, "VersionId"),
            text(request, "VersionStage"));
    var reply = identity(read.arn(), read.name());
    reply.put("VersionId", read.versionId());
    switch (read.value()) {
      case SecretValue.Text text -> reply.put("SecretString", text.value());
      case SecretValue.Binary binary ->
          reply.put("SecretBinary", Base64.getEncoder().encodeToString(binary.value()));
    }
    strings(reply.putArray("VersionStages"), read.stages());
    reply.put("CreatedDate", timestamp(read.created()));
    return reply;
  }

  private ObjectNode putSecretValue(JsonNode request) {
    if (request.hasNonNull("RotationToken")) {
      throw SecretStore.invalidParameter("The stand-in does not rotate secrets (RotationToken).");
    }
    Outcome outcome =
        store.put(
            required(request, "SecretId"),
            token(request),
            value(request, true),
            stringList(request, "VersionStages"));
    var reply = identity(outcome.arn(), outcome.name());
    reply.put("VersionId", outcome.versionId());
    strings(reply.putArray("VersionStages"), outcome.stages());
    return reply;
  }

  private ObjectNode describeSecret(JsonNode request) {
    var description = store.describe(required(request, "SecretId"));
    var reply = describe(description);
    stages(reply.putObject("VersionIdsToStages"), description.versionIdsToStages());
    return reply;
  }

  private ObjectNode deleteSecret(JsonNode request) {
    var window = request.get("RecoveryWindowInDays");
    if (window != null && !window.isNull() && !window.canConvertToInt()) {
      throw serialization("RecoveryWindowInDays must be a number");
    }
    var force = request.get("ForceDeleteWithoutRecovery");
    var deletion =
        store.delete(
            required(request, "SecretId"),
            window == null || window.isNull() ? null : window.intValue(),
            force != null && force.asBoolean(false));
    var reply = identity(deletion.arn(), deletion.name());
    reply.put("DeletionDate", timestamp(deletion.deletionDate()));
    return reply;
  }

  private ObjectNode restoreSecret(JsonNode request) {
    var outcome = store.restore(required(request, "SecretId"));
    return identity(outcome.arn(), outcome.name());
  }

  private ObjectNode listSecrets(JsonNode request) {
    var include = request.get("IncludePlannedDeletion");
    var found =
        new ArrayList<>(store.list(include != null && include.asBoolean(false), filters(request)));
    var order = text(request, "SortOrder");
    Comparator<Description> byCreated = Comparator.comparing(Description::created);
    if (order == null || order.equals("desc")) {
      found.sort(byCreated.reversed());
    } else if (order.equals("asc")) {
      found.sort(byCreated);
    } else {
      throw SecretStore.invalidParameter("SortOrder must be asc or desc.");
    }
    int max = request.path("MaxResults").asInt(DEFAULT_MAX_RESULTS);
    if (max < 1 || max > 100) {
      throw SecretStore.invalidParameter("MaxResults must be between 1 and 100.");
    }
    int from = 0;
    var nextToken = text(request, "NextToken");
    if (nextToken != null) {
      try {
        from = Integer.parseInt(nextToken);
      } catch (NumberFormatException e) {
        throw SecretStore.invalidParameter("NextToken is not one this stand-in issued.");
      }
    }
    var reply = JSON.createObjectNode();
    var list = reply.putArray("SecretList");
    int to = Math.min(found.size(), from + max);
    for (var description : found.subList(Math.min(from, to), to)) {
      var entry = describe(description);
      stages(entry.putObject("SecretVersionsToStages"), description.versionIdsToStages());
      list.add(entry);
    }
    if (to < found.size()) {
      reply.put("NextToken", Integer.toString(to));
    }
    return reply;
  }

  /**
   * ListSecrets filters: values are prefixes (a leading "!" negates), any value of a filter may
   * match, and every filter must. The "all" and region/service keys are not served.
   */
  private Predicate<Description> filters(JsonNode request) {
    Predicate<Description> all = d -> true;
    for (var filter : request.path("Filters")) {
      var key = filter.path("Key").asText();
      var values = stringList(filter, "Values");
      Predicate<Description> anyValue = d -> false;
      for (var raw : values) {
        boolean negate = raw.startsWith("!");
        var prefix = negate ? raw.substring(1) : raw;
        Predicate<Description> match =
            switch (key) {
              case "name" -> d -> d.name().startsWith(prefix);
              case "description" ->
                  d ->
                      d.description() != null
                          && d.description()
                              .toLowerCase(Locale.ROOT)
                              .startsWith(prefix.toLowerCase(Locale.ROOT));
              case "tag-key" -> d -> d.tags().stream().anyMatch(t -> t.key().startsWith(prefix));
              case "tag-value" ->
                  d ->
                      d.tags().stream()
                          .anyMatch(t -> t.value() != null && t.value().startsWith(prefix));
              default ->
                  throw SecretStore.invalidParameter(
                      "The stand-in does not filter ListSecrets by " + key + ".");
            };
        anyValue = anyValue.or(negate ? match.negate() : match);
      }
      all = all.and(anyValue);
    }
    return all;
  }

  private static ObjectNode describe(Description description) {
    var reply = identity(description.arn(), description.name());
    if (description.description() != null) {
      reply.put("Description", description.description());
    }
    if (description.kmsKeyId() != null) {
      reply.put("KmsKeyId", description.kmsKeyId());
    }
    reply.put("RotationEnabled", false);
    reply.put("LastChangedDate", timestamp(description.lastChanged()));
    if (description.lastAccessed() != null) {
      reply.put("LastAccessedDate", timestamp(description.lastAccessed()));
    }
    if (description.deleted() != null) {
      reply.put("DeletedDate", timestamp(description.deleted()));
    }
    if (!description.tags().isEmpty()) {
      var tags = reply.putArray("Tags");
      for (var tag : description.tags()) {
        var node = tags.addObject().put("Key", tag.key());
        if (tag.value() != null) {
          node.put("Value", tag.value());
        }
      }
    }
    reply.put("CreatedDate", timestamp(description.created()));
    return reply;
  }

  private static ObjectNode identity(String arn, String name) {
    return JSON.createObjectNode().put("ARN", arn).put("Name", name);
  }

  private static void stages(ObjectNode into, Map<String, List<String>> stagesByVersion) {
    stagesByVersion.forEach((id, stages) -> strings(into.putArray(id), stages));
  }

  private static void strings(ArrayNode into, List<String> values) {
    values.forEach(into::add);
  }

  /**
   * The JSON protocol's timestamp: epoch seconds, fraction in milliseconds, never exponent form.
   */
  private static BigDecimal timestamp(Instant instant) {
    return BigDecimal.valueOf(instant.toEpochMilli(), 3);
  }

  private static ObjectNode errorBody(String type, String message) {
    var body = JSON.createObjectNode().put("__type", type);
    if (message != null) {
      body.put("message", message);
    }
    return body;
  }

  private static JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return JSON.createObjectNode();
    }
    try {
      var node = JSON.readTree(body);
      if (node == null || !node.isObject()) {
        throw serialization("The request body must be a JSON object.");
      }
      return node;
    } catch (JsonProcessingException e) {
      // Not e.getMessage(): Jackson quotes the offending input, which may be a secret value.
      throw serialization("The request body is not valid JSON.");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String required(JsonNode request, String field) {
    var value = text(request, field);
    if (value == null) {
      throw ServiceError.badRequest(
          "ValidationException",
          "1 validation error detected: Value null at '"
              + Character.toLowerCase(field.charAt(0))
              + field.substring(1)
              + "' failed to satisfy constraint: Member must not be null");
    }
    return value;
  }

  private static String text(JsonNode request, String field) {
    var node = request.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw serialization(field + " must be a string.");
    }
    return node.textValue();
  }

  private static String token(JsonNode request) {
    var token = text(request, "ClientRequestToken");
    if (token != null && (token.length() < 32 || token.length() > 64)) {
      throw ServiceError.badRequest(
          "ValidationException",
          "1 validation error detected: Value at 'clientRequestToken' failed to satisfy"
              + " constraint: Member must have length between 32 and 64");
    }
    return token;
  }

  private static List<String> stringList(JsonNode request, String field) {
    var node = request.get(field);
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw serialization(field + " must be a list of strings.");
    }
    var values = new ArrayList<String>();
    for (var element : node) {
      if (!element.isTextual()) {
        throw serialization(field + " must be a list of strings.");
      }
      values.add(element.textValue());
    }
    return values;
  }

  private static List<Tag> tags(JsonNode request) {
    var tags = new ArrayList<Tag>();
    for (var tag : request.path("Tags")) {
      tags.add(new Tag(required(tag, "Key"), text(tag, "Value")));
    }
    return tags;
  }

  /**
   * Exactly one of SecretString and SecretBinary; none is allowed only where the secret may be
   * empty.
   */
  private static SecretValue value(JsonNode request, boolean required) {
    var string = text(request, "SecretString");
    var binary = text(request, "SecretBinary");
    if (string != null && binary != null) {
      throw SecretStore.invalidParameter(
          "You can't specify both a binary secret value and a string secret value in the same"
              + " secret.");
    }
    if (string != null) {
      return new SecretValue.Text(string);
    }
    if (binary != null) {
      try {
        return new SecretValue.Binary(Base64.getDecoder().decode(binary));
      } catch (IllegalArgumentException e) {
        throw serialization("SecretBinary must be base64.");
      }
    }
    if (required) {
      throw SecretStore.invalidParameter("You must provide either SecretString or SecretBinary.");
    }
    return null;
  }

  private static ServiceError unknownOperation(String message) {
    return ServiceError.badRequest("UnknownOperationException", message);
  }

  private static ServiceError serialization(String message) {
    return ServiceError.badRequest("SerializationException", message);
  }
}

package dev.xerosync.infra.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential conformance of the Secrets Manager stand-in against moto's server: the same requests
 * to both, replies compared field by field. Normalised: ARNs (a random suffix and the account),
 * timestamps, and the order of lists Secrets Manager does not order.
 */
class SecretsManagerConformanceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT_TYPE = "application/x-amz-json-1.1";
  private static final Set<String> TIMES =
      Set.of("CreatedDate", "DeletionDate", "LastChangedDate", "LastAccessedDate");

  private static MotoServer moto;
  private static SecretsManagerStandIn ours;
  private static final Set<String> compared = new TreeSet<>();

  @BeforeAll
  static void start() {
    moto = MotoServer.startOrSkip();
    ours = SecretsManagerStandIn.start();
  }

  @AfterAll
  static void stop() {
    if (ours != null) {
      ours.close();
    }
    if (moto != null) {
      moto.close();
    }
    if (!compared.isEmpty()) {
      System.out.println(
          "secretsmanager-conformance: " + compared.size() + " request kinds compared with moto");
    }
  }

  private final String name = "xero-sync/conf/" + UUID.randomUUID();

  private MotoServer.Reply same(String kind, String operation, String body) {
    JsonNode request;
    try {
      request = JSON.readTree(body.replace("$N", name));
    } catch (Exception e) {
      throw new IllegalArgumentException(body, e);
    }
    var target = "secretsmanager." + operation;
    var theirs = MotoServer.call(moto.endpoint(), CONTENT_TYPE, target, request);
    var mine = MotoServer.call(ours.endpoint(), CONTENT_TYPE, target, request);
    assertThat(normalise(mine))
        .as("%s %s: %s%nours:  %s%nmoto:  %s", operation, kind, body, mine.body(), theirs.body())
        .isEqualTo(normalise(theirs));
    compared.add(operation + "/" + kind);
    return mine;
  }

  private static JsonNode normalise(MotoServer.Reply reply) {
    var out = JSON.createObjectNode();
    out.put("status", reply.status() < 300 ? "ok" : "error");
    if (reply.errorType() != null) {
      // Secrets Manager documents its error types, not the wording of their messages.
      out.put("error", reply.errorType());
      return out;
    }
    out.set("body", canonical(reply.body()));
    return out;
  }

  private static JsonNode canonical(JsonNode node) {
    if (node.isObject()) {
      var sorted = new TreeMap<String, JsonNode>();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        var e = it.next();
        if (TIMES.contains(e.getKey())) {
          sorted.put(e.getKey(), JSON.getNodeFactory().textNode("<time>"));
        } else if (e.getKey().equals("ARN")) {
          sorted.put(e.getKey(), JSON.getNodeFactory().textNode("<arn>"));
        } else {
          sorted.put(e.getKey(), canonical(e.getValue()));
        }
      }
      ObjectNode out = JSON.createObjectNode();
      sorted.forEach(out::set);
      return out;
    }
    if (node.isArray()) {
      var elements = new TreeMap<String, JsonNode>();
      node.forEach(n -> elements.put(canonical(n).toString(), canonical(n)));
      var out = JSON.createArrayNode();
      elements.values().forEach(out::add);
      return out;
    }
    return node;
  }

  @Test
  void secretLifecycle() {
    var v1 = "11111111-1111-4111-8111-111111111111";
    var v2 = "22222222-2222-4222-8222-222222222222";
    same(
        "with-token",
        "CreateSecret",
        "{\"Name\":\"$N\",\"SecretString\":\"{\\\"a\\\":1}\",\"ClientRequestToken\":\""
            + v1
            + "\"}");
    same(
        "duplicate",
        "CreateSecret",
        "{\"Name\":\"$N\",\"SecretString\":\"other\",\"ClientRequestToken\":\"" + v2 + "\"}");
    same("current", "GetSecretValue", "{\"SecretId\":\"$N\"}");
    same(
        "new-version",
        "PutSecretValue",
        "{\"SecretId\":\"$N\",\"SecretString\":\"two\",\"ClientRequestToken\":\"" + v2 + "\"}");
    same(
        "same-token-again",
        "PutSecretValue",
        "{\"SecretId\":\"$N\",\"SecretString\":\"two\",\"ClientRequestToken\":\"" + v2 + "\"}");
    same("previous", "GetSecretValue", "{\"SecretId\":\"$N\",\"VersionStage\":\"AWSPREVIOUS\"}");
    same("by-version", "GetSecretValue", "{\"SecretId\":\"$N\",\"VersionId\":\"" + v1 + "\"}");
    same("unknown-version", "GetSecretValue", "{\"SecretId\":\"$N\",\"VersionStage\":\"NOPE\"}");
    same("missing", "GetSecretValue", "{\"SecretId\":\"xero-sync/conf/missing\"}");
    same("with-window", "DeleteSecret", "{\"SecretId\":\"$N\",\"RecoveryWindowInDays\":7}");
    same("while-deleted", "GetSecretValue", "{\"SecretId\":\"$N\"}");
    same("deleted", "RestoreSecret", "{\"SecretId\":\"$N\"}");
    same("restored", "GetSecretValue", "{\"SecretId\":\"$N\"}");
    same("window-too-short", "DeleteSecret", "{\"SecretId\":\"$N\",\"RecoveryWindowInDays\":3}");
  }
}

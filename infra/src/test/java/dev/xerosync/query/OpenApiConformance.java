package dev.xerosync.query;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.xerosync.common.Json;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks recorded exchanges against our OpenAPI 3.1 document: the status is documented for the
 * operation, the media type and documented headers are there, the body validates against the
 * response's schema as JSON Schema 2020-12 (formats asserted), and every query parameter of a
 * successful request is documented for the operation.
 */
final class OpenApiConformance {
  private static final JsonNode DOC = QueryApi.OPENAPI;
  private static final JsonSchemaFactory FACTORY =
      JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
  private static final SchemaValidatorsConfig CONFIG =
      SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();

  private OpenApiConformance() {}

  /** Every way the exchange departs from the document; empty when it conforms. */
  static List<String> violations(QueryApi.Exchange e) {
    List<String> out = new ArrayList<>();
    String where = e.method() + " " + e.template() + " -> " + e.response().getStatusCode();
    JsonNode op = DOC.path("paths").path(e.template()).path(e.method().toLowerCase(Locale.ROOT));
    if (op.isMissingNode()) {
      return List.of(where + ": operation not in the document");
    }
    Set<String> documentedQuery = new HashSet<>();
    for (JsonNode p : op.path("parameters")) {
      JsonNode param = resolve(p);
      if ("query".equals(param.path("in").asText())) {
        documentedQuery.add(param.path("name").asText());
      }
    }
    // A success for a parameter the document does not name means the document is missing it;
    // unknown parameters that are refused with a 400 are fine.
    for (String q : e.query().keySet()) {
      if (e.response().getStatusCode() < 400 && !documentedQuery.contains(q)) {
        out.add(where + ": query parameter " + q + " is not documented");
      }
    }
    JsonNode response = op.path("responses").path(Integer.toString(e.response().getStatusCode()));
    if (response.isMissingNode()) {
      out.add(where + ": status not documented");
      return out;
    }
    response = resolve(response);
    var headers =
        e.response().getHeaders() == null
            ? java.util.Map.<String, String>of()
            : e.response().getHeaders();
    for (var names = response.path("headers").fieldNames(); names.hasNext(); ) {
      String h = names.next();
      if (headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase(h))) {
        out.add(where + ": documented header " + h + " missing");
      }
    }
    String body = e.response().getBody();
    JsonNode content = response.path("content");
    if (content.isMissingNode() || content.isEmpty()) {
      if (body != null && !body.isEmpty()) {
        out.add(where + ": body sent where the document has none");
      }
      return out;
    }
    String contentType =
        headers.entrySet().stream()
            .filter(h -> h.getKey().equalsIgnoreCase("Content-Type"))
            .map(java.util.Map.Entry::getValue)
            .findFirst()
            .orElse(null);
    if (contentType == null || !content.has(contentType)) {
      out.add(
          where
              + ": Content-Type "
              + contentType
              + " is not one of "
              + iterable(content.fieldNames()));
      return out;
    }
    JsonNode schemaNode = content.path(contentType).path("schema");
    JsonNode instance;
    if (contentType.contains("json")) {
      try {
        instance = Json.MAPPER.readTree(body);
      } catch (Exception ex) {
        out.add(where + ": body is not JSON");
        return out;
      }
    } else {
      instance = Json.MAPPER.getNodeFactory().textNode(body);
    }
    for (ValidationMessage m : schema(schemaNode).validate(instance)) {
      out.add(where + ": " + m.getMessage());
    }
    return out;
  }

  /** The schema with the document's components beside it, so its $refs resolve. */
  private static JsonSchema schema(JsonNode schemaNode) {
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    root.set("allOf", Json.MAPPER.createArrayNode().add(schemaNode));
    root.set("components", DOC.path("components"));
    return FACTORY.getSchema(URI.create("https://xero-sync.dev/openapi.json"), root, CONFIG);
  }

  private static JsonNode resolve(JsonNode node) {
    while (node.has("$ref")) {
      node = DOC.at(node.get("$ref").asText().substring(1));
    }
    return node;
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> l = new ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }
}

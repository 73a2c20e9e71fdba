package dev.xerosync.infra.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks of a template resource's properties, shared by {@link TemplateTables} and infra's
 * TemplateQueues: a property that would change behaviour and is not applied locally fails by name.
 */
final class TemplateProperties {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Resource attributes that do not change what gets created. Condition is absent on purpose. */
  private static final Set<String> RESOURCE_KEYS =
      Set.of(
          "Type",
          "Properties",
          "DependsOn",
          "DeletionPolicy",
          "UpdateReplacePolicy",
          "Metadata",
          "UpdatePolicy",
          "CreationPolicy");

  private TemplateProperties() {}

  static JsonNode properties(
      JsonNode resource, String where, Set<String> applied, Set<String> withoutLocalEffect) {
    resource
        .fieldNames()
        .forEachRemaining(
            key -> {
              if (!RESOURCE_KEYS.contains(key)) {
                throw unsupported(where, "resource attribute " + key + " is not applied locally");
              }
            });
    var properties = resource.path("Properties");
    if (properties.isMissingNode()) {
      return JSON.createObjectNode();
    }
    if (!properties.isObject()) {
      throw unsupported(where, "Properties must be a mapping");
    }
    properties
        .fieldNames()
        .forEachRemaining(
            key -> {
              if (!applied.contains(key) && !withoutLocalEffect.contains(key)) {
                throw unsupported(where, "property " + key + " is not applied locally");
              }
            });
    return properties;
  }

  static List<JsonNode> list(JsonNode properties, String field, String where) {
    var node = properties.get(field);
    if (node == null) {
      return List.of();
    }
    if (!node.isArray()) {
      throw unsupported(where, field + " must be a list");
    }
    var elements = new ArrayList<JsonNode>();
    node.forEach(elements::add);
    return elements;
  }

  static void expectKeys(JsonNode node, String where, Set<String> allowed) {
    if (node == null || !node.isObject()) {
      throw unsupported(where, "a mapping is required");
    }
    node.fieldNames()
        .forEachRemaining(
            key -> {
              if (!allowed.contains(key)) {
                throw unsupported(where, key + " is not applied locally");
              }
            });
  }

  /** A scalar written in the template. Intrinsics are not evaluated here, so they fail. */
  static String literal(JsonNode node, String where) {
    if (node == null || node.isNull()) {
      throw unsupported(where, "a value is required");
    }
    if (node.isContainerNode()) {
      throw unsupported(
          where,
          "must be a literal value; intrinsic functions are not resolved here, found " + node);
    }
    return node.asText();
  }

  static boolean bool(JsonNode node, String where) {
    var value = literal(node, where);
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default -> throw unsupported(where, "must be true or false, found " + value);
    };
  }

  static int integer(JsonNode node, String where) {
    var value = literal(node, where);
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw unsupported(where, "must be an integer, found " + value);
    }
  }

  static IllegalArgumentException unsupported(String where, String problem) {
    return new IllegalArgumentException(where + ": " + problem);
  }
}

package dev.xerosync.infra.aws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.Map;

/**
 * Reads a CloudFormation template's YAML into a tree, keeping its tags.
 *
 * <p>Jackson's YAML parser silently drops tags it does not know: {@code !Ref Table} reads as the
 * plain string "Table" and {@code !GetAtt Queue.Arn} as "Queue.Arn". This reader walks the parser's
 * tokens instead and rewrites every short-form intrinsic to its long form ({@code {"Ref": ...}},
 * {@code {"Fn::GetAtt": [resource, attribute]}}, {@code {"Fn::Sub": ...}}), and rejects tags
 * CloudFormation does not define.
 */
final class CloudFormationYaml {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Short-form tags and the long-form keys they stand for. */
  private static final Map<String, String> INTRINSICS =
      Map.ofEntries(
          Map.entry("Ref", "Ref"),
          Map.entry("Condition", "Condition"),
          Map.entry("GetAtt", "Fn::GetAtt"),
          Map.entry("Sub", "Fn::Sub"),
          Map.entry("Join", "Fn::Join"),
          Map.entry("Select", "Fn::Select"),
          Map.entry("Split", "Fn::Split"),
          Map.entry("FindInMap", "Fn::FindInMap"),
          Map.entry("GetAZs", "Fn::GetAZs"),
          Map.entry("ImportValue", "Fn::ImportValue"),
          Map.entry("Base64", "Fn::Base64"),
          Map.entry("Cidr", "Fn::Cidr"),
          Map.entry("Transform", "Fn::Transform"),
          Map.entry("If", "Fn::If"),
          Map.entry("Equals", "Fn::Equals"),
          Map.entry("And", "Fn::And"),
          Map.entry("Or", "Fn::Or"),
          Map.entry("Not", "Fn::Not"),
          Map.entry("ToJsonString", "Fn::ToJsonString"),
          Map.entry("Length", "Fn::Length"));

  private CloudFormationYaml() {}

  /** The top-level mapping of a template. */
  static ObjectNode read(String yaml) throws IOException {
    try (var parser = new YAMLFactory().createParser(yaml)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("A template is a YAML mapping at the top level");
      }
      return (ObjectNode) readValue(parser);
    }
  }

  private static JsonNode readValue(JsonParser parser) throws IOException {
    // The tag must be read before descending: the parser reports it on the value's first token.
    var tag = (String) parser.getTypeId();
    var location = parser.currentLocation();
    JsonNode value =
        switch (parser.currentToken()) {
          case START_OBJECT -> readObject(parser);
          case START_ARRAY -> readArray(parser);
          case VALUE_STRING -> NODES.textNode(parser.getText());
          case VALUE_NUMBER_INT ->
              switch (parser.getNumberType()) {
                case INT -> NODES.numberNode(parser.getIntValue());
                case LONG -> NODES.numberNode(parser.getLongValue());
                default -> NODES.numberNode(parser.getBigIntegerValue());
              };
          case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDecimalValue());
          case VALUE_TRUE -> NODES.booleanNode(true);
          case VALUE_FALSE -> NODES.booleanNode(false);
          case VALUE_NULL -> NODES.nullNode();
          default ->
              throw new IllegalArgumentException(
                  "Unexpected " + parser.currentToken() + " at line " + location.getLineNr());
        };
    if (tag == null || tag.startsWith("tag:yaml.org,2002:")) {
      return value;
    }
    var function = INTRINSICS.get(tag);
    if (function == null) {
      throw new IllegalArgumentException(
          "Unknown tag !" + tag + " at line " + location.getLineNr() + " of the template");
    }
    if (function.equals("Fn::GetAtt") && value.isTextual()) {
      // !GetAtt Resource.Attribute is short for [Resource, Attribute]; attributes may hold dots.
      var text = value.textValue();
      int dot = text.indexOf('.');
      if (dot < 1 || dot == text.length() - 1) {
        throw new IllegalArgumentException(
            "!GetAtt needs Resource.Attribute at line " + location.getLineNr() + ", found " + text);
      }
      value = NODES.arrayNode().add(text.substring(0, dot)).add(text.substring(dot + 1));
    }
    return NODES.objectNode().set(function, value);
  }

  private static ObjectNode readObject(JsonParser parser) throws IOException {
    var object = NODES.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      var name = parser.currentName();
      if (object.has(name)) {
        // CloudFormation rejects duplicate keys; YAML readers differ on which one wins.
        throw new IllegalArgumentException(
            "Duplicate key " + name + " at line " + parser.currentLocation().getLineNr());
      }
      parser.nextToken();
      object.set(name, readValue(parser));
    }
    return object;
  }

  private static ArrayNode readArray(JsonParser parser) throws IOException {
    var array = NODES.arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      array.add(readValue(parser));
    }
    return array;
  }
}

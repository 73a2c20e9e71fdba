package dev.xerosync.infra.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.aws.dynamodb.Value.B;
import dev.xerosync.infra.aws.dynamodb.Value.BS;
import dev.xerosync.infra.aws.dynamodb.Value.Bool;
import dev.xerosync.infra.aws.dynamodb.Value.L;
import dev.xerosync.infra.aws.dynamodb.Value.M;
import dev.xerosync.infra.aws.dynamodb.Value.N;
import dev.xerosync.infra.aws.dynamodb.Value.NS;
import dev.xerosync.infra.aws.dynamodb.Value.Null;
import dev.xerosync.infra.aws.dynamodb.Value.S;
import dev.xerosync.infra.aws.dynamodb.Value.SS;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * {@link Value}s on DynamoDB's wire (AWS JSON 1.0 attribute values), read with DynamoDB's own
 * refusals and wording.
 */
final class ValueJson {
  private ValueJson() {}

  static ObjectNode toJson(Map<String, Value> item) {
    var node = Value.NODES.objectNode();
    item.forEach((k, v) -> node.set(k, v.toJson()));
    return node;
  }

  /**
   * An item, or a map's content, from the wire; throws {@link DynamoError} with DynamoDB's wording.
   */
  static Map<String, Value> item(JsonNode node) {
    if (node == null || node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw new DynamoError(
          "SerializationException", "Start of structure or map found where not expected");
    }
    var item = new LinkedHashMap<String, Value>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var e = it.next();
      item.put(e.getKey(), of(e.getValue()));
    }
    return item;
  }

  static Value of(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new DynamoError(
          "SerializationException", "Unexpected value type in payload; expected an AttributeValue");
    }
    Value found = null;
    int count = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      var e = it.next();
      if (e.getValue().isNull()) {
        continue;
      }
      count++;
      found = parse(e.getKey(), e.getValue());
    }
    if (count == 0) {
      throw new DynamoError(
          "ValidationException",
          "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
    }
    if (count > 1) {
      throw new DynamoError(
          "ValidationException",
          "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the"
              + " supported datatypes");
    }
    return found;
  }

  private static Value parse(String type, JsonNode v) {
    switch (type) {
      case "S":
        return new S(text(v));
      case "N":
        return new N(Value.number(text(v)));
      case "B":
        return new B(binary(v));
      case "BOOL":
        if (!v.isBoolean()) {
          throw serialization();
        }
        return new Bool(v.booleanValue());
      case "NULL":
        if (!v.isBoolean()) {
          throw serialization();
        }
        if (!v.booleanValue()) {
          throw invalid("Null attribute value types must have the value of true");
        }
        return new Null();
      case "SS":
        {
          var values = new ArrayList<String>();
          array(v).forEach(e -> values.add(text(e)));
          if (values.isEmpty()) {
            throw invalid("An string set  may not be empty");
          }
          noDuplicates(values, values);
          return new SS(new LinkedHashSet<>(values));
        }
      case "NS":
        {
          var texts = new ArrayList<String>();
          var values = new ArrayList<BigDecimal>();
          array(v)
              .forEach(
                  e -> {
                    texts.add(text(e));
                    values.add(new N(Value.number(text(e))).value());
                  });
          if (values.isEmpty()) {
            throw invalid("An number set  may not be empty");
          }
          noDuplicates(values, texts);
          return new NS(new LinkedHashSet<>(values));
        }
      case "BS":
        {
          var values = new ArrayList<B>();
          array(v).forEach(e -> values.add(new B(binary(e))));
          if (values.isEmpty()) {
            throw invalid("Binary sets should not be empty");
          }
          noDuplicates(values, values);
          return new BS(new LinkedHashSet<>(values));
        }
      case "M":
        if (!v.isObject()) {
          throw serialization();
        }
        return new M(item(v));
      case "L":
        {
          var values = new ArrayList<Value>();
          array(v).forEach(e -> values.add(of(e)));
          return new L(values);
        }
      default:
        throw new DynamoError(
            "SerializationException", "Unknown AttributeValue member " + type + " in payload");
    }
  }

  private static void noDuplicates(List<?> values, List<?> shown) {
    if (new LinkedHashSet<>(values).size() != values.size()) {
      throw invalid("Input collection " + shown + " contains duplicates.");
    }
  }

  private static Iterable<JsonNode> array(JsonNode v) {
    if (!v.isArray()) {
      throw serialization();
    }
    return v;
  }

  private static String text(JsonNode v) {
    if (!v.isTextual()) {
      throw serialization();
    }
    return v.textValue();
  }

  private static byte[] binary(JsonNode v) {
    try {
      return Base64.getDecoder().decode(text(v));
    } catch (IllegalArgumentException e) {
      throw new DynamoError(
          "SerializationException",
          "Base64 encoded length is expected a multiple of 4 bytes but found: " + text(v).length());
    }
  }

  private static DynamoError invalid(String message) {
    return new DynamoError(
        "ValidationException", "One or more parameter values were invalid: " + message);
  }

  private static DynamoError serialization() {
    return new DynamoError("SerializationException", "Unexpected value type in payload");
  }
}

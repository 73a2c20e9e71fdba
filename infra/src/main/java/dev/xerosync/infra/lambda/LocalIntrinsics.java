package dev.xerosync.infra.lambda;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Resolves the intrinsic functions a function's environment uses (Ref, Fn::GetAtt, Fn::Sub) against
 * the local stand-ins, so each function sees the same variables it would see in AWS.
 */
public final class LocalIntrinsics {
  private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

  private final Map<String, String> parameters;
  private final Map<String, String> refs;
  private final Map<String, Map<String, String>> attributes;
  private final String stackName;

  /**
   * @param parameters template parameter values by name
   * @param refs what !Ref of a resource returns (table name, queue URL) by logical id
   * @param attributes what !GetAtt returns (Arn, QueueName…) by logical id and attribute
   */
  public LocalIntrinsics(
      Map<String, String> parameters,
      Map<String, String> refs,
      Map<String, Map<String, String>> attributes) {
    this(parameters, refs, attributes, "xero-sync-local");
  }

  /** As above, for a stack of another name (AWS::StackName). */
  public LocalIntrinsics(
      Map<String, String> parameters,
      Map<String, String> refs,
      Map<String, Map<String, String>> attributes,
      String stackName) {
    this.stackName = stackName;
    this.parameters = parameters;
    this.refs = refs;
    this.attributes = attributes;
  }

  public String resolve(JsonNode value) {
    if (value.isTextual() || value.isNumber() || value.isBoolean()) {
      return value.asText();
    }
    if (value.has("Ref")) {
      return ref(value.get("Ref").asText());
    }
    if (value.has("Fn::GetAtt")) {
      JsonNode args = value.get("Fn::GetAtt");
      String[] parts =
          args.isArray()
              ? new String[] {args.get(0).asText(), args.get(1).asText()}
              : args.asText().split("\\.", 2);
      return getAtt(parts[0], parts[1]);
    }
    if (value.has("Fn::Sub")) {
      JsonNode sub = value.get("Fn::Sub");
      String text = sub.isArray() ? sub.get(0).asText() : sub.asText();
      Matcher m = SUB_VARIABLE.matcher(text);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        String name = m.group(1);
        int dot = name.indexOf('.');
        String replacement =
            dot > 0 && !name.startsWith("AWS::")
                ? getAtt(name.substring(0, dot), name.substring(dot + 1))
                : ref(name);
        m.appendReplacement(out, Matcher.quoteReplacement(replacement));
      }
      m.appendTail(out);
      return out.toString();
    }
    throw new IllegalArgumentException("the local host cannot resolve " + value);
  }

  private String ref(String name) {
    return switch (name) {
      case "AWS::Region" -> "us-east-1";
      case "AWS::AccountId" -> "000000000000";
      case "AWS::Partition" -> "aws";
      case "AWS::StackName" -> stackName;
      case "AWS::URLSuffix" -> "amazonaws.com";
      default -> {
        if (parameters.containsKey(name)) {
          yield parameters.get(name);
        }
        if (refs.containsKey(name)) {
          yield refs.get(name);
        }
        throw new IllegalArgumentException(
            "!Ref " + name + " names no parameter or resource the local host knows");
      }
    };
  }

  private String getAtt(String logicalId, String attribute) {
    Map<String, String> attrs = attributes.get(logicalId);
    if (attrs == null || !attrs.containsKey(attribute)) {
      throw new IllegalArgumentException(
          "!GetAtt " + logicalId + "." + attribute + " is unknown to the local host");
    }
    return attrs.get(attribute);
  }
}

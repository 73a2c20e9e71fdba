package dev.xerosync.infra.aws;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Physical names of what {@link CloudFormationTemplate#createResources} created, by the logical id
 * the template gives each resource.
 */
public record LocalResources(
    Map<String, String> tableNames, Map<String, String> queueUrls, Map<String, String> queueArns) {

  public LocalResources {
    // Sorted copies, so error messages list the known ids predictably.
    tableNames = Collections.unmodifiableMap(new TreeMap<>(tableNames));
    queueUrls = Collections.unmodifiableMap(new TreeMap<>(queueUrls));
    queueArns = Collections.unmodifiableMap(new TreeMap<>(queueArns));
  }

  public String tableName(String logicalId) {
    return lookup(tableNames, logicalId, "table");
  }

  public String queueUrl(String logicalId) {
    return lookup(queueUrls, logicalId, "queue");
  }

  public String queueArn(String logicalId) {
    return lookup(queueArns, logicalId, "queue");
  }

  private static String lookup(Map<String, String> byLogicalId, String logicalId, String kind) {
    var value = byLogicalId.get(logicalId);
    if (value == null) {
      throw new IllegalArgumentException(
          "The template defines no " + kind + " " + logicalId + "; it has " + byLogicalId.keySet());
    }
    return value;
  }
}

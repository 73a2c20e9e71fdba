package dev.xerosync.store;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Stamps {@link Keys#TENANT_SHARD} on every item that goes with its tenant, so {@link TenantPurge}
 * finds them by Query. Every put goes through {@link #stamp} and every update that may create an
 * item through {@link #set} and {@link #values}; TenantPurgeIntegrationTest fails on an item that
 * misses it.
 */
final class TenantItems {
  static final String VALUE = ":tenantShard";

  private TenantItems() {}

  /**
   * The item with its shard attribute when it is purged with its tenant; the item unchanged else.
   */
  static Map<String, AttributeValue> stamp(String tenantId, Map<String, AttributeValue> item) {
    String pk = ItemCodec.attr(item, "pk").s();
    if (!Keys.purgedWithTenant(tenantId, pk, ItemCodec.attr(item, "sk").s())) {
      return item;
    }
    Map<String, AttributeValue> stamped = new HashMap<>(item);
    stamped.put(Keys.TENANT_SHARD, AttributeValue.fromS(Keys.tenantShard(tenantId, pk)));
    return stamped;
  }

  /** The update expression that also sets the shard attribute (merged into its SET clause). */
  static String set(String expression) {
    String assignment = Keys.TENANT_SHARD + " = " + VALUE;
    String trimmed = expression.stripLeading();
    if (trimmed.regionMatches(true, 0, "SET ", 0, 4)) {
      return "SET " + assignment + ", " + trimmed.substring(4);
    }
    if (trimmed.matches("(?is).*\\bSET\\b.*")) {
      throw new IllegalArgumentException("put SET first to stamp: " + expression);
    }
    return trimmed + " SET " + assignment;
  }

  /** The expression's values plus the shard of the item keyed {@code pk}. */
  static Map<String, AttributeValue> values(
      String tenantId, String pk, Map<String, AttributeValue> values) {
    Map<String, AttributeValue> all = new HashMap<>(values);
    all.put(VALUE, AttributeValue.fromS(Keys.tenantShard(tenantId, pk)));
    return all;
  }
}

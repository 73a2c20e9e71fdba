package dev.xerosync.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What the connection lifecycle adds to a connection: which SaaS tenant owns it, the organisation's
 * name, who connected it, Xero's connection id, and the corrective action of an unhealthy status.
 * These are attributes of the sync's own connection item ({@code T#tenant / CONNECTION}), written
 * with targeted updates so the sync's attributes are never touched. A SaaS tenant's connections are
 * listed from {@code SAAS#saasTenant / CONN#tenant} items; its settings live in {@code
 * SAAS#saasTenant / PROFILE}. This class reads them and writes the PROFILE; the connection item and
 * its {@code CONN#} index entry are written only by {@link Connections}.
 */
public final class ConnectionRecords {
  /** The lifecycle's view of one connection. */
  public record Link(
      String tenantId,
      String saasTenantId,
      @Nullable String organisationName,
      @Nullable String connectedBy,
      @Nullable Instant connectedAt,
      @Nullable String xeroConnectionId,
      @Nullable String statusAction,
      @Nullable String actionUrl,
      @Nullable String apiBaseUrl,
      @Nullable Instant disconnectedAt,
      @Nullable String disconnectedBy) {}

  private final DynamoDbClient dynamo;
  private final String table;

  public ConnectionRecords(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public Optional<Link> link(String tenantId) {
    var r =
        dynamo.getItem(g -> g.tableName(table).consistentRead(true).key(connectionKey(tenantId)));
    if (!r.hasItem() || !r.item().containsKey("saasTenantId")) {
      return Optional.empty();
    }
    Map<String, AttributeValue> i = r.item();
    return Optional.of(
        new Link(
            tenantId,
            ItemCodec.requiredStr(i, "saasTenantId"),
            str(i, "organisationName"),
            str(i, "connectedBy"),
            instant(i, "connectedAt"),
            str(i, "xeroConnectionId"),
            str(i, "statusAction"),
            str(i, "actionUrl"),
            str(i, "apiBaseUrl"),
            instant(i, "disconnectedAt"),
            str(i, "disconnectedBy")));
  }

  /** The Xero tenant ids a SaaS tenant has connected (disconnected ones included). */
  public List<String> tenantsOf(String saasTenantId) {
    List<String> out = new ArrayList<>();
    Pages.forEachItem(
        dynamo,
        q ->
            q.tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :c)")
                .expressionAttributeValues(
                    Map.of(
                        ":pk",
                        s(Keys.saasPk(saasTenantId)),
                        ":c",
                        s(Keys.SAAS_CONNECTION_SK_PREFIX))),
        i -> out.add(ItemCodec.attr(i, "tenantId").s()));
    return out;
  }

  public void setNotificationUrl(String saasTenantId, String url) {
    dynamo.updateItem(
        u ->
            u.tableName(table)
                .key(Keys.key(Keys.saasPk(saasTenantId), Keys.PROFILE_SK))
                .updateExpression("SET notificationUrl = :u, saasTenantId = :s")
                .expressionAttributeValues(Map.of(":u", s(url), ":s", s(saasTenantId))));
  }

  public Optional<String> notificationUrl(String saasTenantId) {
    var r =
        dynamo.getItem(
            g -> g.tableName(table).key(Keys.key(Keys.saasPk(saasTenantId), Keys.PROFILE_SK)));
    return r.hasItem() ? Optional.ofNullable(str(r.item(), "notificationUrl")) : Optional.empty();
  }

  private static Map<String, AttributeValue> connectionKey(String tenantId) {
    return Keys.key(Keys.tenantPk(tenantId), Keys.CONNECTION_SK);
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static @Nullable String str(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? item.get(name).s() : null;
  }

  private static @Nullable Instant instant(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? Instant.parse(item.get(name).s()) : null;
  }
}

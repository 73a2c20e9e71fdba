package dev.xerosync.connect;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

/**
 * What the connection lifecycle adds to a connection: which SaaS tenant owns it, the organisation's
 * name, who connected it, Xero's connection id, and the corrective action of an unhealthy status.
 * These are attributes of the sync's own connection item ({@code T#tenant / CONNECTION}), written
 * with targeted updates so the sync's attributes are never touched. A SaaS tenant's connections are
 * listed from {@code SAAS#saasTenant / CONN#tenant} items; its settings live in {@code
 * SAAS#saasTenant / PROFILE}.
 */
public final class ConnectionRecords {
  /** The lifecycle's view of one connection. */
  public record Link(
      String tenantId,
      String saasTenantId,
      String organisationName,
      String connectedBy,
      Instant connectedAt,
      String xeroConnectionId,
      String statusAction,
      String actionUrl,
      String apiBaseUrl,
      Instant disconnectedAt,
      String disconnectedBy) {}

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
            str(i, "saasTenantId"),
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

  /**
   * Records a (re)connection; clears whatever an earlier failure or disconnect left behind. A new
   * connection item starts PENDING, so it is readable before the initial sync registers it.
   */
  public void recordConnected(
      String tenantId,
      String saasTenantId,
      String organisationName,
      String connectedBy,
      String xeroConnectionId,
      String apiBaseUrl,
      Instant at) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":saas", s(saasTenantId));
    values.put(":org", s(organisationName));
    values.put(":by", s(connectedBy == null ? "unknown" : connectedBy));
    values.put(":conn", s(xeroConnectionId));
    values.put(":base", s(apiBaseUrl));
    values.put(":at", s(at.toString()));
    values.put(":tenant", s(tenantId));
    values.put(":pending", s("PENDING"));
    dynamo.transactWriteItems(
        t ->
            t.transactItems(
                w ->
                    w.update(
                        u ->
                            u.tableName(table)
                                .key(connectionKey(tenantId))
                                .updateExpression(
                                    "SET tenantId = :tenant, #status = if_not_exists(#status, :pending), saasTenantId = :saas, organisationName = :org, connectedBy = :by, xeroConnectionId = :conn, "
                                        + "apiBaseUrl = :base, connectedAt = :at REMOVE statusAction, actionUrl, disconnectedAt, disconnectedBy, "
                                        + "syncErrorNotifiedAt, initialSyncNotifiedAt, reconnectNotifiedAt")
                                .expressionAttributeNames(Map.of("#status", "status"))
                                .expressionAttributeValues(values)),
                w ->
                    w.put(
                        p ->
                            p.tableName(table)
                                .item(
                                    Map.of(
                                        "pk",
                                        s("SAAS#" + saasTenantId),
                                        "sk",
                                        s("CONN#" + tenantId),
                                        "saasTenantId",
                                        s(saasTenantId),
                                        "tenantId",
                                        s(tenantId),
                                        "organisationName",
                                        s(organisationName))))));
  }

  /** The corrective action (and its URL, where one applies) shown with an unhealthy status. */
  public void setAction(String tenantId, String action, String actionUrl) {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":action", s(action));
    String set = "SET statusAction = :action";
    String remove = "";
    if (actionUrl != null) {
      values.put(":url", s(actionUrl));
      set += ", actionUrl = :url";
    } else {
      remove = " REMOVE actionUrl";
    }
    String expression = set + remove;
    dynamo.updateItem(
        u ->
            u.tableName(table)
                .key(connectionKey(tenantId))
                .updateExpression(expression)
                .conditionExpression("attribute_exists(pk)")
                .expressionAttributeValues(values));
  }

  public void recordDisconnected(String tenantId, String by, Instant at) {
    dynamo.updateItem(
        u ->
            u.tableName(table)
                .key(connectionKey(tenantId))
                .updateExpression(
                    "SET disconnectedAt = :at, disconnectedBy = :by REMOVE statusAction, actionUrl")
                .expressionAttributeValues(Map.of(":at", s(at.toString()), ":by", s(by))));
  }

  /**
   * Claims the right to send a once-only notification ({@code initialSyncNotifiedAt}) or a
   * throttled one (sent again only after {@code notBefore}): true for exactly one caller.
   */
  public boolean claimNotification(
      String tenantId, String attribute, Instant now, Instant notBefore) {
    try {
      String condition =
          notBefore == null
              ? "attribute_exists(pk) AND attribute_not_exists(#a)"
              : "attribute_exists(pk) AND (attribute_not_exists(#a) OR #a < :nb)";
      Map<String, AttributeValue> values = new HashMap<>();
      values.put(":now", s(now.toString()));
      if (notBefore != null) {
        values.put(":nb", s(notBefore.toString()));
      }
      dynamo.updateItem(
          u ->
              u.tableName(table)
                  .key(connectionKey(tenantId))
                  .updateExpression("SET #a = :now")
                  .conditionExpression(condition)
                  .expressionAttributeNames(Map.of("#a", attribute))
                  .expressionAttributeValues(values));
      return true;
    } catch (software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException e) {
      return false;
    }
  }

  /** The Xero tenant ids a SaaS tenant has connected (disconnected ones included). */
  public List<String> tenantsOf(String saasTenantId) {
    List<String> out = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      Map<String, AttributeValue> from = start;
      QueryResponse page =
          dynamo.query(
              q -> {
                q.tableName(table)
                    .keyConditionExpression("pk = :pk AND begins_with(sk, :c)")
                    .expressionAttributeValues(
                        Map.of(":pk", s("SAAS#" + saasTenantId), ":c", s("CONN#")));
                if (from != null) {
                  q.exclusiveStartKey(from);
                }
              });
      page.items().forEach(i -> out.add(i.get("tenantId").s()));
      start =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (start != null);
    return out;
  }

  public void setNotificationUrl(String saasTenantId, String url) {
    dynamo.updateItem(
        u ->
            u.tableName(table)
                .key(Map.of("pk", s("SAAS#" + saasTenantId), "sk", s("PROFILE")))
                .updateExpression("SET notificationUrl = :u, saasTenantId = :s")
                .expressionAttributeValues(Map.of(":u", s(url), ":s", s(saasTenantId))));
  }

  public Optional<String> notificationUrl(String saasTenantId) {
    var r =
        dynamo.getItem(
            g ->
                g.tableName(table)
                    .key(Map.of("pk", s("SAAS#" + saasTenantId), "sk", s("PROFILE"))));
    return r.hasItem() ? Optional.ofNullable(str(r.item(), "notificationUrl")) : Optional.empty();
  }

  private static Map<String, AttributeValue> connectionKey(String tenantId) {
    return Map.of("pk", s("T#" + tenantId), "sk", s("CONNECTION"));
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static String str(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? item.get(name).s() : null;
  }

  private static Instant instant(Map<String, AttributeValue> item, String name) {
    return item.containsKey(name) ? Instant.parse(item.get(name).s()) : null;
  }
}

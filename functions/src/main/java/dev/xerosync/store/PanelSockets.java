package dev.xerosync.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * The open panels' WebSocket connections (API Gateway's connection ids), by the Xero contacts their
 * record showed when they connected, so a change to a contact reaches the panels that show it.
 *
 * <p>{@code pk = T#{tenant}#SOCKETS, sk = {contactId}#{connectionId}}: one item per contact a
 * connection listens to, with when it connected; a contact's are read with one Query, strongly
 * consistent, so a connection whose {@code $connect} has returned is never missed. {@code pk =
 * SOCKET#{connectionId}}: what {@code $disconnect} needs to remove them (it knows only the id).
 * Each carries DynamoDB's TTL ({@code expiresAt}): API Gateway closes a connection after 2 hours at
 * most, so an item whose {@code $disconnect} never ran goes by itself; readers skip expired ones
 * because TTL deletion lags.
 */
public final class PanelSockets {
  private static final String SOCKET_SK = "SOCKET";

  private final DynamoDbClient dynamo;
  private final String table;

  public PanelSockets(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  static String socketsPk(String tenantId) {
    return Keys.tenantPk(tenantId) + "#SOCKETS";
  }

  static String connectionPk(String connectionId) {
    return "SOCKET#" + connectionId;
  }

  /** A connection listening to a contact, since {@code connectedAt}. */
  public record Listener(String contactId, String connectionId, Instant connectedAt) {}

  /**
   * Records a connection, made at {@code connectedAt}, listening to {@code contactIds} of the
   * tenant until {@code expires}.
   */
  public void open(
      String tenantId,
      String connectionId,
      Set<String> contactIds,
      Instant connectedAt,
      Instant expires) {
    AttributeValue ttl = AttributeValue.fromN(Long.toString(expires.getEpochSecond()));
    AttributeValue since = AttributeValue.fromN(Long.toString(connectedAt.toEpochMilli()));
    Map<String, AttributeValue> connection =
        Keys.item(
            connectionPk(connectionId),
            SOCKET_SK,
            Map.of("tenantId", ItemCodec.s(tenantId), "expiresAt", ttl));
    if (!contactIds.isEmpty()) {
      connection.put("contactIds", AttributeValue.fromSs(List.copyOf(contactIds)));
    }
    List<Map<String, AttributeValue>> items = new ArrayList<>();
    items.add(connection);
    for (String contactId : contactIds) {
      items.add(
          TenantItems.stamp(
              tenantId,
              Keys.item(
                  socketsPk(tenantId),
                  contactId + "#" + connectionId,
                  Map.of(
                      "connectionId",
                      ItemCodec.s(connectionId),
                      "connectedMs",
                      since,
                      "expiresAt",
                      ttl))));
    }
    // A record has at most RecordLinks.MAX_LINKS (10) contacts: 11 puts, one transaction.
    dynamo.transactWriteItems(
        r ->
            r.transactItems(
                items.stream()
                    .map(
                        i ->
                            TransactWriteItem.builder()
                                .put(p -> p.tableName(table).item(i))
                                .build())
                    .toList()));
  }

  /**
   * The connections listening to a contact now (expired ones skipped), with when each connected.
   */
  public List<Listener> listeners(String tenantId, String contactId, Instant now) {
    List<Listener> found = new ArrayList<>();
    Pages.forEachItem(
        dynamo,
        q ->
            q.tableName(table)
                // Strongly consistent: a change committed after a $connect returned must see it.
                .consistentRead(true)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :contact)")
                .expressionAttributeValues(
                    Map.of(
                        ":pk", ItemCodec.s(socketsPk(tenantId)),
                        ":contact", ItemCodec.s(contactId + "#"))),
        item -> {
          if (Long.parseLong(ItemCodec.attr(item, "expiresAt").n()) > now.getEpochSecond()) {
            AttributeValue since = item.get("connectedMs");
            found.add(
                new Listener(
                    contactId,
                    ItemCodec.requiredStr(item, "connectionId"),
                    since == null
                        ? Instant.EPOCH
                        : Instant.ofEpochMilli(Long.parseLong(since.n()))));
          }
        });
    return found;
  }

  /** The connections listening to a contact now (expired ones skipped). */
  public List<String> listening(String tenantId, String contactId, Instant now) {
    return listeners(tenantId, contactId, now).stream().map(Listener::connectionId).toList();
  }

  /** Forgets one contact's item of a connection API Gateway says is gone (410). */
  public void gone(String tenantId, String contactId, String connectionId) {
    dynamo.deleteItem(
        r -> r.tableName(table).key(Keys.key(socketsPk(tenantId), contactId + "#" + connectionId)));
  }

  /** Forgets a closed connection and every contact item of it; nothing when it is unknown. */
  public void close(String connectionId) {
    var response =
        dynamo.getItem(
            r -> r.tableName(table).key(Keys.key(connectionPk(connectionId), SOCKET_SK)));
    if (!response.hasItem() || response.item().isEmpty()) {
      return;
    }
    Map<String, AttributeValue> item = new HashMap<>(response.item());
    String tenantId = ItemCodec.requiredStr(item, "tenantId");
    AttributeValue contacts = item.get("contactIds");
    List<String> contactIds = contacts != null && contacts.hasSs() ? contacts.ss() : List.of();
    for (String contactId : contactIds) {
      gone(tenantId, contactId, connectionId);
    }
    dynamo.deleteItem(r -> r.tableName(table).key(Keys.key(connectionPk(connectionId), SOCKET_SK)));
  }
}

package dev.xerosync.store;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A SaaS tenant's event subscriptions: {@code SAAS#saasTenant / SUB#id}, beside its PROFILE and
 * connections, so one Query lists them and one GetItem finds one. No signing secret is stored: it
 * is derived from the deployment's key and the subscription's id (notify.WebhookSignature).
 */
public final class Subscriptions {
  static final String SK_PREFIX = "SUB#";

  /** Where events of {@code types} go. */
  public record Subscription(
      String saasTenantId, String id, List<String> types, String url, Instant createdAt) {
    public Subscription {
      types = List.copyOf(types);
    }
  }

  private final DynamoDbClient dynamo;
  private final String table;

  public Subscriptions(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  public void put(Subscription s) {
    dynamo.putItem(
        p ->
            p.tableName(table)
                .item(
                    Map.of(
                        "pk", s(Keys.saasPk(s.saasTenantId())),
                        "sk", s(SK_PREFIX + s.id()),
                        "saasTenantId", s(s.saasTenantId()),
                        "subscriptionId", s(s.id()),
                        "types",
                            AttributeValue.fromL(s.types().stream().map(Subscriptions::s).toList()),
                        "url", s(s.url()),
                        "createdAt", s(s.createdAt().toString()))));
  }

  public Optional<Subscription> get(String saasTenantId, String id) {
    var r =
        dynamo.getItem(
            g -> g.tableName(table).key(Keys.key(Keys.saasPk(saasTenantId), SK_PREFIX + id)));
    return r.hasItem() ? Optional.of(read(r.item())) : Optional.empty();
  }

  /** Oldest first (ids sort by creation time). */
  public List<Subscription> list(String saasTenantId) {
    List<Subscription> out = new ArrayList<>();
    Pages.forEachItem(
        dynamo,
        q ->
            q.tableName(table)
                .keyConditionExpression("pk = :pk AND begins_with(sk, :s)")
                .expressionAttributeValues(
                    Map.of(":pk", s(Keys.saasPk(saasTenantId)), ":s", s(SK_PREFIX))),
        i -> out.add(read(i)));
    return out;
  }

  /** True when it existed. */
  public boolean delete(String saasTenantId, String id) {
    var r =
        dynamo.deleteItem(
            d ->
                d.tableName(table)
                    .key(Keys.key(Keys.saasPk(saasTenantId), SK_PREFIX + id))
                    .returnValues(
                        software.amazon.awssdk.services.dynamodb.model.ReturnValue.ALL_OLD));
    return r.hasAttributes() && !r.attributes().isEmpty();
  }

  private static Subscription read(Map<String, AttributeValue> i) {
    return new Subscription(
        ItemCodec.requiredStr(i, "saasTenantId"),
        ItemCodec.requiredStr(i, "subscriptionId"),
        ItemCodec.attr(i, "types").l().stream().map(AttributeValue::s).toList(),
        ItemCodec.requiredStr(i, "url"),
        Instant.parse(ItemCodec.requiredStr(i, "createdAt")));
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }
}

package dev.xerosync.store;

import dev.xerosync.common.Problem;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * Connect flows in flight ({@code FLOW#id / FLOW}, gone by TTL a day later). Each step is claimed
 * with a conditional update, so a {@code state} or a choice works once: a replayed callback finds
 * its step already claimed. No token and no PKCE verifier is stored here.
 */
public final class ConnectFlows {
  /** A flow as the callback and the pick step need it. */
  public record Flow(
      String flowId,
      String saasTenantId,
      String requestedBy,
      String redirectUri,
      @Nullable String email,
      List<XeroTenantConnection> choices) {}

  /** One organisation offered in the pick step. */
  public record XeroTenantConnection(String connectionId, String tenantId, String tenantName) {}

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public ConnectFlows(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = dynamo;
    this.table = table;
    this.clock = clock;
  }

  public void start(
      String flowId,
      String saasTenantId,
      String requestedBy,
      String redirectUri,
      Instant expiresAt) {
    dynamo.putItem(
        r ->
            r.tableName(table)
                .item(
                    Keys.item(
                        Keys.flowPk(flowId),
                        "FLOW",
                        Map.of(
                            "saasTenantId",
                            s(saasTenantId),
                            "requestedBy",
                            s(requestedBy),
                            "redirectUri",
                            s(redirectUri),
                            "startedAt",
                            s(clock.instant().toString()),
                            "expiresAt",
                            AttributeValue.fromN(
                                Long.toString(expiresAt.getEpochSecond() + 86_400)))))
                .conditionExpression("attribute_not_exists(pk)"));
  }

  /** Claims the callback step; refused when the flow is unknown or its callback already ran. */
  public Flow claimCallback(String flowId) throws Problem {
    return claim(
        flowId,
        "callbackAt",
        "attribute_exists(pk) AND attribute_not_exists(callbackAt)",
        new HashMap<>(),
        item ->
            linkUsed(
                "This connect link was already used. Each link works once; start connecting again from your app."),
        linkUsed(UNKNOWN));
  }

  private static Problem linkUsed(String detail) {
    return new Problem(409, "Connect link already used", detail);
  }

  /** Records the organisations offered, and who consented, for the pick step. */
  public void awaitChoice(String flowId, String email, List<XeroTenantConnection> choices) {
    List<AttributeValue> list = new ArrayList<>();
    for (XeroTenantConnection c : choices) {
      list.add(
          AttributeValue.fromM(
              Map.of(
                  "connectionId",
                  s(c.connectionId()),
                  "tenantId",
                  s(c.tenantId()),
                  "tenantName",
                  s(c.tenantName()))));
    }
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":choices", AttributeValue.fromL(list));
    values.put(
        ":ids",
        AttributeValue.fromSs(choices.stream().map(XeroTenantConnection::tenantId).toList()));
    String set = "SET choices = :choices, choiceIds = :ids";
    if (email != null) {
      values.put(":email", s(email));
      set += ", email = :email";
    }
    String expression = set;
    dynamo.updateItem(
        r ->
            r.tableName(table)
                .key(key(flowId))
                .updateExpression(expression)
                .expressionAttributeValues(values));
  }

  /** Claims the pick step; refused when there is nothing to pick or a pick was already made. */
  public Flow claimChoice(String flowId, String tenantId) throws Problem {
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":t", s(tenantId));
    return claim(
        flowId,
        "chosenAt",
        "attribute_exists(choices) AND attribute_not_exists(chosenAt) AND contains(choiceIds, :t)",
        values,
        item ->
            item.containsKey("chosenAt")
                ? new Problem(
                    409,
                    "Choice refused",
                    "An organisation was already chosen for this connect flow. Start connecting again from your app to change it.")
                : new Problem(
                    400,
                    "Choice refused",
                    "Organisation "
                        + tenantId
                        + " is not one of those offered in this connect flow; pick one from the list."),
        new Problem(400, "Choice refused", UNKNOWN));
  }

  private static final String UNKNOWN =
      "This connect flow is unknown here (it was never started, or it is too old). Start connecting again from your app.";

  private Flow claim(
      String flowId,
      String step,
      String condition,
      Map<String, AttributeValue> values,
      java.util.function.Function<Map<String, AttributeValue>, Problem> refusal,
      Problem unknown)
      throws Problem {
    values.put(":now", s(clock.instant().toString()));
    UpdateItemResponse r;
    try {
      r =
          dynamo.updateItem(
              u ->
                  u.tableName(table)
                      .key(key(flowId))
                      .updateExpression("SET " + step + " = :now")
                      .conditionExpression(condition)
                      .expressionAttributeValues(values)
                      .returnValues(ReturnValue.ALL_NEW));
    } catch (ConditionalCheckFailedException e) {
      var existing = dynamo.getItem(g -> g.tableName(table).key(key(flowId)).consistentRead(true));
      throw existing.hasItem() ? refusal.apply(existing.item()) : unknown;
    }
    return fromItem(flowId, r.attributes());
  }

  private static Flow fromItem(String flowId, Map<String, AttributeValue> item) {
    List<XeroTenantConnection> choices = new ArrayList<>();
    if (item.containsKey("choices")) {
      for (AttributeValue v : ItemCodec.attr(item, "choices").l()) {
        Map<String, AttributeValue> m = v.m();
        choices.add(
            new XeroTenantConnection(
                ItemCodec.attr(m, "connectionId").s(),
                ItemCodec.attr(m, "tenantId").s(),
                ItemCodec.attr(m, "tenantName").s()));
      }
    }
    return new Flow(
        flowId,
        ItemCodec.attr(item, "saasTenantId").s(),
        ItemCodec.attr(item, "requestedBy").s(),
        ItemCodec.attr(item, "redirectUri").s(),
        item.containsKey("email") ? item.get("email").s() : null,
        choices);
  }

  private static Map<String, AttributeValue> key(String flowId) {
    return Keys.key(Keys.flowPk(flowId), Keys.FLOW_SK);
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }
}

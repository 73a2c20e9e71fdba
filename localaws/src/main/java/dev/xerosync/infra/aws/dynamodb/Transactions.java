package dev.xerosync.infra.aws.dynamodb;

import static dev.xerosync.infra.aws.dynamodb.Requests.condition;
import static dev.xerosync.infra.aws.dynamodb.Requests.expressions;
import static dev.xerosync.infra.aws.dynamodb.Requests.key;
import static dev.xerosync.infra.aws.dynamodb.Requests.keyItem;
import static dev.xerosync.infra.aws.dynamodb.Requests.onConditionFailure;
import static dev.xerosync.infra.aws.dynamodb.Requests.onePerItem;
import static dev.xerosync.infra.aws.dynamodb.Requests.projection;
import static dev.xerosync.infra.aws.dynamodb.Requests.requireKeysNotUpdated;
import static dev.xerosync.infra.aws.dynamodb.Requests.validateItem;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.aws.dynamodb.Expressions.Condition;
import dev.xerosync.infra.aws.dynamodb.Table.Key;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * TransactWriteItems and TransactGetItems: all or nothing under the write lock, cancellation
 * reasons per item, ClientRequestToken idempotency for ten minutes, and capacity doubled as the
 * Read/write capacity mode page prices transactional requests.
 */
final class Transactions {
  static final Duration TOKEN_WINDOW = Duration.ofMinutes(10);

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Tables tables;
  private final Clock clock;
  private final LinkedHashMap<String, Token> tokens = new LinkedHashMap<>();

  private record Token(String digest, Instant expires, ObjectNode response) {}

  Transactions(Tables tables, Clock clock) {
    this.tables = tables;
    this.clock = clock;
  }

  private record Action(
      String kind,
      Table table,
      Key key,
      Map<String, Value> keyItem,
      Map<String, Value> item,
      Expressions.Update update,
      Condition condition,
      boolean returnOld) {}

  ObjectNode transactWriteItems(JsonNode request) {
    var items = request.get("TransactItems");
    if (items == null || !items.isArray() || items.isEmpty() || items.size() > 100) {
      throw DynamoError.validation(
          "1 validation error detected: Value '"
              + (items == null ? "null" : "[" + items.size() + " items]")
              + "' at 'transactItems' failed to satisfy constraint: Member must have length less"
              + " than or equal to 100, Member must have length greater than or equal to 1");
    }
    var actions = new ArrayList<Action>();
    var seen = new HashSet<String>();
    for (var wrapper : items) {
      var kinds = new ArrayList<String>();
      wrapper.fieldNames().forEachRemaining(kinds::add);
      kinds.removeIf(k -> wrapper.get(k).isNull());
      if (kinds.size() != 1
          || !Set.of("ConditionCheck", "Put", "Delete", "Update").contains(kinds.getFirst())) {
        throw DynamoError.validation(
            "TransactItems can only contain one of Check, Put, Update or Delete");
      }
      var kind = kinds.getFirst();
      var spec = wrapper.get(kind);
      var table = tables.table(spec);
      var expressions = expressions(spec);
      Key key;
      Map<String, Value> keyItem = null;
      Map<String, Value> item = null;
      Expressions.Update update = null;
      if (kind.equals("Put")) {
        item = ValueJson.item(spec.get("Item"));
        validateItem(table, item, false);
        item = Map.copyOf(item);
        key = table.key(item);
      } else {
        key = key(table, spec.get("Key"));
        keyItem = keyItem(table, spec.get("Key"));
      }
      if (kind.equals("Update")) {
        if (!spec.hasNonNull("UpdateExpression")) {
          throw DynamoError.validation(
              "1 validation error detected: Value null at 'transactItems.member.update.updateExpression'"
                  + " failed to satisfy constraint: Member must not be null");
        }
        update = expressions.update(spec.get("UpdateExpression").asText());
        requireKeysNotUpdated(table, update);
      }
      var condition = condition(spec, "ConditionExpression", expressions);
      if (kind.equals("ConditionCheck") && condition == null) {
        throw DynamoError.validation(
            "1 validation error detected: Value null at"
                + " 'transactItems.member.conditionCheck.conditionExpression' failed to satisfy"
                + " constraint: Member must not be null");
      }
      expressions.requireAllUsed();
      onePerItem(seen, table, key);
      actions.add(
          new Action(kind, table, key, keyItem, item, update, condition, onConditionFailure(spec)));
    }
    var token = request.path("ClientRequestToken").asText(null);
    var digest = token == null ? null : digest(items.toString());
    return tables.writing(
        () -> {
          var now = clock.instant();
          if (token != null) {
            var previous = tokens.get(token);
            if (previous != null && previous.expires().isAfter(now)) {
              if (!previous.digest().equals(digest)) {
                throw new DynamoError(
                    "IdempotentParameterMismatchException",
                    "DynamoDB rejected the request because you retried a request with a different"
                        + " payload but with an idempotent token that was already used.");
              }
              return previous.response().deepCopy();
            }
          }
          var next = new ArrayList<Map<String, Value>>();
          var reasons = NODES.arrayNode();
          boolean cancelled = false;
          for (var action : actions) {
            var old = action.table().items.get(action.key());
            var reason = reasons.addObject();
            Map<String, Value> after = old;
            if (action.condition() != null
                && !Evaluation.test(old == null ? Map.of() : old, action.condition())) {
              reason.put("Code", "ConditionalCheckFailed");
              reason.put("Message", "The conditional request failed");
              if (action.returnOld() && old != null) {
                reason.set("Item", ValueJson.toJson(old));
              }
              cancelled = true;
            } else {
              try {
                after =
                    switch (action.kind()) {
                      case "Put" -> action.item();
                      case "Delete" -> null;
                      case "Update" -> {
                        var applied =
                            UpdateApplication.apply(
                                old != null ? old : action.keyItem(), action.update());
                        validateItem(action.table(), applied.item(), true);
                        yield Map.copyOf(applied.item());
                      }
                      default -> old;
                    };
                reason.put("Code", "None");
              } catch (DynamoError e) {
                reason.put("Code", "ValidationError");
                reason.put("Message", e.getMessage());
                cancelled = true;
              }
            }
            next.add(after);
          }
          if (cancelled) {
            var codes = new ArrayList<String>();
            reasons.forEach(r -> codes.add(r.get("Code").asText()));
            var extra = NODES.objectNode();
            extra.set("CancellationReasons", reasons);
            throw new DynamoError(
                400,
                "TransactionCanceledException",
                "Transaction cancelled, please refer cancellation reasons for specific reasons "
                    + codes,
                extra);
          }
          var capacity = new Capacity.Tally();
          for (int i = 0; i < actions.size(); i++) {
            var action = actions.get(i);
            var old = action.table().items.get(action.key());
            // Transactions cost double: a read and a write per item.
            if (action.kind().equals("ConditionCheck")) {
              capacity.add(
                  action.table().name,
                  2 * Table.readUnits(old == null ? 0 : Value.itemSize(old), true));
            } else if (old == null && next.get(i) == null) {
              capacity.add(action.table().name, 2);
            } else {
              var used = action.table().store(action.key(), old, next.get(i));
              capacity.add(action.table().name, 2 * used.table(), used.indexes());
            }
          }
          var reply = NODES.objectNode();
          capacity.report(reply, request);
          if (token != null) {
            tokens.remove(token);
            tokens.put(token, new Token(digest, now.plus(TOKEN_WINDOW), reply.deepCopy()));
          }
          return reply;
        });
  }

  ObjectNode transactGetItems(JsonNode request) {
    var items = request.get("TransactItems");
    if (items == null || !items.isArray() || items.isEmpty() || items.size() > 100) {
      throw DynamoError.validation(
          "1 validation error detected: Value at 'transactItems' failed to satisfy constraint:"
              + " Member must have length less than or equal to 100, Member must have length"
              + " greater than or equal to 1");
    }
    var reply = NODES.objectNode();
    var responses = reply.putArray("Responses");
    var capacity = new Capacity.Tally();
    var seen = new HashSet<String>();
    for (var wrapper : items) {
      var spec = wrapper.get("Get");
      if (spec == null) {
        throw DynamoError.validation("TransactItems can only contain Get");
      }
      var table = tables.table(spec);
      var key = key(table, spec.get("Key"));
      onePerItem(seen, table, key);
      var expressions = expressions(spec);
      var projection = projection(spec, expressions);
      expressions.requireAllUsed();
      var item = table.items.get(key);
      var entry = responses.addObject();
      if (item != null) {
        entry.set(
            "Item",
            ValueJson.toJson(projection == null ? item : Evaluation.project(item, projection)));
      }
      capacity.add(table.name, 2 * Table.readUnits(item == null ? 0 : Value.itemSize(item), true));
    }
    capacity.report(reply, request);
    return reply;
  }

  private static String digest(String text) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Forgets ClientRequestTokens past their ten minutes; called under the write lock. */
  void forgetExpiredTokens(Instant now) {
    tokens.values().removeIf(t -> t.expires().isBefore(now));
  }
}

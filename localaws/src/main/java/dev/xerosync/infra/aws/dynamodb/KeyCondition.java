package dev.xerosync.infra.aws.dynamodb;

import dev.xerosync.infra.aws.dynamodb.Expressions.Condition;
import dev.xerosync.infra.aws.dynamodb.Table.Attribute;
import dev.xerosync.infra.aws.dynamodb.Table.Bound;
import dev.xerosync.infra.aws.dynamodb.Table.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * A Query's KeyConditionExpression: the partition key's value, and the sort key's operator and
 * operands (op null when there is none), with the range of keys it selects.
 */
record KeyCondition(Value hash, String op, Value low, Value high) {

  /** The entries of {@code source} (a table's or an index's) whose keys this condition selects. */
  NavigableMap<Key, Map<String, Value>> select(NavigableMap<Key, Map<String, Value>> source) {
    Object lowSort = Bound.LOW;
    boolean lowInclusive = true;
    Object highSort = Bound.HIGH;
    boolean highInclusive = true;
    if (op != null) {
      switch (op) {
        case "=" -> {
          lowSort = low;
          highSort = low;
        }
        case "<" -> {
          highSort = low;
          highInclusive = false;
        }
        case "<=" -> highSort = low;
        case ">" -> {
          lowSort = low;
          lowInclusive = false;
        }
        case ">=" -> lowSort = low;
        case "BETWEEN" -> {
          lowSort = low;
          highSort = high;
        }
        case "begins_with" -> {
          lowSort = low;
          var successor = successor(low);
          if (successor != null) {
            highSort = successor;
            highInclusive = false;
          }
        }
        default -> throw new IllegalStateException(op);
      }
    }
    // Bounds on the sort value widen to cover every table key that shares it.
    Key from =
        new Key(
            hash,
            lowSort,
            lowInclusive ? Bound.LOW : Bound.HIGH,
            lowInclusive ? Bound.LOW : Bound.HIGH);
    Key to =
        new Key(
            hash,
            highSort,
            highInclusive ? Bound.HIGH : Bound.LOW,
            highInclusive ? Bound.HIGH : Bound.LOW);
    if (Table.ORDER.compare(from, to) > 0) {
      return new TreeMap<>();
    }
    return source.subMap(from, true, to, true);
  }

  /** The smallest value above every value that starts with the prefix, or null if none. */
  static Value successor(Value prefix) {
    if (prefix instanceof Value.S s) {
      var codePoints = s.value().codePoints().toArray();
      for (int i = codePoints.length - 1; i >= 0; i--) {
        if (codePoints[i] < Character.MAX_CODE_POINT) {
          int cp = codePoints[i] + 1;
          if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
            cp = Character.MAX_SURROGATE + 1;
          }
          var b = new StringBuilder();
          for (int j = 0; j < i; j++) {
            b.appendCodePoint(codePoints[j]);
          }
          return new Value.S(b.appendCodePoint(cp).toString());
        }
      }
      return null;
    }
    var bytes = ((Value.B) prefix).bytes();
    for (int i = bytes.length - 1; i >= 0; i--) {
      if ((bytes[i] & 0xff) != 0xff) {
        var copy = Arrays.copyOf(bytes, i + 1);
        copy[i]++;
        return new Value.B(copy);
      }
    }
    return null;
  }

  /**
   * The key condition of a Query against a table or index keyed by {@code hash} and {@code range}:
   * one equality on the partition key and at most one comparison, BETWEEN or begins_with on the
   * sort key, typed as the schema declares.
   */
  static KeyCondition parse(Condition c, Attribute hash, Attribute range) {
    var parts = new ArrayList<Condition>();
    flattenAnd(c, parts);
    if (parts.size() > 2) {
      throw DynamoError.validation(
          "KeyConditionExpressions must only contain one condition per key");
    }
    Value hashValue = null;
    KeyCondition sort = null;
    for (var part : parts) {
      String attribute;
      switch (part) {
        case Expressions.Compare cmp -> {
          attribute = keyAttribute(cmp.left());
          var value = keyValue(cmp.right());
          if (attribute.equals(hash.name())) {
            if (!cmp.op().equals("=")) {
              throw DynamoError.validation("Query key condition not supported");
            }
            if (hashValue != null) {
              throw DynamoError.validation(
                  "KeyConditionExpressions must only contain one condition per key");
            }
            hashValue = typed(value, hash);
            continue;
          }
          if (cmp.op().equals("<>")) {
            throw DynamoError.validation(
                "Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression:"
                    + " <>");
          }
          sort = new KeyCondition(null, cmp.op(), value, null);
        }
        case Expressions.Between b -> {
          attribute = keyAttribute(b.subject());
          sort = new KeyCondition(null, "BETWEEN", keyValue(b.low()), keyValue(b.high()));
        }
        case Expressions.Function f when f.name().equals("begins_with") -> {
          attribute = keyAttribute(f.args().getFirst());
          var prefix = keyValue(f.args().get(1));
          sort = new KeyCondition(null, "begins_with", prefix, null);
        }
        case Expressions.Or o ->
            throw DynamoError.validation("Invalid operator used in KeyConditionExpression: OR");
        case Expressions.Not n ->
            throw DynamoError.validation("Invalid operator used in KeyConditionExpression: NOT");
        case Expressions.In in ->
            throw DynamoError.validation("Invalid operator used in KeyConditionExpression: IN");
        case Expressions.Function f ->
            throw DynamoError.validation(
                "Invalid operator used in KeyConditionExpression: " + f.name());
        default -> throw DynamoError.validation("Query key condition not supported");
      }
      if (range == null || !attribute.equals(range.name())) {
        throw DynamoError.validation(
            "Query condition missed key schema element: "
                + (range == null ? hash.name() : range.name()));
      }
      if (sort.op().equals("begins_with") && range.type().equals("N")) {
        throw DynamoError.validation(
            "Invalid KeyConditionExpression: Incorrect operand type for operator or function;"
                + " operator or function: begins_with, operand type: NUMBER");
      }
      typed(sort.low(), range);
      if (sort.high() != null) {
        typed(sort.high(), range);
      }
    }
    if (hashValue == null) {
      throw DynamoError.validation("Query condition missed key schema element: " + hash.name());
    }
    return sort == null
        ? new KeyCondition(hashValue, null, null, null)
        : new KeyCondition(hashValue, sort.op(), sort.low(), sort.high());
  }

  private static void flattenAnd(Condition c, List<Condition> into) {
    if (c instanceof Expressions.And and) {
      flattenAnd(and.left(), into);
      flattenAnd(and.right(), into);
    } else {
      into.add(c);
    }
  }

  private static String keyAttribute(Expressions.Operand operand) {
    if (operand instanceof Expressions.PathOperand p && p.path().isTop()) {
      return p.path().top();
    }
    throw DynamoError.validation("Query key condition not supported");
  }

  private static Value keyValue(Expressions.Operand operand) {
    if (operand instanceof Expressions.Literal l) {
      return l.value();
    }
    throw DynamoError.validation("Query key condition not supported");
  }

  private static Value typed(Value value, Attribute attribute) {
    if (!value.type().equals(attribute.type())) {
      throw DynamoError.invalidParameter("Condition parameter type does not match schema type");
    }
    return value;
  }
}

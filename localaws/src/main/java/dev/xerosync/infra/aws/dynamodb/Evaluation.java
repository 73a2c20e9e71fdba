package dev.xerosync.infra.aws.dynamodb;

import dev.xerosync.infra.aws.dynamodb.Expressions.And;
import dev.xerosync.infra.aws.dynamodb.Expressions.Arithmetic;
import dev.xerosync.infra.aws.dynamodb.Expressions.Between;
import dev.xerosync.infra.aws.dynamodb.Expressions.Compare;
import dev.xerosync.infra.aws.dynamodb.Expressions.Condition;
import dev.xerosync.infra.aws.dynamodb.Expressions.Function;
import dev.xerosync.infra.aws.dynamodb.Expressions.IfNotExists;
import dev.xerosync.infra.aws.dynamodb.Expressions.In;
import dev.xerosync.infra.aws.dynamodb.Expressions.ListAppend;
import dev.xerosync.infra.aws.dynamodb.Expressions.Literal;
import dev.xerosync.infra.aws.dynamodb.Expressions.Not;
import dev.xerosync.infra.aws.dynamodb.Expressions.Operand;
import dev.xerosync.infra.aws.dynamodb.Expressions.Or;
import dev.xerosync.infra.aws.dynamodb.Expressions.Path;
import dev.xerosync.infra.aws.dynamodb.Expressions.PathOperand;
import dev.xerosync.infra.aws.dynamodb.Expressions.Size;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a parsed expression means for one item: the value at a path, an operand's value, whether a
 * condition holds, and the attributes a projection keeps.
 */
final class Evaluation {
  private Evaluation() {}

  /** The value at a path in an item, or null if there is none. */
  static Value resolve(Map<String, Value> item, Path path) {
    Value current = item.get(path.top());
    for (int i = 1; i < path.elements().size() && current != null; i++) {
      var element = path.elements().get(i);
      if (element instanceof String name) {
        current = current instanceof Value.M m ? m.values().get(name) : null;
      } else {
        int index = (Integer) element;
        current =
            current instanceof Value.L l && index < l.values().size()
                ? l.values().get(index)
                : null;
      }
    }
    return current;
  }

  static Value operand(Map<String, Value> item, Operand operand) {
    return switch (operand) {
      case Literal l -> l.value();
      case PathOperand p -> resolve(item, p.path());
      case Size s -> size(resolve(item, s.path()));
      case IfNotExists i -> {
        var existing = resolve(item, i.path());
        yield existing != null ? existing : operand(item, i.fallback());
      }
      case ListAppend a -> {
        var first = operand(item, a.first());
        var second = operand(item, a.second());
        if (!(first instanceof Value.L x) || !(second instanceof Value.L y)) {
          throw DynamoError.validation(
              "An operand in the update expression has an incorrect data type");
        }
        var joined = new ArrayList<>(x.values());
        joined.addAll(y.values());
        yield new Value.L(joined);
      }
      case Arithmetic a -> {
        var left = operand(item, a.left());
        var right = operand(item, a.right());
        if (left == null || right == null) {
          throw DynamoError.validation(
              "The provided expression refers to an attribute that does not exist in the item");
        }
        if (!(left instanceof Value.N x) || !(right instanceof Value.N y)) {
          throw DynamoError.validation(
              "An operand in the update expression has an incorrect data type");
        }
        yield Value.arithmetic(x.value(), y.value(), a.plus());
      }
    };
  }

  private static Value size(Value v) {
    long size =
        switch (v) {
          case null -> -1;
          case Value.S s -> s.value().codePointCount(0, s.value().length());
          case Value.B b -> b.length();
          case Value.SS s -> s.values().size();
          case Value.NS s -> s.values().size();
          case Value.BS s -> s.values().size();
          case Value.L l -> l.values().size();
          case Value.M m -> m.values().size();
          default -> -1;
        };
    return size < 0 ? null : new Value.N(BigDecimal.valueOf(size));
  }

  static boolean test(Map<String, Value> item, Condition condition) {
    return switch (condition) {
      case And a -> test(item, a.left()) && test(item, a.right());
      case Or o -> test(item, o.left()) || test(item, o.right());
      case Not n -> !test(item, n.inner());
      case Compare c -> compare(c.op(), operand(item, c.left()), operand(item, c.right()));
      case Between b -> {
        var subject = operand(item, b.subject());
        var low = operand(item, b.low());
        var high = operand(item, b.high());
        if (subject == null || low == null || high == null) {
          yield false;
        }
        var fromLow = Value.compare(subject, low);
        var toHigh = Value.compare(subject, high);
        yield fromLow != null && toHigh != null && fromLow >= 0 && toHigh <= 0;
      }
      case In in -> {
        var subject = operand(item, in.subject());
        if (subject == null) {
          yield false;
        }
        for (var candidate : in.candidates()) {
          if (subject.equals(operand(item, candidate))) {
            yield true;
          }
        }
        yield false;
      }
      case Function f -> function(item, f);
    };
  }

  private static boolean compare(String op, Value left, Value right) {
    if (left == null || right == null) {
      // A missing attribute equals nothing, so it is "not equal" to everything.
      return op.equals("<>");
    }
    return switch (op) {
      case "=" -> left.equals(right);
      case "<>" -> !left.equals(right);
      default -> {
        var order = Value.compare(left, right);
        if (order == null) {
          yield false;
        }
        yield switch (op) {
          case "<" -> order < 0;
          case "<=" -> order <= 0;
          case ">" -> order > 0;
          default -> order >= 0;
        };
      }
    };
  }

  private static boolean function(Map<String, Value> item, Function f) {
    var subject = operand(item, f.args().getFirst());
    return switch (f.name()) {
      case "attribute_exists" -> subject != null;
      case "attribute_not_exists" -> subject == null;
      case "attribute_type" ->
          subject != null
              && subject.type().equals(((Value.S) operand(item, f.args().get(1))).value());
      case "begins_with" -> {
        var prefix = operand(item, f.args().get(1));
        if (subject instanceof Value.S s && prefix instanceof Value.S p) {
          yield s.value().startsWith(p.value());
        }
        if (subject instanceof Value.B b && prefix instanceof Value.B p) {
          yield b.startsWith(p);
        }
        yield false;
      }
      case "contains" -> {
        var part = operand(item, f.args().get(1));
        if (subject == null || part == null) {
          yield false;
        }
        yield switch (subject) {
          case Value.S s -> part instanceof Value.S p && s.value().contains(p.value());
          case Value.B b -> part instanceof Value.B p && b.containsBytes(p);
          case Value.SS s -> part instanceof Value.S p && s.values().contains(p.value());
          case Value.NS s -> part instanceof Value.N p && s.values().contains(p.value());
          case Value.BS s -> part instanceof Value.B p && s.values().contains(p);
          case Value.L l -> l.values().contains(part);
          default -> false;
        };
      }
      default -> throw new IllegalStateException(f.name());
    };
  }

  static Map<String, Value> project(Map<String, Value> item, List<Path> paths) {
    var result = new LinkedHashMap<String, Value>();
    for (var path : paths) {
      var value = resolve(item, path);
      if (value == null) {
        continue;
      }
      if (path.isTop()) {
        result.put(path.top(), value);
      } else {
        result.put(path.top(), merge(result.get(path.top()), path.elements(), 1, value));
      }
    }
    return result;
  }

  /** Builds the nested shape of a projected path; list elements keep their relative order. */
  private static Value merge(Value into, List<Object> elements, int at, Value value) {
    if (at == elements.size()) {
      return value;
    }
    var element = elements.get(at);
    if (element instanceof String name) {
      var copy = new LinkedHashMap<String, Value>();
      if (into instanceof Value.M m) {
        copy.putAll(m.values());
      }
      copy.put(name, merge(copy.get(name), elements, at + 1, value));
      return new Value.M(copy);
    }
    var copy = new ArrayList<Value>();
    if (into instanceof Value.L l) {
      copy.addAll(l.values());
    }
    copy.add(merge(null, elements, at + 1, value));
    return new Value.L(copy);
  }
}

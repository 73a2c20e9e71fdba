package dev.xerosync.infra.aws.dynamodb;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * DynamoDB's expression language: condition and filter expressions, key conditions, update
 * expressions and projections, parsed with the request's ExpressionAttributeNames and
 * ExpressionAttributeValues, which must all be used (Expressions: "Specifying item attributes when
 * using expressions" and "Expression attribute names").
 *
 * <p>This class holds one request's placeholders and the parsed forms (the tree below); {@link
 * ExpressionParser} reads the text, {@link Evaluation} tests conditions and projects items, and
 * {@link UpdateApplication} applies updates.
 */
final class Expressions {

  private final Map<String, String> names;
  private final Map<String, Value> values;
  private final Set<String> usedNames = new HashSet<>();
  private final Set<String> usedValues = new HashSet<>();

  Expressions(Map<String, String> names, Map<String, Value> values) {
    this.names = names == null ? Map.of() : names;
    this.values = values == null ? Map.of() : values;
  }

  /** After every expression of the request is parsed: names or values it did not use are errors. */
  void requireAllUsed() {
    var unusedNames = new TreeSet<>(names.keySet());
    unusedNames.removeAll(usedNames);
    if (!unusedNames.isEmpty()) {
      throw DynamoError.validation(
          "Value provided in ExpressionAttributeNames unused in expressions: keys: {"
              + String.join(", ", unusedNames)
              + "}");
    }
    var unusedValues = new TreeSet<>(values.keySet());
    unusedValues.removeAll(usedValues);
    if (!unusedValues.isEmpty()) {
      throw DynamoError.validation(
          "Value provided in ExpressionAttributeValues unused in expressions: keys: {"
              + String.join(", ", unusedValues)
              + "}");
    }
  }

  // ================================================================ AST

  /** A document path: top-level name, then names (String) and list indexes (Integer). */
  record Path(List<Object> elements) {
    String top() {
      return (String) elements.getFirst();
    }

    boolean isTop() {
      return elements.size() == 1;
    }

    @Override
    public String toString() {
      var b = new StringBuilder("[");
      for (int i = 0; i < elements.size(); i++) {
        if (i > 0) {
          b.append(", ");
        }
        b.append(elements.get(i));
      }
      return b.append("]").toString();
    }
  }

  sealed interface Operand {}

  record PathOperand(Path path) implements Operand {}

  record Literal(Value value) implements Operand {}

  record Size(Path path) implements Operand {}

  record IfNotExists(Path path, Operand fallback) implements Operand {}

  record ListAppend(Operand first, Operand second) implements Operand {}

  record Arithmetic(Operand left, boolean plus, Operand right) implements Operand {}

  sealed interface Condition {}

  record Compare(String op, Operand left, Operand right) implements Condition {}

  record Between(Operand subject, Operand low, Operand high) implements Condition {}

  record In(Operand subject, List<Operand> candidates) implements Condition {}

  record And(Condition left, Condition right) implements Condition {}

  record Or(Condition left, Condition right) implements Condition {}

  record Not(Condition inner) implements Condition {}

  record Function(String name, List<Operand> args) implements Condition {}

  // ================================================================ parsing

  Condition condition(String expression, String kind) {
    var p = new ExpressionParser(this, expression, kind);
    var c = p.or();
    p.end();
    return c;
  }

  List<Path> projection(String expression) {
    var p = new ExpressionParser(this, expression, "ProjectionExpression");
    var paths = new ArrayList<Path>();
    do {
      paths.add(p.path());
    } while (p.accept(","));
    p.end();
    for (int i = 0; i < paths.size(); i++) {
      for (int j = i + 1; j < paths.size(); j++) {
        overlap("ProjectionExpression", paths.get(i), paths.get(j));
      }
    }
    return paths;
  }

  /** SET, REMOVE, ADD and DELETE actions of an update expression. */
  record Update(
      Map<Path, Operand> set, List<Path> remove, Map<Path, Value> add, Map<Path, Value> delete) {
    List<Path> paths() {
      var all = new ArrayList<Path>(set.keySet());
      all.addAll(remove);
      all.addAll(add.keySet());
      all.addAll(delete.keySet());
      return all;
    }
  }

  Update update(String expression) {
    var kind = "UpdateExpression";
    var p = new ExpressionParser(this, expression, kind);
    var set = new LinkedHashMap<Path, Operand>();
    var remove = new ArrayList<Path>();
    var add = new LinkedHashMap<Path, Value>();
    var delete = new LinkedHashMap<Path, Value>();
    var seen = new HashSet<String>();
    if (p.atEnd()) {
      throw p.syntax();
    }
    while (!p.atEnd()) {
      var clause = p.keyword();
      if (clause == null) {
        throw p.syntax();
      }
      if (!seen.add(clause)) {
        throw DynamoError.validation(
            "Invalid UpdateExpression: The \""
                + clause
                + "\" section can only be used once in an update expression;");
      }
      switch (clause) {
        case "SET" -> {
          do {
            var path = p.path();
            p.expect("=");
            set.put(path, p.setValue());
          } while (p.accept(","));
        }
        case "REMOVE" -> {
          do {
            remove.add(p.path());
          } while (p.accept(","));
        }
        case "ADD", "DELETE" -> {
          do {
            var path = p.path();
            var operand = p.operand();
            if (!(operand instanceof Literal literal)) {
              throw p.syntax();
            }
            var value = literal.value();
            if (clause.equals("ADD")) {
              if (!(value instanceof Value.N
                  || value instanceof Value.SS
                  || value instanceof Value.NS
                  || value instanceof Value.BS)) {
                throw incorrectOperand(kind, "ADD", value);
              }
              add.put(path, value);
            } else {
              if (!(value instanceof Value.SS
                  || value instanceof Value.NS
                  || value instanceof Value.BS)) {
                throw incorrectOperand(kind, "DELETE", value);
              }
              delete.put(path, value);
            }
          } while (p.accept(","));
        }
        default -> throw p.syntax();
      }
    }
    var update = new Update(set, remove, add, delete);
    var paths = update.paths();
    for (int i = 0; i < paths.size(); i++) {
      for (int j = i + 1; j < paths.size(); j++) {
        overlap(kind, paths.get(i), paths.get(j));
      }
    }
    return update;
  }

  private static void overlap(String kind, Path a, Path b) {
    int n = Math.min(a.elements().size(), b.elements().size());
    for (int i = 0; i < n; i++) {
      var x = a.elements().get(i);
      var y = b.elements().get(i);
      if (!x.equals(y)) {
        if (x.getClass() != y.getClass()) {
          throw DynamoError.validation(
              "Invalid "
                  + kind
                  + ": Two document paths conflict with each other; must remove or rewrite one of"
                  + " these paths; path one: "
                  + a
                  + ", path two: "
                  + b);
        }
        return;
      }
    }
    throw DynamoError.validation(
        "Invalid "
            + kind
            + ": Two document paths overlap with each other; must remove or rewrite one of these"
            + " paths; path one: "
            + a
            + ", path two: "
            + b);
  }

  private static DynamoError incorrectOperand(String kind, String operator, Value value) {
    return DynamoError.validation(
        "Invalid "
            + kind
            + ": Incorrect operand type for operator or function; operator: "
            + operator
            + ", operand type: "
            + typeName(value));
  }

  private static String typeName(Value value) {
    return switch (value) {
      case Value.S s -> "STRING";
      case Value.N n -> "NUMBER";
      case Value.B b -> "BINARY";
      case Value.SS s -> "STRING_SET";
      case Value.NS s -> "NUMBER_SET";
      case Value.BS s -> "BINARY_SET";
      case Value.M m -> "MAP";
      case Value.L l -> "LIST";
      case Value.Bool b -> "BOOLEAN";
      case Value.Null n -> "NULL";
    };
  }

  /** The attribute name a #placeholder stands for (and now used), or null when none is defined. */
  String attributeName(String placeholder) {
    var resolved = names.get(placeholder);
    if (resolved != null) {
      usedNames.add(placeholder);
    }
    return resolved;
  }

  /** The value a :placeholder stands for (and now used), or null when none is defined. */
  Value attributeValue(String placeholder) {
    var value = values.get(placeholder);
    if (value != null) {
      usedValues.add(placeholder);
    }
    return value;
  }
}

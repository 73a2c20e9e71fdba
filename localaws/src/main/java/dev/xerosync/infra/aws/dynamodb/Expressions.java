package dev.xerosync.infra.aws.dynamodb;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * DynamoDB's expression language: condition and filter expressions, key conditions, update
 * expressions and projections, parsed with the request's ExpressionAttributeNames and
 * ExpressionAttributeValues, which must all be used (Expressions: "Specifying item attributes when
 * using expressions" and "Expression attribute names").
 */
final class Expressions {

  private static final Set<String> RESERVED = reservedWords();

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
    var p = new Parser(expression, kind);
    var c = p.or();
    p.end();
    return c;
  }

  List<Path> projection(String expression) {
    var p = new Parser(expression, "ProjectionExpression");
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
    var p = new Parser(expression, kind);
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

  private final class Parser {
    private final String text;
    private final String kind;
    private final List<String> tokens = new ArrayList<>();
    private int at;

    Parser(String text, String kind) {
      this.text = text;
      this.kind = kind;
      tokenize();
    }

    private void tokenize() {
      int i = 0;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
        } else if (Character.isLetterOrDigit(c) || c == '_' || c == '#' || c == ':') {
          int j = i + 1;
          while (j < text.length()
              && (Character.isLetterOrDigit(text.charAt(j)) || text.charAt(j) == '_')) {
            j++;
          }
          tokens.add(text.substring(i, j));
          i = j;
        } else if (c == '<' && i + 1 < text.length() && text.charAt(i + 1) == '>') {
          tokens.add("<>");
          i += 2;
        } else if ((c == '<' || c == '>') && i + 1 < text.length() && text.charAt(i + 1) == '=') {
          tokens.add(c + "=");
          i += 2;
        } else if ("=<>(),.[]+-".indexOf(c) >= 0) {
          tokens.add(String.valueOf(c));
          i++;
        } else {
          throw DynamoError.validation(
              "Invalid " + kind + ": Invalid token: \"" + c + "\", near: \"" + near(i) + "\"");
        }
      }
      if (tokens.isEmpty()) {
        throw DynamoError.validation("Invalid " + kind + ": The expression can not be empty;");
      }
    }

    private String near(int index) {
      return text.substring(Math.max(0, index - 4), Math.min(text.length(), index + 4)).trim();
    }

    boolean atEnd() {
      return at >= tokens.size();
    }

    String peek() {
      return atEnd() ? null : tokens.get(at);
    }

    boolean peekIs(String token) {
      return !atEnd() && tokens.get(at).equalsIgnoreCase(token);
    }

    boolean accept(String token) {
      if (peekIs(token)) {
        at++;
        return true;
      }
      return false;
    }

    void expect(String token) {
      if (!accept(token)) {
        throw syntax();
      }
    }

    void end() {
      if (!atEnd()) {
        throw syntax();
      }
    }

    String keyword() {
      var t = peek();
      if (t == null) {
        return null;
      }
      var upper = t.toUpperCase(Locale.ROOT);
      if (Set.of("SET", "REMOVE", "ADD", "DELETE").contains(upper)) {
        at++;
        return upper;
      }
      return null;
    }

    DynamoError syntax() {
      if (atEnd()) {
        return DynamoError.validation(
            "Invalid "
                + kind
                + ": Syntax error; token: \"<EOF>\", near: \""
                + (tokens.isEmpty() ? "" : tokens.getLast())
                + "\"");
      }
      var near = new StringBuilder();
      for (int i = Math.max(0, at - 1); i <= Math.min(tokens.size() - 1, at + 1); i++) {
        near.append(tokens.get(i));
        if (i < Math.min(tokens.size() - 1, at + 1)) {
          near.append(' ');
        }
      }
      return DynamoError.validation(
          "Invalid "
              + kind
              + ": Syntax error; token: \""
              + tokens.get(at)
              + "\", near: \""
              + near
              + "\"");
    }

    Condition or() {
      var left = and();
      while (accept("OR")) {
        left = new Or(left, and());
      }
      return left;
    }

    Condition and() {
      var left = not();
      while (accept("AND")) {
        left = new And(left, not());
      }
      return left;
    }

    Condition not() {
      if (accept("NOT")) {
        return new Not(not());
      }
      return primary();
    }

    Condition primary() {
      if (accept("(")) {
        var inner = or();
        expect(")");
        return inner;
      }
      var t = peek();
      if (t != null && at + 1 < tokens.size() && tokens.get(at + 1).equals("(")) {
        var name = t.toLowerCase(Locale.ROOT);
        if (Set.of(
                "attribute_exists",
                "attribute_not_exists",
                "attribute_type",
                "begins_with",
                "contains")
            .contains(t)) {
          at += 2;
          var args = new ArrayList<Operand>();
          if (!peekIs(")")) {
            do {
              args.add(operand());
            } while (accept(","));
          }
          expect(")");
          return function(t, args);
        }
        if (!name.equals("size") && Character.isLetter(t.charAt(0))) {
          throw DynamoError.validation(
              "Invalid " + kind + ": Invalid function name; function: " + t);
        }
      }
      var left = operand();
      if (accept("BETWEEN")) {
        var low = operand();
        expect("AND");
        var high = operand();
        if (low instanceof Literal l && high instanceof Literal h) {
          var order = Value.compare(l.value(), h.value());
          if (order != null && order > 0) {
            throw DynamoError.validation(
                "Invalid "
                    + kind
                    + ": The BETWEEN operator requires upper bound to be greater than or equal to"
                    + " lower bound; lower bound operand: AttributeValue: "
                    + Value.describe(l.value())
                    + ", upper bound operand: AttributeValue: "
                    + Value.describe(h.value()));
          }
        }
        return new Between(left, low, high);
      }
      if (accept("IN")) {
        expect("(");
        var candidates = new ArrayList<Operand>();
        do {
          candidates.add(operand());
        } while (accept(","));
        expect(")");
        if (candidates.size() > 100) {
          throw DynamoError.validation(
              "Invalid "
                  + kind
                  + ": The IN operator is provided with too many operands; number of operands: "
                  + candidates.size());
        }
        return new In(left, candidates);
      }
      var op = peek();
      if (op != null && Set.of("=", "<>", "<", "<=", ">", ">=").contains(op)) {
        at++;
        return new Compare(op, left, operand());
      }
      throw syntax();
    }

    private Condition function(String name, List<Operand> args) {
      int arity =
          switch (name) {
            case "attribute_exists", "attribute_not_exists" -> 1;
            default -> 2;
          };
      if (args.size() != arity) {
        throw DynamoError.validation(
            "Invalid "
                + kind
                + ": Incorrect number of operands for operator or function; operator or function: "
                + name
                + ", number of operands: "
                + args.size());
      }
      if (!(args.getFirst() instanceof PathOperand)) {
        throw DynamoError.validation(
            "Invalid "
                + kind
                + ": Operator or function requires a document path; operator or function: "
                + name);
      }
      if (name.equals("attribute_type")) {
        if (!(args.get(1) instanceof Literal literal && literal.value() instanceof Value.S s)) {
          throw DynamoError.validation(
              "Invalid "
                  + kind
                  + ": Incorrect operand type for operator or function; operator or function: "
                  + name
                  + ", operand type: "
                  + (args.get(1) instanceof Literal l ? l.value().type() : "PATH"));
        }
        if (!Set.of("S", "N", "B", "SS", "NS", "BS", "M", "L", "BOOL", "NULL")
            .contains(s.value())) {
          throw DynamoError.validation(
              "Invalid "
                  + kind
                  + ": Invalid attribute type name found; type: "
                  + s.value()
                  + ", valid types: { S,SS,N,NS,B,BS,BOOL,NULL,L,M }");
        }
      }
      if (name.equals("begins_with")
          && args.get(1) instanceof Literal literal
          && !(literal.value() instanceof Value.S || literal.value() instanceof Value.B)) {
        throw DynamoError.validation(
            "Invalid "
                + kind
                + ": Incorrect operand type for operator or function; operator or function: "
                + name
                + ", operand type: "
                + literal.value().type());
      }
      return new Function(name, List.copyOf(args));
    }

    Operand operand() {
      var t = peek();
      if (t == null) {
        throw syntax();
      }
      if (t.startsWith(":")) {
        at++;
        return new Literal(value(t));
      }
      if (t.equals("size") && at + 1 < tokens.size() && tokens.get(at + 1).equals("(")) {
        at += 2;
        var inner = operand();
        expect(")");
        if (!(inner instanceof PathOperand path)) {
          throw DynamoError.validation(
              "Invalid "
                  + kind
                  + ": Incorrect operand type for operator or function; operator or function: size,"
                  + " operand type: "
                  + (inner instanceof Literal l ? l.value().type() : "PATH"));
        }
        return new Size(path.path());
      }
      return new PathOperand(path());
    }

    /** The right side of a SET action: an operand, or two joined by + or -. */
    Operand setValue() {
      var left = setOperand();
      if (accept("+")) {
        return new Arithmetic(left, true, setOperand());
      }
      if (accept("-")) {
        return new Arithmetic(left, false, setOperand());
      }
      return left;
    }

    private Operand setOperand() {
      var t = peek();
      if (t != null && at + 1 < tokens.size() && tokens.get(at + 1).equals("(")) {
        if (t.equals("if_not_exists")) {
          at += 2;
          var path = path();
          expect(",");
          var fallback = setValue();
          expect(")");
          return new IfNotExists(path, fallback);
        }
        if (t.equals("list_append")) {
          at += 2;
          var first = setValue();
          expect(",");
          var second = setValue();
          expect(")");
          return new ListAppend(first, second);
        }
        throw DynamoError.validation("Invalid " + kind + ": Invalid function name; function: " + t);
      }
      var operand = operand();
      if (operand instanceof Size) {
        throw DynamoError.validation(
            "Invalid "
                + kind
                + ": The function is not allowed in an update expression; function: size");
      }
      return operand;
    }

    Path path() {
      var elements = new ArrayList<Object>();
      elements.add(name(peek()));
      at++;
      while (true) {
        if (accept(".")) {
          elements.add(name(peek()));
          at++;
        } else if (accept("[")) {
          var index = peek();
          if (index == null || !index.chars().allMatch(Character::isDigit)) {
            throw syntax();
          }
          at++;
          expect("]");
          elements.add(Integer.parseInt(index));
        } else {
          return new Path(List.copyOf(elements));
        }
      }
    }

    private String name(String t) {
      if (t == null) {
        throw syntax();
      }
      if (t.startsWith("#")) {
        var resolved = names.get(t);
        if (resolved == null) {
          throw DynamoError.validation(
              "Invalid "
                  + kind
                  + ": An expression attribute name used in the document path is not defined;"
                  + " attribute name: "
                  + t);
        }
        usedNames.add(t);
        return resolved;
      }
      if (t.startsWith(":") || !Character.isLetter(t.charAt(0))) {
        throw syntax();
      }
      if (RESERVED.contains(t.toUpperCase(Locale.ROOT))) {
        throw DynamoError.validation(
            "Invalid " + kind + ": Attribute name is a reserved keyword; reserved keyword: " + t);
      }
      return t;
    }

    private Value value(String t) {
      var v = values.get(t);
      if (v == null) {
        throw DynamoError.validation(
            "Invalid "
                + kind
                + ": An expression attribute value used in expression is not defined; attribute"
                + " value: "
                + t);
      }
      usedValues.add(t);
      return v;
    }
  }

  // ================================================================ evaluation

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

  // ================================================================ update application

  /** The item after the update, and the top-level attributes the update touched. */
  record Applied(Map<String, Value> item, Set<String> touched) {}

  static Applied apply(Map<String, Value> original, Update update) {
    // Every right-hand side reads the item as it was before this update.
    var setValues = new LinkedHashMap<Path, Value>();
    update.set().forEach((path, operand) -> setValues.put(path, operand(original, operand)));
    var item = new LinkedHashMap<>(original);
    var touched = new LinkedHashSet<String>();
    for (var e : setValues.entrySet()) {
      if (e.getValue() == null) {
        throw DynamoError.validation(
            "The provided expression refers to an attribute that does not exist in the item");
      }
      put(item, e.getKey(), e.getValue());
      touched.add(e.getKey().top());
    }
    // Removals from one list use the original indexes, so the highest go first.
    var removals = new ArrayList<>(update.remove());
    removals.sort(
        Comparator.comparing((Path p) -> p.elements().getLast() instanceof Integer i ? i : -1)
            .reversed());
    for (var path : removals) {
      remove(item, path);
      touched.add(path.top());
    }
    for (var e : update.add().entrySet()) {
      var path = e.getKey();
      var current = resolve(item, path);
      var addend = e.getValue();
      Value result;
      if (current == null) {
        result = addend;
      } else if (current instanceof Value.N n && addend instanceof Value.N a) {
        result = Value.arithmetic(n.value(), a.value(), true);
      } else if (current instanceof Value.SS s && addend instanceof Value.SS a) {
        var union = new LinkedHashSet<>(s.values());
        union.addAll(a.values());
        result = new Value.SS(union);
      } else if (current instanceof Value.NS s && addend instanceof Value.NS a) {
        var union = new LinkedHashSet<>(s.values());
        union.addAll(a.values());
        result = new Value.NS(union);
      } else if (current instanceof Value.BS s && addend instanceof Value.BS a) {
        var union = new LinkedHashSet<>(s.values());
        union.addAll(a.values());
        result = new Value.BS(union);
      } else {
        throw DynamoError.validation(
            "An operand in the update expression has an incorrect data type");
      }
      put(item, path, result);
      touched.add(path.top());
    }
    for (var e : update.delete().entrySet()) {
      var path = e.getKey();
      var current = resolve(item, path);
      var removed = e.getValue();
      if (current == null) {
        continue;
      }
      Value result;
      if (current instanceof Value.SS s && removed instanceof Value.SS r) {
        var rest = new LinkedHashSet<>(s.values());
        rest.removeAll(r.values());
        result = rest.isEmpty() ? null : new Value.SS(rest);
      } else if (current instanceof Value.NS s && removed instanceof Value.NS r) {
        var rest = new LinkedHashSet<>(s.values());
        rest.removeAll(r.values());
        result = rest.isEmpty() ? null : new Value.NS(rest);
      } else if (current instanceof Value.BS s && removed instanceof Value.BS r) {
        var rest = new LinkedHashSet<>(s.values());
        rest.removeAll(r.values());
        result = rest.isEmpty() ? null : new Value.BS(rest);
      } else {
        throw DynamoError.validation(
            "An operand in the update expression has an incorrect data type");
      }
      if (result == null) {
        remove(item, path);
      } else {
        put(item, path, result);
      }
      touched.add(path.top());
    }
    return new Applied(item, touched);
  }

  private static DynamoError invalidPath() {
    return DynamoError.validation(
        "The document path provided in the update expression is invalid for update");
  }

  private static void put(Map<String, Value> item, Path path, Value value) {
    if (path.isTop()) {
      item.put(path.top(), value);
      return;
    }
    item.put(path.top(), putIn(item.get(path.top()), path.elements(), 1, value));
  }

  private static Value putIn(Value container, List<Object> elements, int at, Value value) {
    var element = elements.get(at);
    boolean last = at == elements.size() - 1;
    if (element instanceof String name) {
      if (!(container instanceof Value.M m)) {
        throw invalidPath();
      }
      var copy = new LinkedHashMap<>(m.values());
      if (last) {
        copy.put(name, value);
      } else {
        copy.put(name, putIn(copy.get(name), elements, at + 1, value));
      }
      return new Value.M(copy);
    }
    if (!(container instanceof Value.L l)) {
      throw invalidPath();
    }
    int index = (Integer) element;
    var copy = new ArrayList<>(l.values());
    if (last) {
      if (index >= copy.size()) {
        copy.add(value);
      } else {
        copy.set(index, value);
      }
    } else {
      if (index >= copy.size()) {
        throw invalidPath();
      }
      copy.set(index, putIn(copy.get(index), elements, at + 1, value));
    }
    return new Value.L(copy);
  }

  private static void remove(Map<String, Value> item, Path path) {
    if (path.isTop()) {
      item.remove(path.top());
      return;
    }
    var top = item.get(path.top());
    if (top == null) {
      return;
    }
    item.put(path.top(), removeIn(top, path.elements(), 1));
  }

  private static Value removeIn(Value container, List<Object> elements, int at) {
    var element = elements.get(at);
    boolean last = at == elements.size() - 1;
    if (element instanceof String name) {
      if (!(container instanceof Value.M m)) {
        throw invalidPath();
      }
      var copy = new LinkedHashMap<>(m.values());
      if (last) {
        copy.remove(name);
      } else if (copy.containsKey(name)) {
        copy.put(name, removeIn(copy.get(name), elements, at + 1));
      }
      return new Value.M(copy);
    }
    if (!(container instanceof Value.L l)) {
      throw invalidPath();
    }
    int index = (Integer) element;
    var copy = new ArrayList<>(l.values());
    if (index < copy.size()) {
      if (last) {
        copy.remove(index);
      } else {
        copy.set(index, removeIn(copy.get(index), elements, at + 1));
      }
    }
    return new Value.L(copy);
  }

  // ================================================================ projection

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

  private static Set<String> reservedWords() {
    try (InputStream in = Expressions.class.getResourceAsStream("reserved-words.txt")) {
      if (in == null) {
        throw new IllegalStateException("reserved-words.txt is missing from the classpath");
      }
      var words = new HashSet<String>();
      for (var line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.isBlank()) {
          words.add(line.trim().toUpperCase(Locale.ROOT));
        }
      }
      return Set.copyOf(words);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

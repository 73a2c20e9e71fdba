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
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The tokenizer and recursive-descent parser of DynamoDB's expression grammar (Expressions:
 * "Comparison operator and function reference"), one expression at a time. Placeholders resolve
 * through the request's {@link Expressions}, which records what was used; reserved words are
 * refused as bare attribute names.
 */
final class ExpressionParser {
  private static final Set<String> RESERVED = reservedWords();

  private final Expressions expressions;
  private final String text;
  private final String kind;
  private final List<String> tokens = new ArrayList<>();
  private int at;

  ExpressionParser(Expressions expressions, String text, String kind) {
    this.expressions = expressions;
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
        throw DynamoError.validation("Invalid " + kind + ": Invalid function name; function: " + t);
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
      if (!Set.of("S", "N", "B", "SS", "NS", "BS", "M", "L", "BOOL", "NULL").contains(s.value())) {
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
      var resolved = expressions.attributeName(t);
      if (resolved == null) {
        throw DynamoError.validation(
            "Invalid "
                + kind
                + ": An expression attribute name used in the document path is not defined;"
                + " attribute name: "
                + t);
      }
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
    var v = expressions.attributeValue(t);
    if (v == null) {
      throw DynamoError.validation(
          "Invalid "
              + kind
              + ": An expression attribute value used in expression is not defined; attribute"
              + " value: "
              + t);
    }
    return v;
  }

  private static Set<String> reservedWords() {
    try (InputStream in = ExpressionParser.class.getResourceAsStream("reserved-words.txt")) {
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

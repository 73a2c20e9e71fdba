package dev.xerosync.infra.aws.dynamodb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A DynamoDB attribute value, immutable. Numbers are kept as exact decimals of at most 38
 * significant digits, in DynamoDB's range, and written back without leading or trailing zeros.
 * Strings order by code point, which is UTF-8 byte order, as DynamoDB orders them.
 */
public sealed interface Value {

  JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** The one-or-two-letter type descriptor: S, N, B, SS, NS, BS, M, L, BOOL, NULL. */
  String type();

  /** DynamoDB's size of the value, without the attribute name (Item sizes and formats). */
  long size();

  JsonNode toJson();

  /**
   * A string. Not a record only to remember, once worked out, whether it holds a surrogate: keys
   * are compared on every write to the sorted tables and indexes, and without one UTF-16 order is
   * code point order, so the JDK's vectorised {@link String#compareTo} decides.
   */
  final class S implements Value {
    private final String value;

    /** 0 not yet known, 1 no surrogate, 2 has one; a race only repeats the scan. */
    private byte surrogates;

    public S(String value) {
      this.value = java.util.Objects.requireNonNull(value);
    }

    public String value() {
      return value;
    }

    boolean hasSurrogate() {
      if (surrogates == 0) {
        boolean found = false;
        for (int i = 0; i < value.length() && !found; i++) {
          found = Character.isSurrogate(value.charAt(i));
        }
        surrogates = (byte) (found ? 2 : 1);
      }
      return surrogates == 2;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof S other && value.equals(other.value);
    }

    @Override
    public int hashCode() {
      return value.hashCode();
    }

    @Override
    public String toString() {
      return "S[value=" + value + "]";
    }

    public String type() {
      return "S";
    }

    public long size() {
      return utf8Length(value);
    }

    public JsonNode toJson() {
      return NODES.objectNode().put("S", value);
    }
  }

  record N(BigDecimal value) implements Value {
    public N {
      value = value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
    }

    public String type() {
      return "N";
    }

    public long size() {
      return numberSize(value);
    }

    public String text() {
      return value.toPlainString();
    }

    public JsonNode toJson() {
      return NODES.objectNode().put("N", text());
    }
  }

  final class B implements Value, Comparable<B> {
    private final byte[] bytes;

    public B(byte[] bytes) {
      this.bytes = bytes.clone();
    }

    public byte[] bytes() {
      return bytes.clone();
    }

    int length() {
      return bytes.length;
    }

    public String type() {
      return "B";
    }

    public long size() {
      return bytes.length;
    }

    public JsonNode toJson() {
      return NODES.objectNode().put("B", Base64.getEncoder().encodeToString(bytes));
    }

    boolean startsWith(B prefix) {
      return bytes.length >= prefix.bytes.length
          && Arrays.equals(bytes, 0, prefix.bytes.length, prefix.bytes, 0, prefix.bytes.length);
    }

    boolean containsBytes(B part) {
      outer:
      for (int i = 0; i + part.bytes.length <= bytes.length; i++) {
        for (int j = 0; j < part.bytes.length; j++) {
          if (bytes[i + j] != part.bytes[j]) {
            continue outer;
          }
        }
        return true;
      }
      return false;
    }

    @Override
    public int compareTo(B other) {
      return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof B b && Arrays.equals(bytes, b.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return "B[" + Base64.getEncoder().encodeToString(bytes) + "]";
    }
  }

  record SS(Set<String> values) implements Value {
    public SS {
      values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    public String type() {
      return "SS";
    }

    public long size() {
      return values.stream().mapToLong(Value::utf8Length).sum();
    }

    public JsonNode toJson() {
      var node = NODES.objectNode();
      var array = node.putArray("SS");
      values.forEach(array::add);
      return node;
    }
  }

  record NS(Set<BigDecimal> values) implements Value {
    public NS {
      var normal = new LinkedHashSet<BigDecimal>();
      for (var v : values) {
        normal.add(new N(v).value());
      }
      values = Collections.unmodifiableSet(normal);
    }

    public String type() {
      return "NS";
    }

    public long size() {
      return values.stream().mapToLong(Value::numberSize).sum();
    }

    public JsonNode toJson() {
      var node = NODES.objectNode();
      var array = node.putArray("NS");
      values.forEach(v -> array.add(v.toPlainString()));
      return node;
    }
  }

  record BS(Set<B> values) implements Value {
    public BS {
      values = Collections.unmodifiableSet(new LinkedHashSet<>(values));
    }

    public String type() {
      return "BS";
    }

    public long size() {
      return values.stream().mapToLong(B::size).sum();
    }

    public JsonNode toJson() {
      var node = NODES.objectNode();
      var array = node.putArray("BS");
      values.forEach(v -> array.add(Base64.getEncoder().encodeToString(v.bytes)));
      return node;
    }
  }

  record M(Map<String, Value> values) implements Value {
    public M {
      values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public String type() {
      return "M";
    }

    public long size() {
      // 3 bytes for the map, 1 per element, plus each element's name and value.
      long size = 3;
      for (var e : values.entrySet()) {
        size += 1 + utf8Length(e.getKey()) + e.getValue().size();
      }
      return size;
    }

    public JsonNode toJson() {
      var node = NODES.objectNode();
      node.set("M", ValueJson.toJson(values));
      return node;
    }
  }

  record L(List<Value> values) implements Value {
    public L {
      values = List.copyOf(values);
    }

    public String type() {
      return "L";
    }

    public long size() {
      long size = 3;
      for (var v : values) {
        size += 1 + v.size();
      }
      return size;
    }

    public JsonNode toJson() {
      var node = NODES.objectNode();
      ArrayNode array = node.putArray("L");
      values.forEach(v -> array.add(v.toJson()));
      return node;
    }
  }

  record Bool(boolean value) implements Value {
    public String type() {
      return "BOOL";
    }

    public long size() {
      return 1;
    }

    public JsonNode toJson() {
      return NODES.objectNode().put("BOOL", value);
    }
  }

  record Null() implements Value {
    public String type() {
      return "NULL";
    }

    public long size() {
      return 1;
    }

    public JsonNode toJson() {
      return NODES.objectNode().put("NULL", true);
    }
  }

  // ---- sizes

  static long utf8Length(String s) {
    long length = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        length++;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c)) {
        length += 4;
        i++;
      } else {
        length += 3;
      }
    }
    return length;
  }

  /** About one byte per two significant digits, plus one (Item sizes and formats). */
  static long numberSize(BigDecimal n) {
    int digits = n.signum() == 0 ? 1 : n.precision();
    return (digits + 1) / 2 + 1;
  }

  /** The size of an item: each attribute's name and value. */
  static long itemSize(Map<String, Value> item) {
    long size = 0;
    for (var e : item.entrySet()) {
      size += utf8Length(e.getKey()) + e.getValue().size();
    }
    return size;
  }

  // ---- order and equality as DynamoDB compares

  /** Orders two values of the same scalar type (S, N or B); null if they cannot be ordered. */
  static Integer compare(Value a, Value b) {
    if (a instanceof S x && b instanceof S y) {
      return x.hasSurrogate() || y.hasSurrogate()
          ? compareStrings(x.value, y.value)
          : Integer.signum(x.value.compareTo(y.value));
    }
    if (a instanceof N x && b instanceof N y) {
      return x.value.compareTo(y.value);
    }
    if (a instanceof B x && b instanceof B y) {
      return x.compareTo(y);
    }
    return null;
  }

  /** Code point order, which is the UTF-8 byte order DynamoDB sorts by. */
  static int compareStrings(String a, String b) {
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        boolean xs = Character.isSurrogate(x);
        boolean ys = Character.isSurrogate(y);
        if (xs == ys) {
          return Character.compare(x, y);
        }
        // A surrogate (a code point above U+FFFF) sorts after every BMP character.
        return xs ? 1 : -1;
      }
    }
    return Integer.compare(a.length(), b.length());
  }

  BigDecimal MAX = new BigDecimal("9.9999999999999999999999999999999999999E+125");
  BigDecimal MIN = new BigDecimal("1E-130");

  /** A number as DynamoDB accepts it: at most 38 significant digits, magnitude in range. */
  static BigDecimal number(String text) {
    BigDecimal n;
    try {
      n = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new DynamoError(
          "ValidationException", "A value provided cannot be converted into a number");
    }
    if (n.signum() == 0) {
      return BigDecimal.ZERO;
    }
    n = n.stripTrailingZeros();
    if (n.precision() > 38) {
      throw new DynamoError(
          "ValidationException", "Attempting to store more than 38 significant digits in a Number");
    }
    if (n.abs().compareTo(MAX) > 0) {
      throw new DynamoError(
          "ValidationException",
          "Number overflow. Attempting to store a number with magnitude larger than supported range");
    }
    if (n.abs().compareTo(MIN) < 0) {
      throw new DynamoError(
          "ValidationException",
          "Number underflow. Attempting to store a number with magnitude smaller than supported range");
    }
    return n;
  }

  /** Sum or difference of two numbers, exact, refused past 38 digits as DynamoDB does. */
  static N arithmetic(BigDecimal a, BigDecimal b, boolean add) {
    var exact = add ? a.add(b) : a.subtract(b);
    var rounded = exact.round(MathContext.DECIMAL128);
    if (exact.signum() != 0 && exact.stripTrailingZeros().precision() > 38) {
      throw new DynamoError(
          "ValidationException",
          "Number overflow. Attempting to store a number with magnitude larger than supported range");
    }
    return new N(number(rounded.toPlainString()));
  }

  static String describe(Value v) {
    return "{" + v.type() + ":" + v.toJson().elements().next().toString() + "}";
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}

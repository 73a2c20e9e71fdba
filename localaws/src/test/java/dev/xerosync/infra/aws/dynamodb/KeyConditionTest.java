package dev.xerosync.infra.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.infra.aws.dynamodb.Table.Attribute;
import dev.xerosync.infra.aws.dynamodb.Table.Key;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A Query's key condition: what it accepts, and which keys it selects. */
class KeyConditionTest {
  static final Attribute PK = new Attribute("pk", "S"), SK = new Attribute("sk", "S");

  static KeyCondition parse(String expression, Map<String, Value> values) {
    var expressions = new Expressions(null, values);
    return KeyCondition.parse(expressions.condition(expression, "KeyConditionExpression"), PK, SK);
  }

  static Map<String, Value> values(String... pairs) {
    var values = new TreeMap<String, Value>();
    for (int i = 0; i < pairs.length; i += 2) {
      values.put(pairs[i], new Value.S(pairs[i + 1]));
    }
    return values;
  }

  @Test
  void beginsWithSelectsExactlyTheKeysWithThePrefix() {
    var source = new TreeMap<Key, Map<String, Value>>();
    for (var sk : new String[] {"INV#", "INV#1", "INV#9~", "INVa", "IN", "PAY#1"}) {
      source.put(new Key(new Value.S("t1"), new Value.S(sk), null, null), Map.of());
    }
    source.put(new Key(new Value.S("t2"), new Value.S("INV#1"), null, null), Map.of());

    var k = parse("pk = :t AND begins_with(sk, :p)", values(":t", "t1", ":p", "INV#"));

    assertThat(k.select(source).keySet())
        .extracting(key -> ((Value.S) key.b()).value())
        .containsExactly("INV#", "INV#1", "INV#9~");
  }

  @Test
  void theSuccessorOfAPrefixIsTheFirstValueAboveEveryValueStartingWithIt() {
    assertThat(KeyCondition.successor(new Value.S("INV#"))).isEqualTo(new Value.S("INV$"));
    assertThat(KeyCondition.successor(new Value.S(""))).isNull();
  }

  @Test
  void betweenAndComparisonsBoundTheSortKey() {
    var source = new TreeMap<Key, Map<String, Value>>();
    for (var sk : new String[] {"a", "b", "c", "d"}) {
      source.put(new Key(new Value.S("t1"), new Value.S(sk), null, null), Map.of());
    }

    var between =
        parse("pk = :t AND sk BETWEEN :lo AND :hi", values(":t", "t1", ":lo", "b", ":hi", "c"));
    var below = parse("pk = :t AND sk < :v", values(":t", "t1", ":v", "c"));

    assertThat(between.select(source)).hasSize(2);
    assertThat(below.select(source)).hasSize(2);
  }

  @Test
  void orNotEqualAndAMissingPartitionKeyAreRefused() {
    assertThatThrownBy(() -> parse("pk = :t OR sk = :t", values(":t", "x")))
        .hasMessage("Invalid operator used in KeyConditionExpression: OR");
    assertThatThrownBy(() -> parse("pk = :t AND sk <> :t", values(":t", "x")))
        .hasMessageContaining("Invalid operator used in KeyConditionExpression: <>");
    assertThatThrownBy(() -> parse("sk = :t", values(":t", "x")))
        .hasMessage("Query condition missed key schema element: pk");
  }
}

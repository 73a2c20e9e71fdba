package dev.xerosync.infra.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The expression language end to end: parsed, then tested, applied or projected on an item. */
class ExpressionsTest {
  static final Map<String, Value> ITEM =
      Map.of(
          "invoiceStatus", new Value.S("AUTHORISED"),
          "amount", new Value.N(new BigDecimal("115.00")),
          "contact",
              new Value.M(Map.of("nickname", new Value.S("Acme"), "email", new Value.S("a@b"))));

  @Test
  void aConditionWithNamesAndValuesHoldsOnTheItem() {
    var expressions =
        new Expressions(
            Map.of("#s", "invoiceStatus"),
            Map.of(":a", new Value.S("AUTHORISED"), ":min", new Value.N(BigDecimal.TEN)));

    var condition =
        expressions.condition(
            "#s = :a AND amount > :min AND attribute_exists(contact.nickname)",
            "ConditionExpression");
    expressions.requireAllUsed();

    assertThat(Evaluation.test(ITEM, condition)).isTrue();
    assertThat(Evaluation.test(Map.of(), condition)).isFalse();
  }

  @Test
  void namesAndValuesTheExpressionsLeaveUnusedAreRefused() {
    var expressions = new Expressions(Map.of("#s", "invoiceStatus", "#x", "x"), null);
    expressions.condition("attribute_exists(#s)", "ConditionExpression");

    assertThatThrownBy(expressions::requireAllUsed)
        .hasMessage("Value provided in ExpressionAttributeNames unused in expressions: keys: {#x}");
  }

  @Test
  void reservedWordsAndUndefinedPlaceholdersAreRefusedWhileParsing() {
    var expressions = new Expressions(null, null);

    assertThatThrownBy(() -> expressions.condition("name = status", "ConditionExpression"))
        .hasMessageContaining("Attribute name is a reserved keyword; reserved keyword: name");
    assertThatThrownBy(() -> expressions.condition("amount = :v", "ConditionExpression"))
        .hasMessageContaining("An expression attribute value used in expression is not defined");
  }

  @Test
  void anUpdateReadsTheItemAsItWasAndReportsWhatItTouched() {
    var expressions = new Expressions(null, Map.of(":one", new Value.N(BigDecimal.ONE)));
    var update =
        expressions.update("SET amount = amount + :one, previous = amount REMOVE invoiceStatus");

    var applied = UpdateApplication.apply(new LinkedHashMap<>(ITEM), update);

    assertThat(applied.item().get("amount")).isEqualTo(new Value.N(new BigDecimal("116.00")));
    assertThat(applied.item().get("previous")).isEqualTo(new Value.N(new BigDecimal("115.00")));
    assertThat(applied.item()).doesNotContainKey("invoiceStatus");
    assertThat(applied.touched()).containsExactlyInAnyOrder("amount", "previous", "invoiceStatus");
  }

  @Test
  void aProjectionKeepsOnlyTheNestedPathsAsked() {
    var paths = new Expressions(null, null).projection("contact.email, amount");

    var projected = Evaluation.project(ITEM, paths);

    assertThat(projected.keySet()).containsExactly("contact", "amount");
    assertThat(projected.get("contact"))
        .isEqualTo(new Value.M(Map.of("email", new Value.S("a@b"))));
  }
}

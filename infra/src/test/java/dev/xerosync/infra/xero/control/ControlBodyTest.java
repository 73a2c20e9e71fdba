package dev.xerosync.infra.xero.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.infra.xero.http.SimRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Control request bodies: strict fields and types, each refusal naming what is wrong. */
class ControlBodyTest {
  static SimRequest post(String body) {
    return post(body, "application/json");
  }

  static SimRequest post(String body, String contentType) {
    return new SimRequest(
        "POST",
        "/_sim/x",
        "/_sim/x",
        Map.of(),
        Map.of("content-type", List.of(contentType)),
        body.getBytes(StandardCharsets.UTF_8),
        List.of());
  }

  static String refusal(Runnable r) {
    try {
      r.run();
    } catch (ControlProblem p) {
      assertThat(p.status()).isEqualTo(400);
      return p.getMessage();
    }
    throw new AssertionError("accepted");
  }

  @Test
  void anEmptyBodyIsAnEmptyObject() {
    assertThat(ControlBody.parse(post("")).has("x")).isFalse();
    assertThat(ControlBody.parse(post("  \n")).has("x")).isFalse();
  }

  @Test
  void unknownFieldsAreRefusedByName() {
    assertThat(refusal(() -> ControlBody.parse(post("{\"nam\":\"A\"}"), "name", "email")))
        .isEqualTo("unknown field 'nam'; this route takes email, name");
    assertThat(refusal(() -> ControlBody.parse(post("{\"a\":1}"))))
        .isEqualTo("unknown field 'a'; this route takes no body");
  }

  @Test
  void onlyAJsonObjectIsABody() {
    assertThat(refusal(() -> ControlBody.parse(post("{\"name\":")))).contains("not JSON");
    assertThat(refusal(() -> ControlBody.parse(post("[1]")))).contains("JSON object");
    assertThatThrownBy(() -> ControlBody.parse(post("name=A", "application/x-www-form-urlencoded")))
        .isInstanceOfSatisfying(ControlProblem.class, p -> assertThat(p.status()).isEqualTo(415));
  }

  @Test
  void textIsRequiredNonBlankAndAString() {
    ControlBody b =
        ControlBody.parse(
            post("{\"a\":\" x \",\"b\":\"\",\"c\":3,\"d\":null}"), "a", "b", "c", "d");
    assertThat(b.text("a")).isEqualTo("x");
    assertThat(refusal(() -> b.text("b"))).isEqualTo("'b' must be a non-empty string");
    assertThat(refusal(() -> b.text("c"))).isEqualTo("'c' must be a non-empty string");
    assertThat(refusal(() -> b.text("d"))).isEqualTo("'d' is required");
    assertThat(b.optionalText("d")).isNull();
  }

  @Test
  void moneyIsExactPositiveAndInCents() {
    ControlBody b =
        ControlBody.parse(
            post(
                "{\"n\":12.5,\"s\":\"0.10\",\"zero\":0,\"neg\":\"-1\",\"fine\":1.001,\"word\":\"ten\",\"t\":true}"),
            "n",
            "s",
            "zero",
            "neg",
            "fine",
            "word",
            "t");
    assertThat(b.money("n")).isEqualByComparingTo("12.50");
    assertThat(b.money("s")).isEqualByComparingTo("0.1");
    assertThat(refusal(() -> b.money("zero"))).contains("above zero");
    assertThat(refusal(() -> b.money("neg"))).contains("above zero");
    assertThat(refusal(() -> b.money("fine"))).contains("at most 2 decimals");
    assertThat(refusal(() -> b.money("word"))).contains("an amount");
    assertThat(refusal(() -> b.money("t"))).contains("an amount");
    assertThat(refusal(() -> b.money("missing"))).isEqualTo("'missing' is required");
  }

  @Test
  void countsAndRatesAreBounded() {
    ControlBody b =
        ControlBody.parse(
            post("{\"c\":3,\"big\":99999999999,\"frac\":1.5,\"r\":0.25,\"over\":2}"),
            "c",
            "big",
            "frac",
            "r",
            "over");
    assertThat(b.count("c", 1, 10)).isEqualTo(3);
    assertThat(refusal(() -> b.count("c", 5, 10))).contains("from 5 to 10");
    assertThat(refusal(() -> b.count("big", 1, 10))).contains("whole number");
    assertThat(refusal(() -> b.count("frac", 1, 10))).contains("whole number");
    assertThat(b.rate("r")).isEqualTo(0.25);
    assertThat(refusal(() -> b.rate("over"))).contains("from 0 to 1");
  }

  @Test
  void datesDurationsInstantsAndCurrenciesAreIso() {
    ControlBody b =
        ControlBody.parse(
            post(
                "{\"d\":\"2026-03-31\",\"bad\":\"31/03/2026\",\"p\":\"PT90S\",\"neg\":\"-PT1S\","
                    + "\"i\":\"2026-03-31T09:00:00Z\",\"cur\":\"eur\",\"nocur\":\"ABC\"}"),
            "d",
            "bad",
            "p",
            "neg",
            "i",
            "cur",
            "nocur");
    assertThat(b.date("d")).isEqualTo(LocalDate.of(2026, 3, 31));
    assertThat(b.optionalDate("none")).isNull();
    assertThat(refusal(() -> b.date("bad"))).contains("2026-03-31");
    assertThat(b.duration("p")).isEqualTo(Duration.ofSeconds(90));
    assertThat(refusal(() -> b.duration("neg"))).contains("above zero");
    assertThat(refusal(() -> b.duration("d"))).contains("ISO-8601 duration");
    assertThat(b.instant("i")).hasToString("2026-03-31T09:00:00Z");
    assertThat(refusal(() -> b.instant("d"))).contains("instant");
    assertThat(b.currency("cur")).isEqualTo("EUR");
    assertThat(refusal(() -> b.currency("nocur"))).contains("ISO 4217");
  }

  @Test
  void choicesAndAlternatives() {
    ControlBody b = ControlBody.parse(post("{\"s\":\"voided\",\"x\":1,\"y\":2}"), "s", "x", "y");
    assertThat(b.choice("s", List.of("VOIDED", "DELETED"))).isEqualTo("VOIDED");
    assertThat(refusal(() -> b.choice("s", List.of("PAID")))).contains("one of PAID");
    assertThat(refusal(() -> b.oneOf("x", "y"))).isEqualTo("give exactly one of x, y");
    assertThat(refusal(() -> b.oneOf("z", "w"))).isEqualTo("give exactly one of z, w");
    assertThat(b.oneOf("x", "z")).isEqualTo("x");
  }
}

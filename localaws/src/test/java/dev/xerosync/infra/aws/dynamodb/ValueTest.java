package dev.xerosync.infra.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Strings order by code point (UTF-8 byte order), as DynamoDB sorts keys. */
class ValueTest {
  private static int compare(String a, String b) {
    return Value.compare(new Value.S(a), new Value.S(b));
  }

  @Test
  void plainStringsOrderAsTheirCharacters() {
    assertThat(compare("T#a#INV#1", "T#a#INV#2")).isNegative();
    assertThat(compare("T#b", "T#a#INV#2")).isPositive();
    assertThat(compare("T#a", "T#a#")).isNegative();
    assertThat(compare("T#a", "T#a")).isZero();
    assertThat(compare("é", "z")).isPositive();
  }

  @Test
  void aCharacterAboveTheBasicPlaneSortsAfterEveryCharacterInIt() {
    String emoji = "\uD83D\uDE00"; // U+1F600, a surrogate pair in UTF-16
    // In UTF-16 the surrogate 0xD83D sorts before U+FFFD; by code point it is after.
    assertThat(compare("a" + emoji, "a\uFFFD")).isPositive();
    assertThat(compare("a\uFFFD", "a" + emoji)).isNegative();
    assertThat(compare("a" + emoji, "a\uD7FF")).isPositive();
    assertThat(compare(emoji, emoji)).isZero();
  }

  @Test
  void equalStringsAreEqualValuesWhateverWasAskedOfThem() {
    var a = new Value.S("x\uD83D\uDE00");
    var b = new Value.S("x\uD83D\uDE00");
    assertThat(Value.compare(a, new Value.S("y"))).isNegative();
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a.toString()).isEqualTo("S[value=x\uD83D\uDE00]");
  }
}

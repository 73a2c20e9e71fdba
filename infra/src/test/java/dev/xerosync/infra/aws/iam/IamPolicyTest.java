package dev.xerosync.infra.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class IamPolicyTest {
  private static final String TABLE = "arn:aws:dynamodb:us-east-1:000000000000:table/stack-Table-1";

  @Test
  void aStarMatchesAnyRunOfCharactersIncludingNone() {
    assertThat(IamPolicy.wildcard("arn:aws:dynamodb:*:*:table/stack-Table-1", TABLE)).isTrue();
    assertThat(IamPolicy.wildcard(TABLE + "*", TABLE)).isTrue();
    assertThat(IamPolicy.wildcard(TABLE + "/index/*", TABLE + "/index/ByStatus")).isTrue();
    assertThat(IamPolicy.wildcard(TABLE + "/index/*", TABLE)).isFalse();
    assertThat(IamPolicy.wildcard("*", "")).isTrue();
    assertThat(IamPolicy.wildcard("**", "x")).isTrue();
  }

  @Test
  void aStarBacktracksWhenItsFirstCandidateFails() {
    assertThat(IamPolicy.wildcard("*Table-1", "stack-Table-2/stack-Table-1")).isTrue();
    assertThat(IamPolicy.wildcard("a*b*c", "aXbYbZc")).isTrue();
    assertThat(IamPolicy.wildcard("a*b*c", "aXbYbZ")).isFalse();
  }

  @Test
  void aQuestionMarkMatchesExactlyOneCharacter() {
    assertThat(IamPolicy.wildcard("table/stack-Table-?", "table/stack-Table-1")).isTrue();
    assertThat(IamPolicy.wildcard("table/stack-Table-?", "table/stack-Table-")).isFalse();
    assertThat(IamPolicy.wildcard("table/stack-Table-?", "table/stack-Table-12")).isFalse();
  }

  @Test
  void everythingElseIsLiteralAndCaseSensitive() {
    // Regex metacharacters in an ARN are plain characters to IAM.
    assertThat(IamPolicy.wildcard("arn:a.s", "arn:aws")).isFalse();
    assertThat(IamPolicy.wildcard("table/(x)+", "table/(x)+")).isTrue();
    assertThat(IamPolicy.wildcard("table/(x)+", "table/xx")).isFalse();
    assertThat(IamPolicy.wildcard(TABLE, TABLE.replace("Table", "table"))).isFalse();
  }

  @Test
  void actionsMatchWhateverTheirCaseResourcesOnlyInTheirOwn() {
    var statement = new IamPolicy.Statement(true, List.of("DynamoDB:Get*"), List.of(TABLE + "*"));
    assertThat(statement.covers("dynamodb:GetItem", TABLE)).isTrue();
    assertThat(statement.covers("dynamodb:getitem", TABLE + "/index/X")).isTrue();
    assertThat(statement.covers("dynamodb:PutItem", TABLE)).isFalse();
    assertThat(statement.covers("dynamodb:GetItem", TABLE.toUpperCase())).isFalse();
  }
}

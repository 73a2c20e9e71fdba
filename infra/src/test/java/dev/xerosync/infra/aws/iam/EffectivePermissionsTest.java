package dev.xerosync.infra.aws.iam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class EffectivePermissionsTest {
  private static final String QUEUE = "arn:aws:sqs:us-east-1:000000000000:stack-WriteQueue-1";
  private static final String OTHER = "arn:aws:sqs:us-east-1:000000000000:stack-SyncQueue-1";

  private static IamPolicy allow(String action, String resource) {
    return new IamPolicy(
        "p", List.of(new IamPolicy.Statement(true, List.of(action), List.of(resource))));
  }

  @Test
  void anIdentityGrantOutsideTheBoundaryIsDeniedWithAwsReason() {
    var role =
        new EffectivePermissions(
            "arn:aws:sts::000000000000:assumed-role/R/F",
            List.of(allow("sqs:SendMessage", QUEUE)),
            allow("sqs:*", OTHER));
    assertThat(role.allows("sqs:SendMessage", QUEUE)).isFalse();
    assertThat(role.denial("sqs:SendMessage", QUEUE))
        .hasValueSatisfying(
            m ->
                assertThat(m)
                    .contains("is not authorized to perform: sqs:SendMessage on resource: " + QUEUE)
                    .endsWith("because no permissions boundary allows the sqs:SendMessage action"));
  }

  @Test
  void theBoundaryAloneGrantsNothing() {
    var role = new EffectivePermissions("r", List.of(), allow("sqs:*", OTHER));
    assertThat(role.denial("sqs:SendMessage", OTHER))
        .hasValueSatisfying(m -> assertThat(m).contains("no identity-based policy allows"));
  }

  @Test
  void bothMustAllowAndActionsIgnoreCaseButResourcesDoNot() {
    var role =
        new EffectivePermissions(
            "r",
            List.of(allow("SQS:sendmessage", "arn:aws:sqs:*:*:stack-*")),
            allow("sqs:*", OTHER));
    assertThat(role.allows("sqs:SendMessage", OTHER)).isTrue();
    assertThat(role.allows("sqs:SendMessage", OTHER.toUpperCase())).isFalse();
    assertThat(
            new EffectivePermissions("r", List.of(allow("sqs:*", "*")), null)
                .allows("sqs:X", QUEUE))
        .isTrue();
  }

  @Test
  void anExplicitDenyWins() {
    var deny =
        new IamPolicy(
            "d", List.of(new IamPolicy.Statement(false, List.of("sqs:SendMessage"), List.of("*"))));
    var role = new EffectivePermissions("r", List.of(allow("sqs:*", "*"), deny), null);
    assertThat(role.denial("sqs:SendMessage", QUEUE))
        .hasValueSatisfying(
            m -> assertThat(m).endsWith("with an explicit deny in an identity-based policy"));
    assertThat(role.allows("sqs:ReceiveMessage", QUEUE)).isTrue();
  }

  @Test
  void refusesWhatItCannotEvaluate() {
    assertThatThrownBy(
            () ->
                IamPolicy.statement("Allow", List.of("sqs:*"), List.of("*"), List.of("Condition")))
        .hasMessageContaining("Condition");
  }
}

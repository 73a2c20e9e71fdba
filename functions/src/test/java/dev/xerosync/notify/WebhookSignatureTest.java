package dev.xerosync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  // The Standard Webhooks libraries' own test vector (standard-webhooks/standard-webhooks, the
  // reference implementations' tests): secret, id, timestamp and payload give this signature.
  private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
  private static final long TIMESTAMP = 1614265330;
  private static final String PAYLOAD = "{\"test\": 2432232314}";
  private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

  @Test
  void signsTheSpecsTestVector() {
    assertThat(WebhookSignature.sign(SECRET, ID, TIMESTAMP, PAYLOAD)).isEqualTo(EXPECTED);
  }

  @Test
  void verifiesAnyOfSeveralSignaturesAndRefusesATamperedBodyIdOrTime() {
    String header = "v1,bm90LXRoaXMtb25l " + EXPECTED;
    assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP, PAYLOAD, header)).isTrue();
    assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP, PAYLOAD + " ", header)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, ID + "x", TIMESTAMP, PAYLOAD, header)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP + 1, PAYLOAD, header)).isFalse();
    assertThat(WebhookSignature.verify(SECRET, ID, TIMESTAMP, PAYLOAD, null)).isFalse();
  }

  @Test
  void aSubscriptionsSecretIsDerivedStableAndItsOwn() {
    var signature = new WebhookSignature("deployment-key");
    String secret = signature.secret("acme", "sub_1");
    assertThat(secret).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
    assertThat(signature.secret("acme", "sub_1")).isEqualTo(secret);
    assertThat(signature.secret("acme", "sub_2")).isNotEqualTo(secret);
    assertThat(signature.secret("other", "sub_1")).isNotEqualTo(secret);
    assertThat(new WebhookSignature("rotated-key").secret("acme", "sub_1")).isNotEqualTo(secret);
  }
}

package dev.xerosync.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignatureTest {
  private static final String KEY =
      "rMh8p2ZgP0Zq5lH3w9kq8Yk3zQ7JmA1vBc2Xy4Tn6Ue9Rf0Gd5Hs7Jw3Kq1Lm8Np==";
  private static final String BODY =
      "{\"events\":[{\"resourceUrl\":\"https://api.xero.com/api.xro/2.0/Invoices/"
          + "d4956132-ed94-4dd7-9eaa-aa22dfdf06f2\",\"resourceId\":\"d4956132-ed94-4dd7-9eaa-aa22dfdf06f2\","
          + "\"eventDateUtc\":\"2024-06-21T01:15:39.902\",\"eventType\":\"UPDATE\",\"eventCategory\":\"INVOICE\","
          + "\"tenantId\":\"c2cc9b6e-9458-4c7d-93cc-f02b81b0594f\",\"tenantType\":\"ORGANISATION\"}],"
          + "\"lastEventSequence\":1,\"firstEventSequence\":1,\"entropy\":\"S0m3r4Nd0mt3xt\"}";

  private final WebhookSignature signature = new WebhookSignature(KEY);

  /** Computed independently of the class under test, the way Xero documents it. */
  private static String xeroSignature(byte[] body) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    return Base64.getEncoder().encodeToString(mac.doFinal(body));
  }

  @Test
  void acceptsXerosSignatureOverTheRawBody() throws Exception {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    assertThat(signature.verify(body, xeroSignature(body))).isTrue();
  }

  @Test
  void rejectsASignatureMadeWithAnotherKey() throws Exception {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    String otherKeys = new WebhookSignature("another-key").sign(body);
    assertThat(signature.verify(body, otherKeys)).isFalse();
  }

  @Test
  void rejectsABodyThatWasReserialised() throws Exception {
    byte[] original = BODY.getBytes(StandardCharsets.UTF_8);
    String header = xeroSignature(original);
    // Same JSON content, re-serialised (field order and spacing change): the bytes differ, so must
    // the verdict.
    JsonNode tree = Json.MAPPER.readTree(original);
    byte[] reserialised = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree);
    assertThat(Json.MAPPER.readTree(reserialised)).isEqualTo(tree);
    assertThat(signature.verify(reserialised, header)).isFalse();
  }

  @Test
  void rejectsMissingOrNonBase64Headers() {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    assertThat(signature.verify(body, null)).isFalse();
    assertThat(signature.verify(body, "")).isFalse();
    assertThat(signature.verify(body, "not base64 !!")).isFalse();
  }

  @Test
  void acceptsAnEmptyEventsListWhenSignedAsXerosIntentToReceiveCheckDoes() throws Exception {
    byte[] body =
        "{\"events\":[],\"firstEventSequence\":0,\"lastEventSequence\":0,\"entropy\":\"AAAAAA\"}"
            .getBytes(StandardCharsets.UTF_8);
    assertThat(signature.verify(body, xeroSignature(body))).isTrue();
    assertThat(WebhookDelivery.parse(body).events()).isEmpty();
  }

  @Test
  void signMatchesXerosAlgorithm() throws Exception {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    assertThat(signature.sign(body)).isEqualTo(xeroSignature(body));
  }
}

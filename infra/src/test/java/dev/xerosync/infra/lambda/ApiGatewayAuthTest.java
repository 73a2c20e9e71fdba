package dev.xerosync.infra.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.xerosync.infra.aws.ApiGatewayStandIn.UsagePlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * What the local API Gateway does before a function runs, on a clock of the test's: identity
 * sources (401 without invoking the authorizer), the result cache keyed by their values for the
 * authorizer's TTL, and a usage plan's throttle and quota per API key with API Gateway's answers.
 */
class ApiGatewayAuthTest {
  private static final String ARN = "arn:aws:execute-api:us-east-1:000000000000:local/v1/GET/t/1";
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final AtomicInteger runs = new AtomicInteger();

  /** Allows everything under the stage, naming the key it was given as the usage identifier. */
  private final RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> authorizer =
      (APIGatewayCustomAuthorizerEvent e, Context c) -> {
        runs.incrementAndGet();
        return IamPolicyResponseV1.builder()
            .withPrincipalId("p")
            .withPolicyDocument(
                IamPolicyResponseV1.PolicyDocument.builder()
                    .withVersion(IamPolicyResponseV1.VERSION_2012_10_17)
                    .withStatement(
                        List.of(
                            IamPolicyResponseV1.allowStatement(
                                "arn:aws:execute-api:us-east-1:000000000000:local/v1/*")))
                    .build())
            .withUsageIdentifierKey("usage-" + e.getHeaders().get("x-api-key"))
            .build();
      };

  private ApiGatewayAuth.Authorizer cachedOnKey(Duration ttl) {
    return new ApiGatewayAuth.Authorizer(
        "TenantKey",
        List.of("x-api-key"),
        List.of(),
        ttl,
        "Auth",
        Duration.ofSeconds(10),
        authorizer);
  }

  private ApiGatewayAuth gateway(UsagePlan plan, Clock clock) {
    return new ApiGatewayAuth(
        "AUTHORIZER",
        key -> key.startsWith("usage-") ? Optional.of(plan) : Optional.empty(),
        nanos::get,
        clock);
  }

  private static ApiGatewayAuth.Request request(Map<String, String> headers) {
    return new ApiGatewayAuth.Request("GET", "/t/{id}", "/t/1", ARN, headers, null, null);
  }

  private static final UsagePlan UNLIMITED = new UsagePlan("p", 0, 0, 0, "MONTH");

  @Test
  void aMissingIdentitySourceIsRefused401WithoutInvokingTheAuthorizer() {
    var gateway = gateway(UNLIMITED, Clock.systemUTC());
    for (Map<String, String> headers : List.of(Map.<String, String>of(), Map.of("x-api-key", ""))) {
      assertThat(gateway.check(cachedOnKey(Duration.ofSeconds(5)), true, request(headers)))
          .isEqualTo(new ApiGatewayAuth.Refused(401, "Unauthorized", "UNAUTHORIZED"));
    }
    assertThat(runs).hasValue(0);
  }

  @Test
  void aResultIsCachedPerIdentityValueForTheTtlAndNotAtAllWithTtlZero() {
    var gateway = gateway(UNLIMITED, Clock.systemUTC());
    var cached = cachedOnKey(Duration.ofSeconds(5));
    for (int i = 0; i < 100; i++) {
      assertThat(gateway.check(cached, true, request(Map.of("x-api-key", "a"))))
          .isInstanceOf(ApiGatewayAuth.Passed.class);
    }
    assertThat(runs).as("100 requests with one key inside the TTL").hasValue(1);
    gateway.check(cached, true, request(Map.of("x-api-key", "b")));
    assertThat(runs).as("another key value is another cache entry").hasValue(2);
    nanos.addAndGet(Duration.ofSeconds(5).toNanos());
    gateway.check(cached, true, request(Map.of("x-api-key", "a")));
    assertThat(runs).as("expired after the TTL").hasValue(3);

    var uncached = cachedOnKey(Duration.ZERO);
    for (int i = 0; i < 10; i++) {
      gateway.check(uncached, true, request(Map.of("x-api-key", "a")));
    }
    assertThat(runs).hasValue(13);
  }

  @Test
  void aUsageIdentifierInNoPlanIsForbidden() {
    var gateway =
        new ApiGatewayAuth("AUTHORIZER", key -> Optional.empty(), nanos::get, Clock.systemUTC());
    assertThat(gateway.check(cachedOnKey(Duration.ZERO), true, request(Map.of("x-api-key", "a"))))
        .isEqualTo(new ApiGatewayAuth.Refused(403, "Forbidden", "INVALID_API_KEY"));
  }

  @Test
  void theThrottleIsATokenBucketPerKeyOfBurstSizeRefilledAtTheRate() {
    var gateway = gateway(new UsagePlan("p", 25, 50, 0, "MONTH"), Clock.systemUTC());
    var auth = cachedOnKey(Duration.ofSeconds(300));
    int passed = 0;
    for (int i = 0; i < 80; i++) {
      if (gateway.check(auth, true, request(Map.of("x-api-key", "flood")))
          instanceof ApiGatewayAuth.Passed) {
        passed++;
      }
    }
    assertThat(passed).as("a full bucket, then nothing").isEqualTo(50);
    assertThat(gateway.check(auth, true, request(Map.of("x-api-key", "flood"))))
        .isEqualTo(new ApiGatewayAuth.Refused(429, "Too Many Requests", "THROTTLED"));
    assertThat(gateway.check(auth, true, request(Map.of("x-api-key", "quiet"))))
        .as("another key has a bucket of its own")
        .isInstanceOf(ApiGatewayAuth.Passed.class);
    nanos.addAndGet(Duration.ofMillis(400).toNanos());
    passed = 0;
    for (int i = 0; i < 20; i++) {
      if (gateway.check(auth, true, request(Map.of("x-api-key", "flood")))
          instanceof ApiGatewayAuth.Passed) {
        passed++;
      }
    }
    assertThat(passed).as("0.4 s at 25 a second").isEqualTo(10);
  }

  @Test
  void theQuotaCountsAKeysRequestsInItsPeriodThenAnswersLimitExceeded() {
    var clock = new MutableClock(Instant.parse("2026-12-31T23:00:00Z"));
    var gateway = gateway(new UsagePlan("p", 0, 0, 3, "MONTH"), clock);
    var auth = cachedOnKey(Duration.ofSeconds(300));
    for (int i = 0; i < 3; i++) {
      assertThat(gateway.check(auth, true, request(Map.of("x-api-key", "a"))))
          .isInstanceOf(ApiGatewayAuth.Passed.class);
    }
    assertThat(gateway.check(auth, true, request(Map.of("x-api-key", "a"))))
        .isEqualTo(new ApiGatewayAuth.Refused(429, "Limit Exceeded", "QUOTA_EXCEEDED"));
    assertThat(gateway.check(auth, true, request(Map.of("x-api-key", "b"))))
        .isInstanceOf(ApiGatewayAuth.Passed.class);
    clock.now = Instant.parse("2027-01-01T00:00:00Z");
    assertThat(gateway.check(auth, true, request(Map.of("x-api-key", "a"))))
        .as("a new month")
        .isInstanceOf(ApiGatewayAuth.Passed.class);
  }

  private static final class MutableClock extends Clock {
    Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}

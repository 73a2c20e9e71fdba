package dev.xerosync.infra.lambda;

import dev.xerosync.infra.aws.ApiGatewayStandIn.UsagePlan;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.IsoFields;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A usage plan's throttle and quota, applied as API Gateway applies them: to each API key apart
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-api-usage-plans.html).
 * The throttle is a token bucket per key (it holds at most the plan's burst limit, starts full and
 * refills at its rate limit a second): a request finding it empty gets 429 {@code "Too Many
 * Requests"}. The quota counts a key's requests in the plan's period (DAY, WEEK or MONTH, UTC):
 * past it, 429 {@code "Limit Exceeded"} until the next period. A plan without a throttle or quota
 * (rate or limit 0) has none.
 */
final class UsagePlanMeter {
  private static final class Bucket {
    double tokens;
    long refilledAt;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.refilledAt = at;
    }
  }

  private record Used(String period, long requests) {}

  private final LongSupplier nanos;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();
  private final Map<String, Used> quotas = new ConcurrentHashMap<>();

  UsagePlanMeter(LongSupplier nanos, Clock clock) {
    this.nanos = nanos;
    this.clock = clock;
  }

  /** Null when the request may pass (and is counted); else API Gateway's refusal. */
  synchronized ApiGatewayAuth.Refused admit(UsagePlan plan, String keyValue) {
    String id = plan.id() + "\n" + keyValue;
    String period = plan.quotaLimit() > 0 ? period(plan.quotaPeriod()) : "";
    Used used = quotas.get(id);
    long spent = used != null && used.period().equals(period) ? used.requests() : 0;
    if (plan.quotaLimit() > 0 && spent >= plan.quotaLimit()) {
      return new ApiGatewayAuth.Refused(429, "Limit Exceeded", "QUOTA_EXCEEDED");
    }
    if (plan.rateLimit() > 0) {
      long now = nanos.getAsLong();
      Bucket bucket = buckets.computeIfAbsent(id, k -> new Bucket(plan.burstLimit(), now));
      bucket.tokens =
          Math.min(
              plan.burstLimit(),
              bucket.tokens + (now - bucket.refilledAt) / 1e9 * plan.rateLimit());
      bucket.refilledAt = now;
      if (bucket.tokens < 1) {
        return new ApiGatewayAuth.Refused(429, "Too Many Requests", "THROTTLED");
      }
      bucket.tokens -= 1;
    }
    if (plan.quotaLimit() > 0) {
      quotas.put(id, new Used(period, spent + 1));
    }
    return null;
  }

  private String period(String unit) {
    ZonedDateTime now = clock.instant().atZone(ZoneOffset.UTC);
    return switch (unit) {
      case "DAY" -> now.toLocalDate().toString();
      case "WEEK" ->
          now.get(IsoFields.WEEK_BASED_YEAR) + "-W" + now.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR);
      case "MONTH" -> now.getYear() + "-" + now.getMonthValue();
      default -> throw new IllegalArgumentException("usage plan quota period " + unit);
    };
  }
}

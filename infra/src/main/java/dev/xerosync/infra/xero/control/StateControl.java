package dev.xerosync.infra.xero.control;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.XeroSimulator;
import dev.xerosync.infra.xero.accounting.WriteAttempt;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ratelimit.RateLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;

/** The simulator's clock, its organisations, its counters and its daily call limit. */
final class StateControl {
  private final XeroSimulator sim;

  StateControl(XeroSimulator sim) {
    this.sim = sim;
  }

  SimResponse tenants(SimRequest req) {
    ControlBody.parse(req);
    ArrayNode list = XeroJson.MAPPER.createArrayNode();
    sim.organisations().stream()
        .sorted(Comparator.comparing(SimOrganisation::name))
        .forEach(o -> list.add(organisation(o)));
    ObjectNode n = XeroJson.object();
    n.set("tenants", list);
    return SimResponse.json(200, n);
  }

  static ObjectNode organisation(SimOrganisation o) {
    ObjectNode n =
        XeroJson.object()
            .put("tenantId", o.tenantId())
            .put("name", o.name())
            .put("shortCode", o.shortCode())
            .put("timezone", o.timezone().getId())
            .put("baseCurrency", o.baseCurrency());
    ArrayNode currencies = n.putArray("currencies");
    o.currencies().forEach(currencies::add);
    return n;
  }

  SimResponse clock(SimRequest req) {
    ControlBody.parse(req);
    return now();
  }

  /**
   * {@code {"advance":"PT1H"}} or {@code {"set":"2026-03-31T09:00:00Z"}}: token lifetimes, rate
   * windows and webhook retries all read this clock. It only moves forward, as {@code
   * SimClock.advance} demands, so nothing already issued is dated in the future.
   */
  SimResponse moveClock(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "advance", "set");
    if (body.oneOf("advance", "set").equals("advance")) {
      sim.clock().advance(body.duration("advance"));
    } else {
      Instant to = body.instant("set");
      Instant now = sim.clock().instant();
      if (to.isBefore(now)) {
        throw ControlProblem.badRequest("time only moves forward: it is already " + now);
      }
      sim.clock().advance(Duration.between(now, to));
    }
    return now();
  }

  private SimResponse now() {
    return SimResponse.json(200, XeroJson.object().put("now", sim.clock().instant().toString()));
  }

  /**
   * {@code {"dailyCallLimit":1000}}: Xero's Starter tier allows 1,000 calls a day, others 5,000.
   */
  SimResponse rateLimits(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "dailyCallLimit");
    int limit = body.count("dailyCallLimit", 1, 1_000_000);
    sim.dailyCallLimit(limit);
    return SimResponse.json(200, XeroJson.object().put("dailyCallLimit", limit));
  }

  /**
   * Runs Xero's intent-to-receive check against the webhook URL (a good and a badly signed
   * delivery, twice); deliveries go on only if the receiver answers 200 and 401.
   */
  SimResponse verifyWebhooks(SimRequest req) {
    ControlBody.parse(req);
    boolean verified;
    try {
      verified = sim.verifyWebhookSubscription();
    } catch (IllegalStateException e) {
      throw ControlProblem.conflict(e.getMessage());
    }
    return SimResponse.json(
        200,
        XeroJson.object()
            .put("verified", verified)
            .put("webhookStatus", sim.webhookStatus().name()));
  }

  /** Identity and webhook counters; {@code ?clientId=} adds the 429s that app was sent. */
  SimResponse counters(SimRequest req) {
    ControlBody.parse(req);
    ObjectNode n =
        XeroJson.object()
            .put("tokenRefreshRequests", sim.tokenRefreshRequests())
            .put("tokenRefreshRefusals", sim.tokenRefreshRefusals())
            .put("webhookStatus", sim.webhookStatus().name())
            .put("webhookDeliveries", sim.deliveries().size())
            .put("webhookPendingRetries", sim.pendingWebhookRetries());
    req.param("clientId").ifPresent(c -> n.put("tooManyRequests", sim.tooManyRequests(c)));
    return SimResponse.json(200, n);
  }

  /**
   * What the accounting API saw for one organisation: calls naming it, its writes by outcome and
   * fault, its latest reads; {@code ?clientId=} adds that app's peaks against Xero's limits.
   */
  SimResponse tenantCounters(SimRequest req) {
    ControlBody.parse(req);
    SimOrganisation org = ControlApi.organisation(sim, req);
    String tenantId = org.tenantId();
    int writes = 0;
    int committed = 0;
    int replayed = 0;
    Map<String, Integer> faults = new TreeMap<>();
    for (WriteAttempt w : sim.writeAttempts()) {
      if (!w.tenantId().equals(tenantId)) {
        continue;
      }
      writes++;
      committed += w.committed() ? 1 : 0;
      replayed += w.replayed() ? 1 : 0;
      if (w.fault() != null) {
        faults.merge(w.fault(), 1, Integer::sum);
      }
    }
    ObjectNode n =
        XeroJson.object()
            .put("tenantId", tenantId)
            .put("accountingCalls", sim.callCount(tenantId))
            .put("writeAttempts", writes)
            .put("writesCommitted", committed)
            .put("writesReplayed", replayed)
            .put("onlineInvoiceCalls", sim.onlineInvoiceCalls(tenantId));
    ObjectNode byFault = n.putObject("writeFaults");
    faults.forEach(byFault::put);
    ArrayNode reads = n.putArray("recentReads");
    sim.reads(tenantId).forEach(reads::add);
    req.param("clientId")
        .ifPresent(
            c -> {
              RateLimiter.Peaks p = sim.peaks(c, tenantId);
              n.putObject("peaks")
                  .put("clientId", c)
                  .put("inFlight", p.inFlight())
                  .put("perMinute", p.perMinute());
            });
    return SimResponse.json(200, n);
  }
}

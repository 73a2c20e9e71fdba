package dev.xerosync.infra.xero.control;

import dev.xerosync.infra.xero.Faults;
import dev.xerosync.infra.xero.XeroSimulator;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import java.util.Arrays;
import java.util.List;

/** Switches the simulator's faults ({@link Faults}) at runtime: each route is one of its knobs. */
final class FaultControl {
  private static final List<String> WRITE_FAULTS =
      Arrays.stream(Faults.WriteFault.values()).map(Enum::name).toList();
  private static final List<String> RATE_LIMITS =
      List.of("CONCURRENT", "MINUTE", "DAY", "APPMINUTE");

  /** Enough for any demo; a bound keeps a typo from queueing millions. */
  private static final int MAX_QUEUED = 10_000;

  private final Faults faults;

  FaultControl(XeroSimulator sim) {
    this.faults = sim.faults();
  }

  /**
   * {@code {"fault":"RESPONSE_LOST_AFTER_COMMIT","next":2}} queues the fault for the next writes;
   * {@code "rate":0.1} draws it for each write instead; {@code "slowCommit":"PT5S"} sets how long a
   * SLOW_COMMIT holds.
   */
  SimResponse writes(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "fault", "next", "rate", "slowCommit");
    Faults.WriteFault fault = Faults.WriteFault.valueOf(body.choice("fault", WRITE_FAULTS));
    String how = body.oneOf("next", "rate");
    if (body.has("slowCommit")) {
      faults.slowCommit(body.duration("slowCommit"));
    }
    if (how.equals("next")) {
      faults.failNextWrites(fault, body.count("next", 1, MAX_QUEUED));
    } else {
      faults.writeFaults(fault, body.rate("rate"));
    }
    return ok();
  }

  /** {@code {"problem":"minute","next":3}}: the next calls get a 429 of that kind. */
  SimResponse rateLimits(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "problem", "next");
    String problem = body.choice("problem", RATE_LIMITS).toLowerCase(java.util.Locale.ROOT);
    faults.force429(problem, body.count("next", 1, MAX_QUEUED));
    return ok();
  }

  /**
   * {@code {"serverErrorRate":0.1}}, {@code {"slowRate":0.2,"slowDelay":"PT2S"}}: faults on every
   * accounting call, reads included.
   */
  SimResponse calls(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "serverErrorRate", "slowRate", "slowDelay");
    if (!body.has("serverErrorRate") && !body.has("slowRate")) {
      throw ControlProblem.badRequest("give serverErrorRate, slowRate or both");
    }
    if (body.has("slowDelay") && !body.has("slowRate")) {
      throw ControlProblem.badRequest("slowDelay goes with slowRate");
    }
    if (body.has("serverErrorRate")) {
      faults.serverErrors(body.rate("serverErrorRate"));
    }
    if (body.has("slowRate")) {
      faults.slowResponses(
          body.rate("slowRate"),
          body.has("slowDelay") ? body.duration("slowDelay") : java.time.Duration.ofSeconds(2));
    }
    return ok();
  }

  /** {@code {"drop":0.1,"duplicate":0.05,"reorder":0.2}}: each given rate replaces its own. */
  SimResponse webhooks(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "drop", "duplicate", "reorder");
    if (!body.has("drop") && !body.has("duplicate") && !body.has("reorder")) {
      throw ControlProblem.badRequest("give drop, duplicate or reorder");
    }
    if (body.has("drop")) {
      faults.dropWebhooks(body.rate("drop"));
    }
    if (body.has("duplicate")) {
      faults.duplicateWebhooks(body.rate("duplicate"));
    }
    if (body.has("reorder")) {
      faults.reorderWebhooks(body.rate("reorder"));
    }
    return ok();
  }

  /** {@code {"seed":42}}: the same seed and the same calls give the same faults. */
  SimResponse seed(SimRequest req) {
    ControlBody body = ControlBody.parse(req, "seed");
    faults.reseed(body.whole("seed"));
    return ok();
  }

  /** Every fault off, queued ones dropped. */
  SimResponse clear(SimRequest req) {
    ControlBody.parse(req);
    faults.clear();
    return SimResponse.empty(204);
  }

  private static SimResponse ok() {
    return SimResponse.json(200, XeroJson.object().put("ok", true));
  }
}

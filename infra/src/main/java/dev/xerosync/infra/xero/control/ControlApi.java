package dev.xerosync.infra.xero.control;

import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.XeroSimulator;
import dev.xerosync.infra.xero.accounting.ReaderPass;
import dev.xerosync.infra.xero.http.Route;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.ledger.LedgerException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The simulator's control API: what tests do through {@link XeroSimulator}, {@link SimOrganisation}
 * and {@code Faults}, over HTTP under {@code /_sim/}, a prefix no Xero path uses. It is off unless
 * {@link #mount} is called (the local stack and {@code ./dev up} do), and every route needs the
 * bearer token made here, random per run. The same call makes the read-only token a separate reader
 * app uses on Xero's own GET routes (see {@link ReaderPass}).
 */
public final class ControlApi {
  static final String PREFIX = "/_sim";

  private record Binding(String method, String template, Route route) {}

  private final String controlToken;
  private final String readerToken;

  private ControlApi(String controlToken, String readerToken) {
    this.controlToken = controlToken;
    this.readerToken = readerToken;
  }

  /** Switches the control API and the read-only token on; call before {@code start()}. */
  public static ControlApi mount(XeroSimulator sim) {
    ControlApi api = new ControlApi(randomToken(), randomToken());
    byte[] control = api.controlToken.getBytes(StandardCharsets.UTF_8);
    byte[] reader = api.readerToken.getBytes(StandardCharsets.UTF_8);
    StateControl state = new StateControl(sim);
    FaultControl faults = new FaultControl(sim);
    BooksControl books = new BooksControl(sim);
    String t = PREFIX + "/tenants/{tenantId}";
    List<Binding> routes =
        List.of(
            new Binding("GET", PREFIX + "/tenants", state::tenants),
            new Binding("GET", PREFIX + "/clock", state::clock),
            new Binding("POST", PREFIX + "/clock", state::moveClock),
            new Binding("GET", PREFIX + "/counters", state::counters),
            new Binding("GET", t + "/counters", state::tenantCounters),
            new Binding("PUT", PREFIX + "/rate-limits", state::rateLimits),
            new Binding("POST", PREFIX + "/webhooks/verify", state::verifyWebhooks),
            new Binding("POST", PREFIX + "/faults/writes", faults::writes),
            new Binding("POST", PREFIX + "/faults/rate-limits", faults::rateLimits),
            new Binding("POST", PREFIX + "/faults/calls", faults::calls),
            new Binding("POST", PREFIX + "/faults/webhooks", faults::webhooks),
            new Binding("POST", PREFIX + "/faults/seed", faults::seed),
            new Binding("DELETE", PREFIX + "/faults", faults::clear),
            new Binding("POST", t + "/contacts", books::createContact),
            new Binding("PATCH", t + "/contacts/{contactId}", books::editContact),
            new Binding("POST", t + "/contacts/{contactId}/archive", books::archiveContact),
            new Binding("POST", t + "/contacts/{contactId}/restore", books::restoreContact),
            new Binding("POST", t + "/contacts/{contactId}/merge", books::mergeContact),
            new Binding("POST", t + "/currencies", books::subscribeCurrency),
            new Binding("PUT", t + "/lock-dates", books::lockDates),
            new Binding("POST", t + "/invoices", books::createInvoice),
            new Binding("POST", t + "/invoices/{invoiceId}/status", books::invoiceStatus),
            new Binding("POST", t + "/payments", books::pay),
            new Binding("POST", t + "/payments/{paymentId}/reverse", books::reversePayment),
            new Binding("POST", t + "/credit-notes", books::creditNote),
            new Binding("POST", t + "/credit-notes/{creditNoteId}/allocations", books::allocate));
    for (Binding b : routes) {
      sim.mount(b.method(), b.template(), guarded(control, reader, b.route()));
    }
    sim.mountOtherwise(
        PREFIX, (req, allowed) -> guarded(control, reader, r -> noRoute(r, allowed)).handle(req));
    sim.readerToken(api.readerToken);
    return api;
  }

  /** The bearer token for {@code /_sim/} routes. */
  public String controlToken() {
    return controlToken;
  }

  /** The bearer token that reads Xero's GET routes for any organisation, and nothing else. */
  public String readerToken() {
    return readerToken;
  }

  @Override
  public String toString() {
    return "ControlApi[tokens redacted]";
  }

  /**
   * Checks the control token (constant time), then runs the route; a refusal becomes its problem, a
   * ledger refusal a 422 with Xero's words.
   */
  static Route guarded(byte[] control, byte[] reader, Route route) {
    return req -> {
      if (!ReaderPass.bearerEquals(req, control)) {
        boolean isReader = ReaderPass.bearerEquals(req, reader);
        SimResponse r =
            isReader
                ? ControlProblem.response(
                    403, "Forbidden", "the read-only token cannot use the control API")
                : ControlProblem.response(
                    401, "Unauthorized", "the control API needs its bearer token");
        return isReader ? r : r.header("WWW-Authenticate", "Bearer");
      }
      try {
        return route.handle(req);
      } catch (ControlProblem p) {
        return p.response();
      } catch (LedgerException e) {
        return ControlProblem.refused(String.join(" ", e.messages())).response();
      } catch (IllegalArgumentException e) {
        return ControlProblem.badRequest(e.getMessage()).response();
      }
    };
  }

  /**
   * A control request no route takes: 405 naming the methods its path takes, else 404, as problems
   * like the rest of the control API rather than the front's plain text in Xero's words.
   */
  static SimResponse noRoute(SimRequest req, List<String> allowed) {
    if (allowed.isEmpty()) {
      return ControlProblem.notFound(
              "no control route " + req.path() + "; docs/simulator.md lists them")
          .response();
    }
    return ControlProblem.response(
            405,
            "Method Not Allowed",
            req.path() + " takes " + String.join(", ", allowed) + ", not " + req.method())
        .header("Allow", String.join(", ", allowed));
  }

  /** The organisation the path names, or 404. */
  static SimOrganisation organisation(XeroSimulator sim, SimRequest req) {
    String tenantId = req.pathParams().getFirst();
    try {
      return sim.organisation(tenantId);
    } catch (IllegalArgumentException e) {
      throw ControlProblem.notFound("no organisation " + tenantId);
    }
  }

  private static String randomToken() {
    byte[] b = new byte[32];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }
}

package dev.xerosync.infra.xero.accounting;

import dev.xerosync.infra.xero.http.Problems;
import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.ledger.Ledger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.function.Function;

/**
 * A simulator-only bearer token that reads any organisation's accounting API without being one of
 * its apps: no connection, no rate limit, no fault, no call counted. A person checks Xero's state
 * with it while the product runs, without spending the tenant's 60 calls a minute or making the
 * counters tests read lie. It only reads: every other method is refused before any operation runs.
 */
public final class ReaderPass {
  /** The app name a reader's answers carry as ProviderName. */
  public static final String CLIENT_ID = "xero-sim-reader";

  private final byte[] token;

  public ReaderPass(String token) {
    if (token.length() < 32) {
      throw new IllegalArgumentException("a reader token needs at least 32 characters");
    }
    this.token = token.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether the request's bearer token is this one, compared in constant time. */
  public boolean holds(SimRequest req) {
    return bearerEquals(req, token);
  }

  /** Constant-time check of the request's bearer token against {@code expected}. */
  public static boolean bearerEquals(SimRequest req, byte[] expected) {
    String auth = req.header("authorization").orElse("");
    if (!auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return false;
    }
    byte[] given = auth.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(given, expected);
  }

  /** Runs a GET for the named tenant; anything else is refused with 403. */
  SimResponse serve(SimRequest req, AccountingOperation op, Function<String, Ledger> ledgers)
      throws Exception {
    if (!"GET".equals(req.method())) {
      return Problems.problem(403, "Forbidden", "The simulator's read-only token cannot write");
    }
    String tenantId = req.header("xero-tenant-id").map(String::trim).orElse("");
    Ledger ledger = ledgers.apply(tenantId.toLowerCase(Locale.ROOT));
    if (ledger == null) {
      return Problems.forbidden();
    }
    return op.handle(new AccountingCall(req, ledger, CLIENT_ID, CLIENT_ID));
  }
}

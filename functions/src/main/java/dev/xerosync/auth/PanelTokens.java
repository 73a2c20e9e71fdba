package dev.xerosync.auth;

import dev.xerosync.common.Problem;
import dev.xerosync.common.Sha256;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.PanelGrants;
import dev.xerosync.store.PanelGrants.Grant;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Panel tokens (and settings tokens, {@link #settings}): what a browser holds instead of an API
 * key. The SaaS backend mints one per page view for one tenant and one CRM record ({@code xsp_} +
 * 256 random bits, at most 15 minutes, audience {@code panel}); it lets the panel read that
 * record's invoices and pin or unpin them, and nothing else. Only the token's SHA-256 is stored, as
 * with API keys.
 *
 * <p>A plain class with no HTTP in it, so a Lambda authorizer can make the same decision with
 * {@link #check} and {@link #allows}.
 */
public final class PanelTokens {
  public static final String PREFIX = "xsp_";
  public static final String AUDIENCE = "panel";

  /**
   * Settings tokens ({@code xst_}, audience {@code settings}): what {@code <xero-connection>} holds
   * on the host's settings page. Minted and checked as panel tokens are, for the tenant's settings
   * routes ({@link #SETTINGS_ROUTES}) and nothing else; a panel token never passes as one, nor the
   * reverse.
   */
  public static final String SETTINGS_PREFIX = "xst_";

  public static final String SETTINGS_AUDIENCE = "settings";

  /** The routes a settings token may call, all of its own tenant. */
  public static final Set<String> SETTINGS_ROUTES =
      Set.of(
          "GET /tenants/{tenantId}/settings/connection",
          "GET /tenants/{tenantId}/settings/accounts",
          "GET /tenants/{tenantId}/settings/accounting",
          "PUT /tenants/{tenantId}/settings/accounting",
          "GET /tenants/{tenantId}/operations/{operationId}");

  public static final Duration MAX_TTL = Duration.ofMinutes(15);
  public static final Duration MIN_TTL = Duration.ofMinutes(1);
  public static final int MAX_ORIGINS = 10;

  /** The routes a panel token may call, besides one invoice's detail (see {@link #allows}). */
  static final Set<String> RECORD_ROUTES =
      Set.of(
          "GET /tenants/{tenantId}/records/{recordType}/{recordId}",
          "GET /tenants/{tenantId}/records/{recordType}/{recordId}/invoices",
          "GET /tenants/{tenantId}/records/{recordType}/{recordId}/totals",
          "GET /tenants/{tenantId}/records/{recordType}/{recordId}/aging",
          "POST /tenants/{tenantId}/records/{recordType}/{recordId}/pins",
          "DELETE /tenants/{tenantId}/records/{recordType}/{recordId}/pins/{invoiceId}");

  public static final String INVOICE_ROUTE = "GET /tenants/{tenantId}/invoices/{invoiceId}";
  public static final String STATUS_ROUTE = "GET /tenants/{tenantId}/panel-status";

  /**
   * An invoice's online invoice link and PDF link; the caller checks the invoice is the record's.
   */
  public static final String DOCUMENTS_ROUTE =
      "GET /tenants/{tenantId}/invoices/{invoiceId}/documents";

  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * A grant is trusted this long per container; its minting key's liveness is checked on every use
   * (itself cached as long), so a token dies with its key within {@link ApiKeys#REVOCATION_BOUND}.
   */
  private static final Duration CACHE_TTL = ApiKeys.REVOCATION_BOUND;

  /** A freshly minted token; the token itself is shown once and never stored. */
  public record Issued(String token, Grant grant) {}

  /** 403: a live token, but not for this tenant, route or record. */
  private static Problem notThisRecord(String detail) {
    return new Problem(403, "Not this panel's record", detail);
  }

  private record Cached(Grant grant, Instant until) {}

  private final PanelGrants grants;
  private final ApiKeys keys;
  private final Clock clock;
  private final String prefix;
  private final String audience;
  private final String noun;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  /** Panel tokens. */
  public PanelTokens(PanelGrants grants, ApiKeys keys, Clock clock) {
    this(grants, keys, clock, PREFIX, AUDIENCE, "panel token");
  }

  private PanelTokens(
      PanelGrants grants, ApiKeys keys, Clock clock, String prefix, String audience, String noun) {
    this.grants = grants;
    this.keys = keys;
    this.clock = clock;
    this.prefix = prefix;
    this.audience = audience;
    this.noun = noun;
  }

  /** Settings tokens: the same minting and checks, another prefix and audience. */
  public static PanelTokens settings(PanelGrants grants, ApiKeys keys, Clock clock) {
    return new PanelTokens(
        grants, keys, clock, SETTINGS_PREFIX, SETTINGS_AUDIENCE, "settings token");
  }

  public static boolean isPanelToken(@Nullable String bearer) {
    return bearer != null && bearer.startsWith(PREFIX);
  }

  public static boolean isSettingsToken(@Nullable String bearer) {
    return bearer != null && bearer.startsWith(SETTINGS_PREFIX);
  }

  /** The audience of the tokens this instance mints and accepts. */
  public String audience() {
    return audience;
  }

  /** 401: a token that is malformed, unknown or expired. */
  private Problem invalid(String detail) {
    return new Problem(
        401, Character.toUpperCase(noun.charAt(0)) + noun.substring(1) + " not valid", detail);
  }

  /** Mints a token bound to the live key {@code keyId} that asks for it; it dies with that key. */
  public Issued mint(
      String tenantId, @Nullable String keyId, String recordType, String recordId, Duration ttl)
      throws Problem {
    if (ttl.compareTo(MIN_TTL) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw Problem.invalid(
          "ttlSeconds must be from "
              + MIN_TTL.toSeconds()
              + " to "
              + MAX_TTL.toSeconds()
              + " (15 minutes); mint a new token when it runs out");
    }
    // Read consistently: a key revoked or purged a moment ago mints nothing.
    if (keyId == null || !keys.liveNow(tenantId, keyId)) {
      throw new Problem(
          401,
          "API key not valid",
          "The API key was revoked or removed; it mints no " + noun + ".");
    }
    byte[] secret = new byte[32];
    RANDOM.nextBytes(secret);
    String token = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    Grant grant =
        new Grant(
            tenantId,
            recordType,
            recordId,
            audience,
            clock.instant().plus(ttl).truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
            keyId);
    grants.put(hash(token), grant);
    return new Issued(token, grant);
  }

  /** The live grant of a presented token. */
  public Grant check(@Nullable String token) throws Problem {
    if (token == null || !token.startsWith(prefix) || token.length() > 100) {
      throw invalid("The " + noun + " is malformed; ask your backend for a new one.");
    }
    String hash = hash(token);
    Instant now = clock.instant();
    Cached cached = cache.get(hash);
    Grant grant;
    if (cached != null && now.isBefore(cached.until())) {
      grant = cached.grant();
    } else {
      grant =
          grants
              .get(hash)
              .orElseThrow(
                  () ->
                      invalid(
                          "The "
                              + noun
                              + " is not known: it was never minted or has been removed. Ask your"
                              + " backend for a new one."));
      Instant until = now.plus(CACHE_TTL);
      cache.put(
          hash, new Cached(grant, until.isBefore(grant.expiresAt()) ? until : grant.expiresAt()));
    }
    if (!audience.equals(grant.audience())) {
      throw invalid("The token's audience is not '" + audience + "'.");
    }
    if (!now.isBefore(grant.expiresAt())) {
      cache.remove(hash);
      throw invalid(
          "The " + noun + " expired at " + grant.expiresAt() + "; ask your backend for a new one.");
    }
    if (grant.keyId() == null || !keys.live(grant.tenantId(), grant.keyId())) {
      cache.remove(hash);
      throw invalid(
          "The API key that minted this "
              + noun
              + " was revoked or removed; ask your backend for a new one.");
    }
    return grant;
  }

  /** Whether a settings grant covers a route: its own tenant's settings routes only. */
  public static void allowsSettings(Grant grant, String route, Map<String, String> pathParameters)
      throws Problem {
    if (!SETTINGS_AUDIENCE.equals(grant.audience())
        || !grant.tenantId().equals(pathParameters.get("tenantId"))) {
      throw new Problem(
          403, "Not this tenant's settings", "This settings token is for another tenant.");
    }
    if (!SETTINGS_ROUTES.contains(route)) {
      throw new Problem(
          403,
          "Not a settings route",
          "A settings token reads and changes the tenant's Xero settings only; "
              + route
              + " needs an API key.");
    }
  }

  /**
   * Whether a grant covers a route: the tenant must match, and for record routes the record too. An
   * invoice's detail is allowed here; the caller still checks that the invoice is the record's.
   */
  public static void allows(Grant grant, String route, Map<String, String> pathParameters)
      throws Problem {
    Map<String, String> p = pathParameters == null ? Map.of() : pathParameters;
    if (!AUDIENCE.equals(grant.audience())) {
      throw notThisRecord("Only a panel token reads a record's invoices.");
    }
    if (!grant.tenantId().equals(p.get("tenantId"))) {
      throw notThisRecord("This panel token is for another tenant.");
    }
    if (route.equals(INVOICE_ROUTE)
        || route.equals(STATUS_ROUTE)
        || route.equals(DOCUMENTS_ROUTE)) {
      return;
    }
    if (!RECORD_ROUTES.contains(route)) {
      throw notThisRecord(
          "A panel token reads and pins one record's invoices only; "
              + route
              + " needs an API key.");
    }
    if (!grant.recordType().equals(p.get("recordType"))
        || !grant.recordId().equals(p.get("recordId"))) {
      throw notThisRecord(
          "This panel token is for record "
              + grant.recordType()
              + "/"
              + grant.recordId()
              + ", not this one.");
    }
  }

  /**
   * Origins as a browser sends them: https with a host (and a port), or http on localhost for
   * development; no path, no credentials.
   */
  public static List<String> validOrigins(List<String> origins) throws Problem {
    if (origins.size() > MAX_ORIGINS) {
      throw Problem.invalid("at most " + MAX_ORIGINS + " origins may embed the panel");
    }
    List<String> out = new ArrayList<>();
    for (String o : origins) {
      URI u;
      try {
        u = URI.create(o);
      } catch (IllegalArgumentException e) {
        throw Problem.invalid("origin '" + truncate(o) + "' is not a URL");
      }
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      String host = u.getHost();
      boolean local = "localhost".equals(host) || "127.0.0.1".equals(host);
      boolean bare =
          u.getRawUserInfo() == null
              && (u.getRawPath() == null || u.getRawPath().isEmpty())
              && u.getRawQuery() == null
              && u.getRawFragment() == null;
      if (host == null || !bare || !(scheme.equals("https") || (scheme.equals("http") && local))) {
        throw Problem.invalid(
            "origin '"
                + truncate(o)
                + "' must be scheme://host[:port] with https (http only for localhost), such as https://crm.example.com");
      }
      out.add(
          scheme
              + "://"
              + host.toLowerCase(Locale.ROOT)
              + (u.getPort() < 0 ? "" : ":" + u.getPort()));
    }
    return out;
  }

  /** One origin, normalised as {@link #validOrigins} does. */
  public static String validOrigin(String origin) throws Problem {
    return validOrigins(List.of(origin)).get(0);
  }

  /**
   * What a tenant's allowed origin gets back: the answer, its ETag (for If-None-Match polling), and
   * for a preflight the methods and headers the panel sends.
   */
  public static Map<String, String> corsHeaders(String origin) {
    return Map.of(
        "Access-Control-Allow-Origin", origin,
        "Access-Control-Expose-Headers", "ETag",
        "Access-Control-Allow-Methods", "GET, POST, PUT, DELETE",
        "Access-Control-Allow-Headers", "Authorization, Content-Type, If-None-Match",
        "Access-Control-Max-Age", "600");
  }

  static String hash(String token) {
    return Sha256.hex(token);
  }

  private static String truncate(String s) {
    return s.length() > 64 ? s.substring(0, 64) + "…" : s;
  }
}

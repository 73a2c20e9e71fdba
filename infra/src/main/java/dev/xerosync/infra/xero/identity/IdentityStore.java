package dev.xerosync.infra.xero.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.XeroJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Xero Identity's state: registered apps, user authorisations with their tenant connections,
 * authorisation codes, access tokens and refresh tokens. Lifetimes follow Xero: access 30 min,
 * refresh rotates on every use with a 30-minute grace for the previous one, and lapses after 60
 * days unused. Codes last 5 minutes and are single-use.
 */
public final class IdentityStore {
  public static final Duration ACCESS_TTL = Duration.ofMinutes(30);
  public static final Duration REFRESH_GRACE = Duration.ofMinutes(30);
  public static final Duration REFRESH_TTL = Duration.ofDays(60);
  public static final Duration CODE_TTL = Duration.ofMinutes(5);
  public static final String DEFAULT_SCOPE =
      "openid profile email accounting.transactions accounting.contacts accounting.settings offline_access";

  public record App(String clientId, String clientSecret, String name) {}

  public record Connection(
      String id,
      String tenantId,
      String authEventId,
      Instant createdDateUtc,
      Instant updatedDateUtc) {}

  /** One user's consent to one app: the set of tenants the app may reach on that user's behalf. */
  public static final class Authorisation {
    final String id = UUID.randomUUID().toString();
    final String clientId;
    final String userId;
    final List<Connection> connections = new ArrayList<>();
    volatile boolean revoked;

    Authorisation(String clientId, String userId) {
      this.clientId = clientId;
      this.userId = userId;
    }

    public synchronized List<Connection> connections() {
      return List.copyOf(connections);
    }

    public String clientId() {
      return clientId;
    }

    public synchronized boolean connectedTo(String tenantId) {
      return !revoked && connections.stream().anyMatch(c -> c.tenantId().equals(tenantId));
    }
  }

  public record AccessToken(
      String token,
      Authorisation authorisation,
      String authEventId,
      Instant expiresAt,
      String scope) {}

  record RefreshToken(
      String token,
      Authorisation authorisation,
      String authEventId,
      String scope,
      Instant issuedAt,
      Instant supersededAt) {}

  record Code(
      String code,
      String clientId,
      String redirectUri,
      String scope,
      List<String> tenantIds,
      String userId,
      String codeChallenge,
      Instant expiresAt) {}

  /**
   * idToken is present when the scope asks for openid, as Xero's is; it carries the user's email
   * with the email scope.
   */
  public record Issued(
      String accessToken,
      String refreshToken,
      Instant accessExpiresAt,
      String authEventId,
      String scope,
      String idToken) {}

  public sealed interface Check {
    record Valid(AccessToken token) implements Check {}

    record Expired(Instant at) implements Check {}

    record Invalid() implements Check {}
  }

  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final byte[] signingKey = new byte[32];
  private final Map<String, App> apps = new ConcurrentHashMap<>();
  private final Map<String, Authorisation> authorisationsByUser = new ConcurrentHashMap<>();
  private final List<Authorisation> authorisations =
      java.util.Collections.synchronizedList(new ArrayList<>());
  private final Map<String, AccessToken> accessTokens = new ConcurrentHashMap<>();
  private final Map<String, RefreshToken> refreshTokens = new ConcurrentHashMap<>();
  private final Map<String, Code> codes = new ConcurrentHashMap<>();
  private volatile String issuer = "https://identity.xero.com";
  private final java.util.Set<String> issuedValues = ConcurrentHashMap.newKeySet();
  private final java.util.concurrent.atomic.AtomicInteger refreshRequests =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger refreshRefusals =
      new java.util.concurrent.atomic.AtomicInteger();

  public IdentityStore(Clock clock) {
    this.clock = clock;
    random.nextBytes(signingKey);
  }

  public void issuer(String iss) {
    this.issuer = iss;
  }

  public void registerApp(String clientId, String clientSecret, String name) {
    apps.put(clientId, new App(clientId, clientSecret, name));
  }

  private final Map<String, java.util.Set<String>> redirectUris = new ConcurrentHashMap<>();

  /** Adds a redirect URI to an app's registered ones, as on Xero's app configuration page. */
  public void registerRedirectUri(String clientId, String uri) {
    redirectUris.computeIfAbsent(clientId, k -> ConcurrentHashMap.newKeySet()).add(uri);
  }

  /**
   * Whether Xero would send a browser to {@code uri} for this app: only a registered URI, exactly.
   * An app registered without any (simulator tests of other concerns) accepts any.
   */
  public boolean redirectAllowed(String clientId, String uri) {
    var registered = redirectUris.get(clientId);
    return registered == null || registered.contains(uri);
  }

  public Optional<App> app(String clientId) {
    return Optional.ofNullable(apps.get(clientId));
  }

  public List<App> apps() {
    return List.copyOf(apps.values());
  }

  /**
   * Consent by a user (a fresh one when userId is null) to connect tenants; returns the tokens an
   * app would receive.
   */
  public synchronized Issued consent(
      String clientId, String userId, List<String> tenantIds, String scope) {
    requireApp(clientId);
    Authorisation auth =
        userId == null
            ? newAuthorisation(clientId, "user-" + UUID.randomUUID())
            : authorisationsByUser.computeIfAbsent(
                clientId + "|" + userId, k -> newAuthorisation(clientId, userId));
    String authEventId = connect(auth, tenantIds);
    return issue(auth, authEventId, scope == null ? DEFAULT_SCOPE : scope);
  }

  private Authorisation newAuthorisation(String clientId, String userId) {
    Authorisation a = new Authorisation(clientId, userId);
    authorisations.add(a);
    return a;
  }

  private String connect(Authorisation auth, List<String> tenantIds) {
    String authEventId = UUID.randomUUID().toString();
    Instant now = clock.instant();
    synchronized (auth) {
      auth.revoked = false;
      for (String t : tenantIds) {
        // Reconnecting keeps the connection id and creation time but takes the new auth event.
        Connection existing =
            auth.connections.stream().filter(c -> c.tenantId().equals(t)).findFirst().orElse(null);
        if (existing != null) {
          auth.connections.remove(existing);
          auth.connections.add(
              new Connection(existing.id(), t, authEventId, existing.createdDateUtc(), now));
        } else {
          auth.connections.add(
              new Connection(UUID.randomUUID().toString(), t, authEventId, now, now));
        }
      }
    }
    return authEventId;
  }

  private App requireApp(String clientId) {
    App app = apps.get(clientId);
    if (app == null) {
      throw new IllegalArgumentException("no app registered with client id " + clientId);
    }
    return app;
  }

  private Issued issue(Authorisation auth, String authEventId, String scope) {
    Instant now = clock.instant();
    Instant exp = now.plus(ACCESS_TTL);
    String access = jwt(auth, authEventId, scope, now, exp);
    accessTokens.put(access, new AccessToken(access, auth, authEventId, exp, scope));
    String refresh = null;
    if (scope.contains("offline_access")) {
      refresh = randomToken();
      refreshTokens.put(refresh, new RefreshToken(refresh, auth, authEventId, scope, now, null));
    }
    String idToken = scope.contains("openid") ? idToken(auth, scope, now, exp) : null;
    issuedValues.add(access);
    if (refresh != null) {
      issuedValues.add(refresh);
    }
    if (idToken != null) {
      issuedValues.add(idToken);
    }
    return new Issued(access, refresh, exp, authEventId, scope, idToken);
  }

  /**
   * The OpenID Connect id_token: who consented. A sim_user that looks like an email address is that
   * user's email.
   */
  private String idToken(Authorisation auth, String scope, Instant now, Instant exp) {
    ObjectNode claims =
        XeroJson.object()
            .put("nbf", now.getEpochSecond())
            .put("exp", exp.getEpochSecond())
            .put("iat", now.getEpochSecond())
            .put("iss", issuer)
            .put("aud", auth.clientId)
            .put("sub", auth.userId)
            .put("xero_userid", auth.userId)
            .put("auth_time", now.getEpochSecond());
    if (scope.contains("email")) {
      claims.put(
          "email", auth.userId.contains("@") ? auth.userId : auth.userId + "@users.xero-sim.test");
    }
    if (scope.contains("profile")) {
      claims
          .put("given_name", "Sim")
          .put("family_name", "User")
          .put("preferred_username", auth.userId);
    }
    return sign(XeroJson.object().put("alg", "HS256").put("typ", "JWT"), claims);
  }

  /**
   * Access tokens are JWT-shaped like Xero's, so clients that read exp or authentication_event_id
   * work.
   */
  private String jwt(
      Authorisation auth, String authEventId, String scope, Instant now, Instant exp) {
    ObjectNode header = XeroJson.object().put("alg", "HS256").put("typ", "JWT");
    ObjectNode claims =
        XeroJson.object()
            .put("nbf", now.getEpochSecond())
            .put("exp", exp.getEpochSecond())
            .put("iss", issuer)
            .put("aud", issuer + "/resources")
            .put("client_id", auth.clientId)
            .put("sub", auth.userId)
            .put("auth_time", now.getEpochSecond())
            .put("xero_userid", auth.userId)
            .put("global_session_id", UUID.randomUUID().toString())
            .put("jti", UUID.randomUUID().toString())
            .put("authentication_event_id", authEventId);
    claims
        .putArray("scope")
        .addAll(
            java.util.Arrays.stream(scope.split(" "))
                .map(XeroJson.MAPPER.getNodeFactory()::textNode)
                .toList());
    return sign(header, claims);
  }

  private String sign(ObjectNode header, ObjectNode claims) {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String unsigned =
        b64.encodeToString(header.toString().getBytes(StandardCharsets.UTF_8))
            + "."
            + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
      return unsigned
          + "."
          + b64.encodeToString(mac.doFinal(unsigned.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private String randomToken() {
    byte[] b = new byte[32];
    random.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /**
   * Client authentication as the token endpoint does it: the secret must match, or the app must be
   * a PKCE (no-secret) app.
   */
  public boolean authenticateClient(String clientId, String secret) {
    App app = apps.get(clientId);
    if (app == null) {
      return false;
    }
    if (app.clientSecret() == null) {
      return secret == null || secret.isEmpty();
    }
    return MessageDigest.isEqual(
        app.clientSecret().getBytes(StandardCharsets.UTF_8),
        (secret == null ? "" : secret).getBytes(StandardCharsets.UTF_8));
  }

  public String issueCode(
      String clientId,
      String redirectUri,
      String scope,
      List<String> tenantIds,
      String userId,
      String codeChallenge) {
    String code = randomToken();
    issuedValues.add(code);
    codes.put(
        code,
        new Code(
            code,
            clientId,
            redirectUri,
            scope == null ? DEFAULT_SCOPE : scope,
            List.copyOf(tenantIds),
            userId,
            codeChallenge,
            clock.instant().plus(CODE_TTL)));
    return code;
  }

  /** Exchanges a code once; empty means invalid_grant. */
  public synchronized Optional<Issued> redeemCode(
      String clientId, String code, String redirectUri, String verifier) {
    Code c = code == null ? null : codes.remove(code);
    if (c == null || !c.clientId().equals(clientId) || clock.instant().isAfter(c.expiresAt())) {
      return Optional.empty();
    }
    if (c.redirectUri() != null && !c.redirectUri().equals(redirectUri)) {
      return Optional.empty();
    }
    if (c.codeChallenge() != null) {
      if (verifier == null || !c.codeChallenge().equals(s256(verifier))) {
        return Optional.empty();
      }
    }
    String user = c.userId() == null ? "user-" + UUID.randomUUID() : c.userId();
    Authorisation auth =
        authorisationsByUser.computeIfAbsent(
            clientId + "|" + user, k -> newAuthorisation(clientId, user));
    String authEventId = connect(auth, c.tenantIds());
    return Optional.of(issue(auth, authEventId, c.scope()));
  }

  public static String s256(String verifier) {
    try {
      byte[] d =
          MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Rotates a refresh token. The presented token stays usable for the grace period after its first
   * use (so a client that crashed before saving the new one can retry), then fails; unused tokens
   * lapse after 60 days.
   */
  public synchronized Optional<Issued> refresh(String clientId, String token) {
    refreshRequests.incrementAndGet();
    Optional<Issued> issued = rotate(clientId, token);
    if (issued.isEmpty()) {
      refreshRefusals.incrementAndGet();
    }
    return issued;
  }

  /**
   * Refresh-token grants received, and how many were refused with invalid_grant: races show up
   * here.
   */
  public int refreshRequests() {
    return refreshRequests.get();
  }

  public int refreshRefusals() {
    return refreshRefusals.get();
  }

  /**
   * Every access token, refresh token, id_token and code ever issued: what a leak test looks for.
   */
  public java.util.Set<String> issuedValues() {
    return java.util.Set.copyOf(issuedValues);
  }

  private Optional<Issued> rotate(String clientId, String token) {
    RefreshToken rt = token == null ? null : refreshTokens.get(token);
    Instant now = clock.instant();
    if (rt == null || !rt.authorisation().clientId.equals(clientId) || rt.authorisation().revoked) {
      return Optional.empty();
    }
    if (rt.supersededAt() != null && now.isAfter(rt.supersededAt().plus(REFRESH_GRACE))) {
      return Optional.empty();
    }
    if (now.isAfter(rt.issuedAt().plus(REFRESH_TTL))) {
      return Optional.empty();
    }
    if (rt.supersededAt() == null) {
      refreshTokens.put(
          token,
          new RefreshToken(
              token, rt.authorisation(), rt.authEventId(), rt.scope(), rt.issuedAt(), now));
    }
    return Optional.of(issue(rt.authorisation(), rt.authEventId(), rt.scope()));
  }

  /**
   * RFC 7009 revocation of a refresh token: the whole authorisation goes, with its access tokens
   * and connections.
   */
  public synchronized boolean revoke(String clientId, String token) {
    RefreshToken rt = token == null ? null : refreshTokens.get(token);
    if (rt == null || !rt.authorisation().clientId.equals(clientId)) {
      return false;
    }
    Authorisation auth = rt.authorisation();
    auth.revoked = true;
    synchronized (auth) {
      auth.connections.clear();
    }
    refreshTokens.values().removeIf(r -> r.authorisation() == auth);
    accessTokens.values().removeIf(a -> a.authorisation() == auth);
    return true;
  }

  public Check check(String bearer) {
    AccessToken t = bearer == null ? null : accessTokens.get(bearer);
    if (t == null || t.authorisation().revoked) {
      return new Check.Invalid();
    }
    if (!clock.instant().isBefore(t.expiresAt())) {
      return new Check.Expired(t.expiresAt());
    }
    return new Check.Valid(t);
  }

  /**
   * Removes one connection of the token's authorisation; false when the id is not one of its
   * connections.
   */
  public boolean disconnect(Authorisation auth, String connectionId) {
    synchronized (auth) {
      return auth.connections.removeIf(c -> c.id().equals(connectionId));
    }
  }

  /** Every authorisation of any app touching a tenant: used when an organisation is removed. */
  public List<Authorisation> authorisations() {
    synchronized (authorisations) {
      return List.copyOf(authorisations);
    }
  }
}

package dev.xerosync.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.infra.aws.LocalAws;
import dev.xerosync.infra.xero.SimClock;
import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.TokenSet;
import dev.xerosync.infra.xero.XeroSimulator;
import dev.xerosync.store.RefreshLease;
import dev.xerosync.testsupport.SharedLocalAws;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The refresh lease against the DynamoDB stand-in, the Secrets Manager stand-in and the simulator's
 * rotating refresh tokens. Each worker is its own {@link AccessTokens} (its own container cache),
 * as separate Lambda containers would be; they share only what containers share: the table and the
 * secret.
 */
class RefreshRaceIntegrationTest {
  private static final String CLIENT_ID = "race-app";
  private static final String CLIENT_SECRET = "race-app-secret";
  private static final int WORKERS = 20;

  private static final SimClock CLOCK = SimClock.frozen(Instant.parse("2026-06-01T09:00:00Z"));
  private static LocalAws aws;
  private static XeroSimulator xero;
  private static TokenVault vault;
  private static String table;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() {
    aws = SharedLocalAws.get();
    xero = XeroSimulator.builder().clock(CLOCK).app(CLIENT_ID, CLIENT_SECRET).start();
    vault = new TokenVault(aws.secretsManager(), "race-test/connections/");
    table = aws.resources().tableName("Table");
  }

  @AfterAll
  static void stop() {
    xero.close();
  }

  private static AccessTokens worker() {
    return new AccessTokens(
        vault,
        new XeroIdentity(HTTP, xero.baseUrl(), CLIENT_ID, CLIENT_SECRET, CLOCK),
        new RefreshLease(aws.dynamoDb(), table, CLOCK),
        CLOCK);
  }

  private static String connect(String name) {
    SimOrganisation org = xero.createOrganisation(name);
    TokenSet granted = xero.grant(CLIENT_ID, org.tenantId());
    vault.write(
        org.tenantId(),
        new ConnectionTokens(
            granted.accessToken(),
            granted.refreshToken(),
            granted.accessTokenExpiresAt(),
            CLOCK.instant()));
    return org.tenantId();
  }

  private static int connectionsStatus(String accessToken) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(xero.baseUrl() + "/connections"))
                .header("Authorization", "Bearer " + accessToken)
                .GET()
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void twentyWorkersHitAnExpiredAccessTokenAtOnceAndExactlyOneRefreshReachesXero()
      throws Exception {
    String tenantId = connect("Race Ltd");
    String expired = vault.read(tenantId).orElseThrow().accessToken();
    CLOCK.advance(Duration.ofMinutes(31));
    assertThat(connectionsStatus(expired)).as("Xero refuses the expired token").isEqualTo(401);

    int refreshesBefore = xero.tokenRefreshRequests();
    int refusalsBefore = xero.tokenRefreshRefusals();
    CyclicBarrier start = new CyclicBarrier(WORKERS);
    AtomicInteger invalidGrants = new AtomicInteger();
    AtomicInteger otherFailures = new AtomicInteger();
    Set<String> tokensUsed = ConcurrentHashMap.newKeySet();
    List<Future<Integer>> outcomes = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(WORKERS)) {
      for (int i = 0; i < WORKERS; i++) {
        AccessTokens tokens = worker();
        outcomes.add(
            pool.submit(
                () -> {
                  start.await();
                  // What TenantSync does on a 401: replace the rejected token, then retry the call.
                  try {
                    String fresh = tokens.replaceRejected(tenantId, expired);
                    tokensUsed.add(fresh);
                    return connectionsStatus(fresh);
                  } catch (TokenRefreshException e) {
                    (e.isInvalidGrant() ? invalidGrants : otherFailures).incrementAndGet();
                    return -1;
                  }
                }));
      }
    }
    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> f : outcomes) {
      statuses.add(f.get());
    }

    int refreshes = xero.tokenRefreshRequests() - refreshesBefore;
    int refusals = xero.tokenRefreshRefusals() - refusalsBefore;
    System.out.printf(
        "refresh race: %d workers, %d refresh call(s) reached Xero, %d refused, %d invalid_grant, %d other failures%n",
        WORKERS, refreshes, refusals, invalidGrants.get(), otherFailures.get());
    assertThat(refreshes).as("refresh calls reaching Xero").isEqualTo(1);
    assertThat(refusals).as("refreshes Xero refused").isZero();
    assertThat(invalidGrants.get()).as("invalid_grant errors seen by workers").isZero();
    assertThat(otherFailures.get()).isZero();
    assertThat(statuses)
        .as("every worker proceeds with a token Xero accepts")
        .hasSize(WORKERS)
        .containsOnly(200);
    assertThat(tokensUsed)
        .as("all workers use the one refreshed token")
        .hasSize(1)
        .doesNotContain(expired);
    assertThat(vault.read(tenantId).orElseThrow().accessToken())
        .as("the refreshed token was persisted")
        .isIn(tokensUsed);
  }

  @Test
  void aWarmWorkerServesFromItsCacheAndTheNewTokenIsStoredBeforeUse() throws Exception {
    String tenantId = connect("Cache Ltd");
    AccessTokens tokens = worker();
    String first = tokens.accessToken(tenantId);
    // Deleting the secret proves the second call never reads Secrets Manager.
    aws.secretsManager()
        .deleteSecret(r -> r.secretId(vault.secretName(tenantId)).forceDeleteWithoutRecovery(true));
    assertThat(tokens.accessToken(tenantId)).isEqualTo(first);
  }

  @Test
  void theLeaseIsExclusiveUntilItExpiresAndOnlyItsHolderReleasesIt() {
    RefreshLease lease = new RefreshLease(aws.dynamoDb(), table, CLOCK);
    String tenantId = "lease-" + System.nanoTime();
    assertThat(lease.tryAcquire(tenantId, "a", Duration.ofSeconds(30))).isTrue();
    assertThat(lease.tryAcquire(tenantId, "b", Duration.ofSeconds(30))).as("held by a").isFalse();
    lease.release(tenantId, "b");
    assertThat(lease.tryAcquire(tenantId, "b", Duration.ofSeconds(30)))
        .as("b cannot release a's lease")
        .isFalse();

    CLOCK.advance(Duration.ofSeconds(31));
    assertThat(lease.tryAcquire(tenantId, "b", Duration.ofSeconds(30)))
        .as("a's lease lapsed: a crashed holder blocks nobody")
        .isTrue();
    lease.release(tenantId, "a");
    assertThat(lease.tryAcquire(tenantId, "c", Duration.ofSeconds(30)))
        .as("a's late release leaves b's lease alone")
        .isFalse();
    lease.release(tenantId, "b");
    assertThat(lease.tryAcquire(tenantId, "c", Duration.ofSeconds(30))).isTrue();
  }

  @Test
  void aRevokedConnectionIsReportedAsInvalidGrantWithAPlainReason() throws Exception {
    String tenantId = connect("Revoked Ltd");
    String refresh = vault.read(tenantId).orElseThrow().refreshToken();
    HttpResponse<Void> revoked =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(xero.baseUrl() + "/connect/revocation"))
                .header(
                    "Authorization",
                    "Basic "
                        + java.util.Base64.getEncoder()
                            .encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("token=" + refresh))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    assertThat(revoked.statusCode()).isEqualTo(200);
    CLOCK.advance(Duration.ofMinutes(31));

    TokenRefreshException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            TokenRefreshException.class, () -> worker().accessToken(tenantId));
    assertThat(e.isInvalidGrant()).isTrue();
    assertThat(e.getMessage()).contains("revoked").doesNotContain(refresh);
  }

  @Test
  void anIdleConnectionIsRefreshedBeforeXerosSixtyDayExpiry() throws Exception {
    String tenantId = connect("Idle Ltd");
    String oldRefresh = vault.read(tenantId).orElseThrow().refreshToken();
    CLOCK.advance(Duration.ofDays(45));
    AccessTokens tokens = worker();
    assertThat(
            tokens.refreshIfRefreshedBefore(tenantId, CLOCK.instant().minus(Duration.ofDays(30))))
        .isTrue();
    assertThat(
            tokens.refreshIfRefreshedBefore(tenantId, CLOCK.instant().minus(Duration.ofDays(30))))
        .as("just refreshed: nothing to do")
        .isFalse();
    assertThat(vault.read(tenantId).orElseThrow().refreshToken()).isNotEqualTo(oldRefresh);

    CLOCK.advance(Duration.ofDays(45));
    assertThat(connectionsStatus(tokens.accessToken(tenantId)))
        .as("alive 90 days after connecting")
        .isEqualTo(200);
  }
}

package dev.xerosync.infra.xero;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.infra.xero.identity.IdentityStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** OAuth 2 behaviour as Xero's identity service documents it, driven over HTTP. */
class XeroSimulatorIdentityIntegrationTest {
  static final String CLIENT = "app-1";
  static final String SECRET = "s3cret";
  static final String REDIRECT = "http://localhost:9999/callback";

  SimClock clock = SimClock.frozen(Instant.parse("2026-03-01T10:00:00Z"));
  XeroSimulator sim;
  SimHttp http;
  SimOrganisation org;

  @BeforeEach
  void start() {
    sim = XeroSimulator.builder().clock(clock).app(CLIENT, SECRET).app("pkce-app", null).start();
    http = new SimHttp(sim.baseUrl());
    org = sim.createOrganisation("Org One");
  }

  @AfterEach
  void stop() {
    sim.close();
  }

  /**
   * The authorization-code flow: login page (auto-consent), redirect with code, token exchange with
   * Basic auth.
   */
  JsonNode codeFlow(String tenants) {
    String code =
        authorize(
            "client_id="
                + CLIENT
                + "&response_type=code&scope=openid%20offline_access%20accounting.transactions"
                + "&redirect_uri="
                + REDIRECT
                + "&state=xyz&sim_consent="
                + tenants);
    SimHttp.Resp r =
        http.form(
            "/connect/token",
            CLIENT,
            SECRET,
            Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  String authorize(String query) {
    SimHttp.Resp r = http.get("/identity/connect/authorize?" + query, null, null);
    assertThat(r.status()).as(r.body()).isEqualTo(302);
    String loc = r.header("Location");
    assertThat(loc).startsWith(REDIRECT + "?code=").contains("state=xyz");
    return java.net.URLDecoder.decode(
        loc.replaceAll(".*[?&]code=([^&]+).*", "$1"), java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void aRedirectUriTheAppDidNotRegisterIsAnErrorPageNeverARedirect() {
    sim.redirectUri(CLIENT, java.net.URI.create(REDIRECT));
    assertThat(
            authorize(
                "client_id="
                    + CLIENT
                    + "&response_type=code&scope=openid&redirect_uri="
                    + REDIRECT
                    + "&state=xyz&sim_consent="
                    + org.tenantId()))
        .isNotEmpty();
    for (String other :
        new String[] {
          "http://evil.example/v1/connect/callback", "javascript://x/%0aalert(1)", REDIRECT + "/x"
        }) {
      SimHttp.Resp r =
          http.get(
              "/identity/connect/authorize?client_id="
                  + CLIENT
                  + "&response_type=code&scope=openid&redirect_uri="
                  + java.net.URLEncoder.encode(other, java.nio.charset.StandardCharsets.UTF_8)
                  + "&state=xyz&sim_consent="
                  + org.tenantId(),
              null,
              null);
      assertThat(r.status()).as(other).isEqualTo(400);
      assertThat(r.header("Location")).isNull();
      assertThat(r.body()).contains("Invalid redirect_uri");
    }
  }

  SimHttp.Resp refresh(String refreshToken) {
    return http.form(
        "/connect/token",
        CLIENT,
        SECRET,
        Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
  }

  @Test
  void codeExchangeReturnsXeroTokenResponse() {
    JsonNode t = codeFlow(org.tenantId());
    assertThat(t.get("expires_in").asInt()).isEqualTo(1800);
    assertThat(t.get("token_type").asText()).isEqualTo("Bearer");
    assertThat(t.get("access_token").asText().split("\\.")).hasSize(3);
    assertThat(t.get("refresh_token").asText()).isNotBlank();
    assertThat(t.get("scope").asText()).contains("offline_access");
  }

  @Test
  void codeIsSingleUseAndClientMustAuthenticate() {
    String code =
        authorize(
            "client_id="
                + CLIENT
                + "&response_type=code&redirect_uri="
                + REDIRECT
                + "&state=xyz&sim_consent=all");
    Map<String, String> form =
        Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT);
    assertThat(http.form("/connect/token", CLIENT, "wrong", form).json().get("error").asText())
        .isEqualTo("invalid_client");
    assertThat(http.form("/connect/token", CLIENT, SECRET, form).status()).isEqualTo(200);
    SimHttp.Resp again = http.form("/connect/token", CLIENT, SECRET, form);
    assertThat(again.status()).isEqualTo(400);
    assertThat(again.json().get("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void refreshTokensRotateWithThirtyMinuteGrace() {
    TokenSet t = sim.grant(CLIENT, org.tenantId());
    SimHttp.Resp first = refresh(t.refreshToken());
    assertThat(first.status()).isEqualTo(200);
    String r2 = first.json().get("refresh_token").asText();
    assertThat(r2).isNotEqualTo(t.refreshToken());

    clock.advance(Duration.ofMinutes(29));
    assertThat(refresh(t.refreshToken()).status()).as("previous token within grace").isEqualTo(200);

    clock.advance(Duration.ofMinutes(2));
    SimHttp.Resp late = refresh(t.refreshToken());
    assertThat(late.status()).isEqualTo(400);
    assertThat(late.body()).isEqualTo("{\"error\":\"invalid_grant\"}");
    assertThat(refresh(r2).status()).as("the rotated token still works").isEqualTo(200);
  }

  @Test
  void unusedRefreshTokenExpiresAfterSixtyDays() {
    TokenSet a = sim.grant(CLIENT, org.tenantId());
    TokenSet b = sim.grant(CLIENT, org.tenantId());
    clock.advance(Duration.ofDays(59));
    assertThat(refresh(a.refreshToken()).status()).isEqualTo(200);
    clock.advance(Duration.ofDays(2));
    assertThat(refresh(b.refreshToken()).json().get("error").asText()).isEqualTo("invalid_grant");
  }

  @Test
  void expiredAccessTokenGetsXeroTokenExpiredProblem() {
    TokenSet t = sim.grant(CLIENT, org.tenantId());
    assertThat(http.get("/api.xro/2.0/Invoices", t.accessToken(), org.tenantId()).status())
        .isEqualTo(200);
    clock.advance(IdentityStore.ACCESS_TTL);
    SimHttp.Resp r = http.get("/api.xro/2.0/Invoices", t.accessToken(), org.tenantId());
    assertThat(r.status()).isEqualTo(401);
    JsonNode p = r.json();
    assertThat(p.get("Type").isNull()).isTrue();
    assertThat(p.get("Title").asText()).isEqualTo("Unauthorized");
    assertThat(p.get("Status").asInt()).isEqualTo(401);
    assertThat(p.get("Detail").asText())
        .isEqualTo("TokenExpired: token expired at 03/01/2026 10:30:00");
    assertThat(p.get("Extensions").isObject()).isTrue();
    assertThat(r.header("WWW-Authenticate"))
        .isEqualTo(
            "Bearer error=\"invalid_token\", error_description=\"The token expired at '03/01/2026 10:30:00'\"");
  }

  @Test
  void tenantNotConnectedIsForbidden() {
    SimOrganisation other = sim.createOrganisation("Org Two");
    TokenSet t = sim.grant(CLIENT, org.tenantId());
    SimHttp.Resp r = http.get("/api.xro/2.0/Invoices", t.accessToken(), other.tenantId());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().get("Detail").asText()).isEqualTo("AuthenticationUnsuccessful");
    assertThat(r.json().get("Title").asText()).isEqualTo("Forbidden");
    assertThat(http.get("/api.xro/2.0/Invoices", t.accessToken(), null).status())
        .as("no tenant header")
        .isEqualTo(403);
    assertThat(http.get("/api.xro/2.0/Invoices", "garbage", org.tenantId()).status())
        .isEqualTo(401);
  }

  @Test
  void connectionsListTenantsWithXeroTimestampsAndFilterByAuthEvent() {
    SimOrganisation two = sim.createOrganisation("Org Two");
    JsonNode t = codeFlow(org.tenantId());
    SimHttp.Resp r = http.get("/connections", t.get("access_token").asText(), null);
    assertThat(r.status()).isEqualTo(200);
    JsonNode c = r.json().get(0);
    assertThat(c.get("tenantId").asText()).isEqualTo(org.tenantId());
    assertThat(c.get("tenantType").asText()).isEqualTo("ORGANISATION");
    assertThat(c.get("tenantName").asText()).isEqualTo("Org One");
    assertThat(c.get("createdDateUtc").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{7}");
    assertThat(c.get("updatedDateUtc").asText()).isEqualTo("2026-03-01T10:00:00.0000000");

    TokenSet both = sim.grant(CLIENT, org.tenantId(), two.tenantId());
    JsonNode all = http.get("/connections", both.accessToken(), null).json();
    assertThat(all).hasSize(2);
    assertThat(all.get(0).get("authEventId").asText()).isEqualTo(both.authEventId());
    assertThat(
            http.get("/connections?authEventId=" + both.authEventId(), both.accessToken(), null)
                .json())
        .hasSize(2);
    assertThat(
            http.get(
                    "/connections?authEventId=00000000-0000-0000-0000-000000000000",
                    both.accessToken(),
                    null)
                .json())
        .isEmpty();
  }

  @Test
  void deletingConnectionRevokesTenantAccess() {
    TokenSet t = sim.grant(CLIENT, org.tenantId());
    String id = http.get("/connections", t.accessToken(), null).json().get(0).get("id").asText();
    assertThat(http.send("DELETE", "/connections/" + id, t.accessToken(), null, null).status())
        .isEqualTo(204);
    assertThat(http.get("/connections", t.accessToken(), null).json()).isEmpty();
    assertThat(http.get("/api.xro/2.0/Invoices", t.accessToken(), org.tenantId()).status())
        .isEqualTo(403);
    assertThat(http.send("DELETE", "/connections/" + id, t.accessToken(), null, null).status())
        .isEqualTo(404);
  }

  @Test
  void revocationKillsRefreshAndAccessTokens() {
    TokenSet t = sim.grant(CLIENT, org.tenantId());
    assertThat(
            http.form("/connect/revocation", CLIENT, SECRET, Map.of("token", t.refreshToken()))
                .status())
        .isEqualTo(200);
    assertThat(refresh(t.refreshToken()).json().get("error").asText()).isEqualTo("invalid_grant");
    assertThat(http.get("/api.xro/2.0/Invoices", t.accessToken(), org.tenantId()).status())
        .isEqualTo(401);
  }

  @Test
  void pkceClientWithoutSecret() {
    String verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-long-enough-verifier";
    String challenge = IdentityStore.s256(verifier);
    SimHttp.Resp r =
        http.get(
            "/identity/connect/authorize?client_id=pkce-app&response_type=code&redirect_uri="
                + REDIRECT
                + "&state=xyz&code_challenge="
                + challenge
                + "&code_challenge_method=S256&sim_consent=all",
            null,
            null);
    String code =
        java.net.URLDecoder.decode(
            r.header("Location").replaceAll(".*[?&]code=([^&]+).*", "$1"),
            java.nio.charset.StandardCharsets.UTF_8);
    Map<String, String> bad =
        Map.of(
            "grant_type",
            "authorization_code",
            "client_id",
            "pkce-app",
            "code",
            code,
            "redirect_uri",
            REDIRECT,
            "code_verifier",
            "wrong-verifier");
    assertThat(http.form("/connect/token", null, null, bad).json().get("error").asText())
        .isEqualTo("invalid_grant");

    r =
        http.get(
            "/identity/connect/authorize?client_id=pkce-app&response_type=code&redirect_uri="
                + REDIRECT
                + "&state=xyz&code_challenge="
                + challenge
                + "&code_challenge_method=S256&sim_consent=all",
            null,
            null);
    code =
        java.net.URLDecoder.decode(
            r.header("Location").replaceAll(".*[?&]code=([^&]+).*", "$1"),
            java.nio.charset.StandardCharsets.UTF_8);
    Map<String, String> good =
        Map.of(
            "grant_type",
            "authorization_code",
            "client_id",
            "pkce-app",
            "code",
            code,
            "redirect_uri",
            REDIRECT,
            "code_verifier",
            verifier);
    SimHttp.Resp ok = http.form("/connect/token", null, null, good);
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
  }

  @Test
  void consentFormListsOrganisationsAndIssuesCodeForChosenOnes() {
    SimOrganisation two = sim.createOrganisation("Org Two");
    SimHttp.Resp page =
        http.get(
            "/identity/connect/authorize?client_id="
                + CLIENT
                + "&response_type=code&redirect_uri="
                + REDIRECT
                + "&state=xyz",
            null,
            null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.body()).contains("Org One", "Org Two", "name=\"tenant\"");
    SimHttp.Resp posted =
        http.form(
            "/identity/connect/authorize",
            null,
            null,
            new java.util.LinkedHashMap<>(
                Map.of(
                    "client_id",
                    CLIENT,
                    "response_type",
                    "code",
                    "redirect_uri",
                    REDIRECT,
                    "state",
                    "xyz",
                    "tenant",
                    two.tenantId())));
    assertThat(posted.status()).isEqualTo(302);
    String code =
        java.net.URLDecoder.decode(
            posted.header("Location").replaceAll(".*[?&]code=([^&]+).*", "$1"),
            java.nio.charset.StandardCharsets.UTF_8);
    JsonNode t =
        http.form(
                "/connect/token",
                CLIENT,
                SECRET,
                Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", REDIRECT))
            .json();
    JsonNode conns = http.get("/connections", t.get("access_token").asText(), null).json();
    assertThat(conns).hasSize(1);
    assertThat(conns.get(0).get("tenantId").asText()).isEqualTo(two.tenantId());
  }
}

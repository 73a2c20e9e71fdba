package dev.xerosync.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.common.Problem;
import dev.xerosync.store.ApiKeys;
import dev.xerosync.store.LocalTable;
import dev.xerosync.store.PanelGrants;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Settings tokens ({@code <xero-connection>}) and panel tokens ({@code <xero-invoice-panel>}) are
 * minted alike but never stand in for each other: a panel token reaches no settings route, and a
 * settings token no panel route, at the authorizer and in the functions.
 */
class SettingsTokensTest {
  private final LocalTable table = LocalTable.get();
  private final Clock clock = Clock.systemUTC();
  private final ApiKeys keys = new ApiKeys(table.dynamoDb(), table.name(), clock);
  private final PanelGrants grants = new PanelGrants(table.dynamoDb(), table.name());
  private final PanelTokens panel = new PanelTokens(grants, keys, clock);
  private final PanelTokens settings = PanelTokens.settings(grants, keys, clock);
  private final String tenant = UUID.randomUUID().toString();
  private final String keyId = keys.create(tenant, "backend").keyId();

  @Test
  void eachKindOfTokenPassesOnlyItsOwnCheck() throws Problem {
    String s = settings.mint(tenant, keyId, "settings", tenant, Duration.ofMinutes(5)).token();
    String p = panel.mint(tenant, keyId, "deal", "d-1", Duration.ofMinutes(5)).token();
    assertThat(s).startsWith("xst_");
    assertThat(settings.check(s).audience()).isEqualTo("settings");
    assertThat(panel.check(p).audience()).isEqualTo("panel");

    assertThatThrownBy(() -> panel.check(s))
        .isInstanceOf(Problem.class)
        .satisfies(e -> assertThat(((Problem) e).status()).isEqualTo(401));
    assertThatThrownBy(() -> settings.check(p))
        .isInstanceOf(Problem.class)
        .satisfies(e -> assertThat(((Problem) e).status()).isEqualTo(401));
  }

  @Test
  void aPanelTokenWithASettingsPrefixStillFailsOnItsAudience() throws Problem {
    // The stored grant decides, not the prefix: the hash of an xsp_ token renamed xst_ is unknown,
    // and a grant of the wrong audience is refused even when found.
    String p = panel.mint(tenant, keyId, "deal", "d-1", Duration.ofMinutes(5)).token();
    assertThatThrownBy(() -> settings.check("xst_" + p.substring(4)))
        .isInstanceOf(Problem.class)
        .hasMessageContaining("not known");
  }

  @Test
  void aSettingsGrantCoversItsTenantsSettingsRoutesAndNothingElse() throws Problem {
    var grant =
        settings.check(
            settings.mint(tenant, keyId, "settings", tenant, Duration.ofMinutes(5)).token());
    for (String route : PanelTokens.SETTINGS_ROUTES) {
      PanelTokens.allowsSettings(grant, route, Map.of("tenantId", tenant));
    }
    assertThatThrownBy(
            () ->
                PanelTokens.allowsSettings(
                    grant,
                    "GET /tenants/{tenantId}/settings/connection",
                    Map.of("tenantId", UUID.randomUUID().toString())))
        .isInstanceOf(Problem.class)
        .satisfies(e -> assertThat(((Problem) e).status()).isEqualTo(403));
    for (String route :
        new String[] {
          "GET /tenants/{tenantId}/records/{recordType}/{recordId}/invoices",
          PanelTokens.STATUS_ROUTE,
          PanelTokens.INVOICE_ROUTE,
          "PUT /tenants/{tenantId}/invoices/{invoiceId}",
          "POST /tenants/{tenantId}/panel-tokens"
        }) {
      assertThatThrownBy(() -> PanelTokens.allowsSettings(grant, route, Map.of("tenantId", tenant)))
          .as(route)
          .isInstanceOf(Problem.class);
      // Nor does the panel's rule let a settings grant through.
      assertThatThrownBy(
              () ->
                  PanelTokens.allows(
                      grant,
                      route,
                      Map.of("tenantId", tenant, "recordType", "settings", "recordId", tenant)))
          .as(route)
          .isInstanceOf(Problem.class);
    }
  }

  @Test
  void aPanelGrantReachesNoSettingsRoute() throws Problem {
    var grant =
        panel.check(panel.mint(tenant, keyId, "deal", "d-1", Duration.ofMinutes(5)).token());
    for (String route : PanelTokens.SETTINGS_ROUTES) {
      assertThatThrownBy(() -> PanelTokens.allowsSettings(grant, route, Map.of("tenantId", tenant)))
          .as(route)
          .isInstanceOf(Problem.class);
    }
  }

  @Test
  void theAuthorizerTellsTheFunctionWhichTokenCame() throws Problem {
    var authorizer =
        new RequestAuthorizer(
            keys, new AdminAuth("admin-key-for-tests-only-0123456789", clock), panel, settings);
    String s = settings.mint(tenant, keyId, "settings", tenant, Duration.ofMinutes(5)).token();
    String p = panel.mint(tenant, keyId, "deal", "d-1", Duration.ofMinutes(5)).token();
    var bySettings =
        authorizer.decide(
            "/tenants/{tenantId}/settings/accounts",
            Map.of("Authorization", "Bearer " + s),
            null,
            Map.of("tenantId", tenant));
    assertThat(bySettings.context()).containsEntry("credential", TenantCredential.SETTINGS_TOKEN);
    var byPanel =
        authorizer.decide(
            "/tenants/{tenantId}/settings/accounts",
            Map.of("Authorization", "Bearer " + p),
            null,
            Map.of("tenantId", tenant));
    assertThat(byPanel.context()).containsEntry("credential", TenantCredential.PANEL_TOKEN);
    // Routes that want the tenant's API key refuse both.
    assertThatThrownBy(() -> TenantCredential.settingsToken(tenant).apiKeyFor(tenant))
        .isInstanceOf(Problem.class)
        .satisfies(e -> assertThat(((Problem) e).status()).isEqualTo(401));
    assertThatThrownBy(() -> TenantCredential.panelToken(tenant).apiKeyFor(tenant))
        .isInstanceOf(Problem.class)
        .satisfies(e -> assertThat(((Problem) e).status()).isEqualTo(401));
  }
}

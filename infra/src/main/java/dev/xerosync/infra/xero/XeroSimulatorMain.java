package dev.xerosync.infra.xero;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalDate;

/**
 * Runs the simulator as a standalone process (./dev simulator). Configured from the environment:
 * XERO_SIM_PORT (default 4010), XERO_CLIENT_ID / XERO_CLIENT_SECRET (local defaults),
 * XERO_WEBHOOK_KEY, XERO_WEBHOOK_URL (optional). Seeds a demo organisation and prints a token pair
 * for it: fine here only because these are tokens of a local simulator, worthless anywhere else.
 */
public final class XeroSimulatorMain {
  private XeroSimulatorMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = Integer.parseInt(env("XERO_SIM_PORT", "4010"));
    String clientId = env("XERO_CLIENT_ID", "xero-sync-local");
    String secret = env("XERO_CLIENT_SECRET", "xero-sync-local-secret");
    String webhookUrl = System.getenv("XERO_WEBHOOK_URL");
    XeroSimulator sim =
        XeroSimulator.builder()
            .port(port)
            .app(clientId, secret, "xero-sync")
            .webhookKey(env("XERO_WEBHOOK_KEY", "xero-sim-webhook-key"))
            .webhookUrl(webhookUrl == null || webhookUrl.isBlank() ? null : URI.create(webhookUrl))
            .start();
    Runtime.getRuntime().addShutdownHook(new Thread(sim::close));

    SimOrganisation demo = sim.createOrganisation("Demo Company (NZ)");
    // A multi-currency demo organisation, as Xero's own demo company is.
    demo.subscribeCurrency("AUD");
    demo.subscribeCurrency("USD");
    LocalDate today = LocalDate.now(demo.timezone());
    String acme = demo.createContact("Acme Ltd");
    String bolt = demo.createContact("Bolt Supplies");
    String paid =
        demo.createAuthorisedInvoice(
            acme, today.minusDays(20), today.minusDays(6), new BigDecimal("230.00"));
    demo.pay(paid, new BigDecimal("230.00"), today.minusDays(5), "DEMO-1");
    String part =
        demo.createAuthorisedInvoice(
            bolt, today.minusDays(10), today.plusDays(20), new BigDecimal("1150.00"));
    demo.pay(part, new BigDecimal("500.00"), today.minusDays(1), "DEMO-2");
    demo.createAuthorisedInvoice(acme, today, today.plusDays(30), new BigDecimal("99.95"));
    demo.createDraftInvoice(
        bolt, "DRAFT-1", today, today.plusDays(14), new BigDecimal("42.00"), null);
    TokenSet tokens = sim.grant(clientId, demo.tenantId());

    URI base = sim.baseUrl();
    System.out.println("Xero simulator listening on " + base);
    System.out.println("  token endpoint:     " + base + "/connect/token");
    System.out.println("  revocation:         " + base + "/connect/revocation");
    System.out.println("  login (authorize):  " + base + "/identity/connect/authorize");
    System.out.println("  connections:        " + base + "/connections");
    System.out.println("  accounting API:     " + base + "/api.xro/2.0/");
    System.out.println(
        "  webhook target:     "
            + (webhookUrl == null ? "(none: set XERO_WEBHOOK_URL)" : webhookUrl));
    System.out.println("  client id:          " + clientId);
    System.out.println(
        "Demo organisation: "
            + demo.name()
            + "  tenantId="
            + demo.tenantId()
            + "  shortCode="
            + demo.shortCode());
    System.out.println("SIMULATOR tokens (local simulator only, not real Xero credentials):");
    System.out.println("  access_token=" + tokens.accessToken());
    System.out.println("  refresh_token=" + tokens.refreshToken());
    System.out.println("  expires_at=" + tokens.accessTokenExpiresAt());
    Thread.currentThread().join();
  }

  private static String env(String name, String fallback) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? fallback : v;
  }
}

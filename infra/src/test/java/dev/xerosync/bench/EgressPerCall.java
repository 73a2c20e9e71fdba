package dev.xerosync.bench;

import dev.xerosync.infra.xero.SimOrganisation;
import dev.xerosync.infra.xero.XeroSimulator;
import dev.xerosync.xero.CallBudget;
import dev.xerosync.xero.XeroAllocation;
import dev.xerosync.xero.XeroApi;
import dev.xerosync.xero.XeroApiException;
import java.net.http.HttpClient;
import java.time.Instant;
import java.util.List;
import java.util.Random;

/**
 * What our reads cost in Xero's egress meter, measured once on the simulator with the client the
 * functions use ({@link XeroApi}, which asks for gzip): an hourly sweep that finds nothing (each
 * list read by If-Modified-Since: invoices, payments, the three credit kinds, contacts), one
 * changed invoice read by {@code IDs=}, and the daily Organisation read. {@code plain} is the same
 * bodies uncompressed, what the client cost before it asked for gzip.
 */
record EgressPerCall(
    long sweepBytes,
    long sweepPlainBytes,
    long invoiceByIdBytes,
    long invoiceByIdPlainBytes,
    long organisationBytes) {

  static EgressPerCall measure() throws XeroApiException {
    try (XeroSimulator sim = XeroSimulator.builder().app("egress", "secret").start()) {
      SimOrganisation org = sim.createOrganisation("Egress Ltd");
      Instant now = Instant.now();
      org.generateHistory(5, 50, 300, now);
      String tenant = org.tenantId();
      String token = sim.grant("egress", tenant).accessToken();
      XeroApi api = new XeroApi(HttpClient.newHttpClient(), sim.baseUrl(), CallBudget.UNLIMITED);
      var meter = sim.egress();

      Instant since = Instant.now().plusSeconds(2);
      api.invoicesModifiedSince(tenant, token, since, null, 1, XeroApi.MAX_PAGE_SIZE);
      api.paymentsModifiedSince(tenant, token, since, 1);
      for (XeroAllocation.Kind kind : XeroAllocation.Kind.values()) {
        api.creditsModifiedSince(tenant, token, kind, since, 1);
      }
      api.contactsModifiedSince(tenant, token, since, 1);
      long sweep = meter.tenant(tenant);
      long sweepPlain = meter.tenantUncompressed(tenant);

      meter.reset();
      List<String> ids = org.invoices().stream().map(v -> v.invoice().invoiceId()).toList();
      Random random = new Random(9);
      int reads = 40;
      for (int i = 0; i < reads; i++) {
        api.invoicesByIds(tenant, token, List.of(ids.get(random.nextInt(ids.size()))));
      }
      long byId = meter.tenant(tenant) / reads;
      long byIdPlain = meter.tenantUncompressed(tenant) / reads;

      meter.reset();
      api.organisation(tenant, token);
      return new EgressPerCall(sweep, sweepPlain, byId, byIdPlain, meter.tenant(tenant));
    }
  }
}

package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.Ledger;
import java.time.Clock;
import java.util.function.Function;

/**
 * GET /Organisation: the connected organisation, with ShortCode, BaseCurrency and a Windows-style
 * Timezone name.
 */
public final class GetOrganisation implements AccountingOperation {
  private final Clock clock;
  private final Function<java.time.ZoneId, String> windowsZone;

  public GetOrganisation(Clock clock, Function<java.time.ZoneId, String> windowsZone) {
    this.clock = clock;
    this.windowsZone = windowsZone;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    Ledger l = call.ledger();
    ObjectNode o =
        XeroJson.object()
            .put("OrganisationID", l.tenantId())
            .put("APIKey", "")
            .put("Name", l.name())
            .put("LegalName", l.name())
            .put("PaysTax", true)
            .put("Version", l.countryCode())
            .put("OrganisationType", "COMPANY")
            .put("BaseCurrency", l.baseCurrency())
            .put("CountryCode", l.countryCode())
            .put("IsDemoCompany", false)
            .put("OrganisationStatus", "ACTIVE")
            .put("FinancialYearEndDay", 31)
            .put("FinancialYearEndMonth", 3)
            .put("SalesTaxBasis", "PAYMENTS")
            .put("SalesTaxPeriod", "TWOMONTHS")
            .put("DefaultSalesTax", "Tax Exclusive")
            .put("DefaultPurchasesTax", "Tax Exclusive")
            .put("CreatedDateUTC", XeroJson.msDateTime(l.createdDateUtc()))
            .put("OrganisationEntityType", "COMPANY")
            .put("Timezone", windowsZone.apply(l.timezone()))
            .put("ShortCode", l.shortCode())
            .put("Edition", "BUSINESS")
            .put("Class", "PREMIUM");
    if (l.periodLockDate() != null) {
      o.put("PeriodLockDate", XeroJson.msDate(l.periodLockDate()));
    }
    if (l.endOfYearLockDate() != null) {
      o.put("EndOfYearLockDate", XeroJson.msDate(l.endOfYearLockDate()));
    }
    o.putArray("Addresses");
    o.putArray("Phones");
    o.putArray("ExternalLinks");
    o.putObject("PaymentTerms");
    ArrayNode items = XeroJson.MAPPER.createArrayNode().add(o);
    return Envelope.ok(Envelope.start(call, clock), "Organisations", items);
  }
}

package dev.xerosync.infra.xero.accounting;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.infra.xero.http.SimResponse;
import dev.xerosync.infra.xero.http.XeroJson;
import dev.xerosync.infra.xero.ledger.TaxRate;
import java.time.Clock;

/**
 * GET /TaxRates: the organisation's tax rates, each with one component and its CanApplyTo flags.
 */
public final class GetTaxRates implements AccountingOperation {
  private final Clock clock;

  public GetTaxRates(Clock clock) {
    this.clock = clock;
  }

  @Override
  public SimResponse handle(AccountingCall call) {
    ArrayNode items = XeroJson.MAPPER.createArrayNode();
    for (TaxRate t : call.ledger().taxRates()) {
      ObjectNode n = items.addObject().put("Name", t.name()).put("TaxType", t.taxType());
      n.putArray("TaxComponents")
          .addObject()
          .put("Name", "GST")
          .put("Rate", t.ratePercent())
          .put("IsCompound", false)
          .put("IsNonRecoverable", false);
      n.put("Status", t.status())
          .put("ReportTaxType", t.reportTaxType())
          .put("CanApplyToAssets", t.canApplyToAssets())
          .put("CanApplyToEquity", t.canApplyToEquity())
          .put("CanApplyToExpenses", t.canApplyToExpenses())
          .put("CanApplyToLiabilities", t.canApplyToLiabilities())
          .put("CanApplyToRevenue", t.canApplyToRevenue())
          .put("DisplayTaxRate", t.ratePercent())
          .put("EffectiveRate", t.ratePercent());
    }
    return Envelope.ok(Envelope.start(call, clock), "TaxRates", items);
  }
}

package dev.xerosync.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import dev.xerosync.common.Problem;
import dev.xerosync.store.InvoiceView;
import dev.xerosync.store.ViewQuery;
import java.time.LocalDate;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ViewParametersTest {
  static final LocalDate TODAY = LocalDate.parse("2026-11-21");
  static final Set<String> VIEWS =
      Set.of("open", "overdue", "unpaid", "paid", "draft", "voided", "all");

  static ViewQuery parse(Map<String, String> query) throws Problem {
    return new ApiRequest(new APIGatewayProxyRequestEvent().withQueryStringParameters(query))
        .viewQuery(TODAY, VIEWS);
  }

  @Test
  void aNumberSearchCannotReachIntoTheIndexKey() {
    for (String number : new String[] {"INV#1", "#", "INV\u00071"}) {
      assertThatThrownBy(() -> parse(Map.of("number", number)))
          .as(number)
          .isInstanceOf(Problem.class)
          .hasMessageContaining("without '#'");
    }
  }

  @Test
  void onlyCanonicalIdsAreIds() throws Exception {
    String id = "4f5e2b0c-8a45-4e8a-9d8e-0d1f1c2b3a4d";
    assertThat(ApiRequest.uuid("invoiceId", id.toUpperCase())).isEqualTo(id);
    for (String bad :
        new String[] {"+" + id.substring(1), "4f5e2b0c-8a45-4e8a-9d8e-+d1f1c2b3a4d"}) {
      assertThatThrownBy(() -> ApiRequest.uuid("invoiceId", bad))
          .as(bad)
          .isInstanceOf(Problem.class);
    }
  }

  @Test
  void datesOutsideFourDigitYearsAreA400NamingTheRange() throws Exception {
    for (String date :
        new String[] {"+999999999-12-31", "-0001-01-01", "10000-01-01", "+2026-01-01"}) {
      assertThatThrownBy(() -> parse(Map.of("from", date)))
          .as(date)
          .isInstanceOf(Problem.class)
          .hasMessageContaining("from 0000-01-01 to 9999-12-31");
      assertThatThrownBy(() -> parse(Map.of("to", date))).as(date).isInstanceOf(Problem.class);
    }
    assertThat(parse(Map.of("from", "0000-01-01", "to", "9999-12-31")).to())
        .isEqualTo(LocalDate.of(9999, 12, 31));
  }

  @Test
  void defaultsToOpenSalesInvoicesFiftyAPage() throws Exception {
    ViewQuery q = parse(Map.of());
    assertThat(q.view()).isEqualTo(InvoiceView.OPEN);
    assertThat(q.type()).isEqualTo("ACCREC");
    assertThat(q.limit()).isEqualTo(50);
    assertThat(q.today()).isEqualTo(TODAY);
  }

  @Test
  void aNumberOrStatusSearchLooksAcrossAllUnlessAViewIsNamed() throws Exception {
    assertThat(parse(Map.of("number", "inv-1")).view()).isEqualTo(InvoiceView.ALL);
    assertThat(parse(Map.of("status", "draft,submitted")).statuses())
        .containsExactlyInAnyOrder("DRAFT", "SUBMITTED");
    assertThat(parse(Map.of("number", "inv-1", "view", "PAID")).view()).isEqualTo(InvoiceView.PAID);
    assertThat(parse(Map.of("type", "any")).type()).isNull();
  }

  @Test
  void everyBadParameterSaysWhatToSend() {
    assertThatThrownBy(() -> parse(Map.of("view", "late")))
        .hasMessageContaining(
            "view must be one of all, draft, open, overdue, paid, unpaid, voided");
    assertThatThrownBy(() -> parse(Map.of("view", "pinned")))
        .hasMessageContaining("view must be one of");
    assertThatThrownBy(() -> parse(Map.of("limit", "0")))
        .hasMessageContaining("limit must be a whole number from 1 to 100");
    assertThatThrownBy(() -> parse(Map.of("limit", "101"))).hasMessageContaining("limit must be");
    assertThatThrownBy(() -> parse(Map.of("limit", "ten"))).hasMessageContaining("limit must be");
    assertThatThrownBy(() -> parse(Map.of("from", "2026-13-01")))
        .hasMessageContaining("from must be a date as yyyy-MM-dd");
    assertThatThrownBy(() -> parse(Map.of("from", "2026-02-01", "to", "2026-01-01")))
        .hasMessageContaining("must run forwards");
    assertThatThrownBy(() -> parse(Map.of("status", "PAID,LATE")))
        .hasMessageContaining("'LATE' is not one of them");
    assertThatThrownBy(() -> parse(Map.of("currency", "dollars"))).hasMessageContaining("ISO 4217");
    assertThatThrownBy(() -> parse(Map.of("match", "exact")))
        .hasMessageContaining("pass number too");
    assertThatThrownBy(() -> parse(Map.of("number", "x".repeat(65))))
        .hasMessageContaining("1 to 64 characters");
    assertThatThrownBy(() -> parse(Map.of("type", "BILL")))
        .hasMessageContaining("type must be one of ACCPAY, ACCREC, ANY");
  }

  @Test
  void unknownParametersAndBadIdsAreRefused() {
    var request =
        new ApiRequest(
            new APIGatewayProxyRequestEvent()
                .withQueryStringParameters(Map.of("veiw", "paid"))
                .withPathParameters(
                    Map.of("tenantId", "not-a-uuid", "recordType", "lead", "recordId", "a/b")));
    assertThatThrownBy(() -> request.onlyParams(Set.of("view")))
        .hasMessageContaining("unknown query parameter 'veiw'");
    assertThatThrownBy(() -> request.uuid("tenantId"))
        .hasMessageContaining("tenantId must be a Xero ID");
    assertThatThrownBy(request::recordType).hasMessageContaining("contact, account or deal");
    assertThatThrownBy(request::recordId)
        .hasMessageContaining("recordId must be 1 to 128 characters");
  }

  @Test
  void creditNotesAreListedOnlyWhenAskedForAndACursorKeepsToItsKinds() throws Exception {
    assertThat(parse(Map.of()).creditNotes()).isEqualTo(ViewQuery.CreditNotes.EXCLUDE);
    assertThat(parse(Map.of("creditNotes", "INCLUDE")).creditNotes())
        .isEqualTo(ViewQuery.CreditNotes.INCLUDE);
    assertThat(parse(Map.of("creditNotes", "only")).creditNotes())
        .isEqualTo(ViewQuery.CreditNotes.ONLY);
    assertThatThrownBy(() -> parse(Map.of("creditNotes", "yes")))
        .hasMessageContaining("creditNotes must be one of exclude, include, only");
    assertThatThrownBy(
            () ->
                new ApiRequest(
                        new APIGatewayProxyRequestEvent()
                            .withQueryStringParameters(
                                Map.of("view", "pinned", "creditNotes", "include")))
                    .viewQuery(TODAY, Set.of("all", "pinned")))
        .hasMessageContaining("pins hold invoices only");
    // An invoice-only listing keeps its name (its cursors still work); each mode has its own.
    ViewQuery plain = parse(Map.of("view", "all"));
    assertThat(plain.listing())
        .isEqualTo(
            new ViewQuery(
                    plain.view(),
                    plain.statuses(),
                    plain.type(),
                    null,
                    null,
                    null,
                    null,
                    false,
                    TODAY,
                    50,
                    ViewQuery.CreditNotes.EXCLUDE)
                .listing());
    assertThat(parse(Map.of("view", "all", "creditNotes", "include")).listing())
        .isNotEqualTo(plain.listing())
        .isNotEqualTo(parse(Map.of("view", "all", "creditNotes", "only")).listing());
    // A cursor may name a contact's credit notes only where the listing reads them.
    String t = "4f5e2b0c-8a45-4e8a-9d8e-0d1f1c2b3a4d";
    String c = "7d3c1f0e-0000-4000-8000-000000000001";
    String source = ViewQuery.creditNotesSource(c);
    assertThat(plain.sourcePartition(t, source, c::equals)).isNull();
    assertThat(
            parse(Map.of("view", "all", "creditNotes", "include"))
                .sourcePartition(t, source, c::equals))
        .isEqualTo("T#" + t + "#C#" + c + "#CN");
    assertThat(parse(Map.of("view", "all", "creditNotes", "only")).sourcePartition(t, c, c::equals))
        .isNull();
    assertThat(ViewQuery.sourceItemPkPrefix(t, source)).isEqualTo("T#" + t + "#CR#");
  }

  @Test
  void headersAreMatchedWhateverTheirCase() {
    var request =
        new ApiRequest(new APIGatewayProxyRequestEvent().withHeaders(Map.of("X-Api-Key", "k")));
    assertThat(request.header("x-api-key")).isEqualTo("k");
  }
}

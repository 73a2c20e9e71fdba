package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;

class ViewQueryTest {
  static final LocalDate TODAY = LocalDate.parse("2026-11-21");
  static final String T = "11111111-1111-4111-8111-111111111111";
  static final String C = "22222222-2222-4222-8222-222222222222";

  static ViewQuery q(InvoiceView view, LocalDate from, LocalDate to, String number, boolean exact) {
    return new ViewQuery(
        view,
        Set.of(),
        "ACCREC",
        null,
        from,
        to,
        number,
        exact,
        TODAY,
        50,
        ViewQuery.CreditNotes.EXCLUDE);
  }

  @Test
  void openAndOverdueSplitTheUnpaidBucketOnTheKey() {
    QueryRequest open =
        InvoiceViews.request("tbl", T, C, q(InvoiceView.OPEN, null, null, null, false));
    assertThat(open.indexName()).isEqualTo("ByContactView");
    assertThat(open.keyConditionExpression()).isEqualTo("gsi2pk = :pk AND gsi2sk >= :today");
    assertThat(open.expressionAttributeValues().get(":pk").s())
        .isEqualTo("T#" + T + "#C#" + C + "#B#UNPAID");
    assertThat(open.expressionAttributeValues().get(":today").s()).isEqualTo("2026-11-21");
    assertThat(open.scanIndexForward()).isFalse();
    QueryRequest overdue =
        InvoiceViews.request("tbl", T, C, q(InvoiceView.OVERDUE, null, null, null, false));
    assertThat(overdue.keyConditionExpression()).isEqualTo("gsi2pk = :pk AND gsi2sk < :today");
    // The only filter on a bucket view is the invoice type.
    assertThat(open.filterExpression()).isEqualTo("#type = :type");
  }

  @Test
  void aDateRangeReadsByInvoiceDateAndFiltersTheBucket() {
    QueryRequest r =
        InvoiceViews.request(
            "tbl",
            T,
            C,
            q(
                InvoiceView.OVERDUE,
                LocalDate.parse("2026-01-01"),
                LocalDate.parse("2026-06-30"),
                null,
                false));
    assertThat(r.indexName()).isEqualTo("ByContactDate");
    assertThat(r.keyConditionExpression()).isEqualTo("gsi1pk = :pk AND gsi1sk BETWEEN :lo AND :hi");
    assertThat(r.expressionAttributeValues().get(":lo").s()).isEqualTo("2026-01-01");
    assertThat(r.expressionAttributeValues().get(":hi").s()).isEqualTo("2026-06-30#~");
    assertThat(r.filterExpression()).contains("gsi2pk IN (:b0)", "gsi2sk < :today");
  }

  @Test
  void allHidesDraftsAndVoidedUnlessAStatusAsksForThem() {
    QueryRequest all =
        InvoiceViews.request("tbl", T, C, q(InvoiceView.ALL, null, null, null, false));
    assertThat(all.indexName()).isEqualTo("ByContactDate");
    assertThat(all.filterExpression()).startsWith("gsi2pk IN (:b0, :b1, :b2)");
    assertThat(all.expressionAttributeValues().values())
        .noneMatch(v -> v.s() != null && v.s().endsWith("#B#DRAFT"));
    var drafts =
        new ViewQuery(
            InvoiceView.ALL,
            Set.of("DRAFT"),
            null,
            null,
            null,
            null,
            null,
            false,
            TODAY,
            50,
            ViewQuery.CreditNotes.EXCLUDE);
    QueryRequest r = InvoiceViews.request("tbl", T, C, drafts);
    assertThat(r.filterExpression()).isEqualTo("#status IN (:s0)");
  }

  @Test
  void aContactsCreditNotesAreReadFromTheirOwnPartitionsWithTheCreditNoteType() {
    ViewQuery open = q(InvoiceView.OPEN, null, null, null, false);
    QueryRequest r = InvoiceViews.request("tbl", T, C, open, true);
    assertThat(r.keyConditionExpression()).isEqualTo("gsi2pk = :pk AND gsi2sk >= :today");
    assertThat(r.expressionAttributeValues().get(":pk").s())
        .isEqualTo("T#" + T + "#C#" + C + "#CN#B#UNPAID");
    assertThat(r.expressionAttributeValues().get(":type").s()).isEqualTo("ACCRECCREDIT");
    QueryRequest all =
        InvoiceViews.request("tbl", T, C, q(InvoiceView.ALL, null, null, null, false), true);
    assertThat(all.expressionAttributeValues().get(":pk").s())
        .isEqualTo("T#" + T + "#C#" + C + "#CN");
    assertThat(all.expressionAttributeValues().get(":b0").s())
        .startsWith("T#" + T + "#C#" + C + "#CN#B#");
    QueryRequest number =
        InvoiceViews.request("tbl", T, C, q(InvoiceView.ALL, null, null, "cn-1", false), true);
    assertThat(number.expressionAttributeValues().get(":pk").s())
        .isEqualTo("T#" + T + "#C#" + C + "#CN#NUM");
  }

  @Test
  void numberSearchIsPrefixOrExactOnByNumber() {
    QueryRequest prefix =
        InvoiceViews.request("tbl", T, C, q(InvoiceView.ALL, null, null, "inv-00", false));
    assertThat(prefix.indexName()).isEqualTo("ByNumber");
    assertThat(prefix.keyConditionExpression())
        .isEqualTo("gsi3pk = :pk AND begins_with(gsi3sk, :num)");
    assertThat(prefix.expressionAttributeValues().get(":num").s()).isEqualTo("INV-00");
    assertThat(prefix.scanIndexForward()).isTrue();
    QueryRequest exact =
        InvoiceViews.request("tbl", T, C, q(InvoiceView.ALL, null, null, "INV-001", true));
    // The separator after the number stops INV-001 from matching INV-0010.
    assertThat(exact.expressionAttributeValues().get(":num").s()).isEqualTo("INV-001#");
  }

  @Test
  void knowsWhetherAStartKeyIsInsideItsKeyCondition() {
    var open = q(InvoiceView.OPEN, null, null, null, false);
    assertThat(open.withinKeyCondition("2026-11-21#x")).isTrue();
    assertThat(open.withinKeyCondition("2026-11-20#x")).isFalse();
    var overdue = q(InvoiceView.OVERDUE, null, null, null, false);
    assertThat(overdue.withinKeyCondition("2026-11-20#x")).isTrue();
    assertThat(overdue.withinKeyCondition("2026-11-21#x")).isFalse();
    var range =
        q(
            InvoiceView.ALL,
            LocalDate.parse("2026-01-01"),
            LocalDate.parse("2026-01-31"),
            null,
            false);
    assertThat(range.withinKeyCondition("2026-01-31#ffff")).isTrue();
    assertThat(range.withinKeyCondition("2026-02-01#0000")).isFalse();
    assertThat(q(InvoiceView.ALL, null, null, "INV-1", true).withinKeyCondition("INV-12#x"))
        .isFalse();
    assertThat(q(InvoiceView.ALL, null, null, "INV-1", false).withinKeyCondition("INV-12#x"))
        .isTrue();
  }

  @Test
  void aListingIsNamedByItsIndexAndParametersButNotItsPageSize() {
    var a = q(InvoiceView.OPEN, null, null, null, false);
    var b =
        new ViewQuery(
            InvoiceView.OPEN,
            Set.of(),
            "ACCREC",
            null,
            null,
            null,
            null,
            false,
            TODAY.plusDays(1),
            10,
            ViewQuery.CreditNotes.EXCLUDE);
    assertThat(a.listing()).startsWith("ByContactView:").isEqualTo(b.listing());
    assertThat(q(InvoiceView.OVERDUE, null, null, null, false).listing()).isNotEqualTo(a.listing());
  }
}

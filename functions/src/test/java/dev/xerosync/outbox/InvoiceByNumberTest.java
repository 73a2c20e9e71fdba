package dev.xerosync.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.xerosync.outbox.FakeXero.Fault;
import dev.xerosync.xero.XeroApiException;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InvoiceByNumberTest {
  private final WritePath w = new WritePath();
  private final Operation op = w.accept(OperationKind.INVOICE_UPSERT, "n-1", null, "{}");

  private void inXero(String id, String number, String status) {
    w.xero.invoices.put(
        id,
        WritePath.json(
            "{\"InvoiceID\":\""
                + id
                + "\",\"InvoiceNumber\":\""
                + number
                + "\",\"Status\":\""
                + status
                + "\"}"));
  }

  @Test
  void findsOurNumberAndNotADeletedOneOrAnother() throws Exception {
    inXero("deleted", "n-1", "DELETED");
    inXero("other", "n-10", "DRAFT");
    inXero("ours", "n-1", "AUTHORISED");

    assertThat(InvoiceByNumber.find(w.call(op), "n-1"))
        .hasValueSatisfying(i -> assertThat(i.path("InvoiceID").asText()).isEqualTo("ours"));
    assertThat(InvoiceByNumber.find(w.call(op), "n-2")).isEmpty();
    assertThat(op.reconcileLookups).as("counted as reconciliation").isEqualTo(2);
    assertThat(op.xeroCalls).isEqualTo(2);
  }

  @Test
  void findsABatchInOneLookup() throws Exception {
    inXero("a", "h-a", "DRAFT");
    inXero("b", "h-b", "DELETED");
    inXero("c", "h-c", "AUTHORISED");

    var found = InvoiceByNumber.findAll(w.call(op), List.of("h-a", "h-b", "h-c", "h-d"));

    assertThat(found).containsOnlyKeys("h-a", "h-c");
    assertThat(w.xero.reads).hasSize(1);
  }

  /** A lookup that cannot run is an exception: the caller sends nothing on a guess. */
  @ParameterizedTest
  @EnumSource(
      value = Fault.class,
      names = {"SERVER_ERROR", "RATE_LIMITED", "TIMEOUT_AFTER_COMMIT", "LOST_ANSWER"})
  void aLookupThatFailsThrows(Fault fault) {
    w.xero.failReads(fault);

    assertThatThrownBy(() -> InvoiceByNumber.find(w.call(op), "n-1"))
        .isInstanceOf(XeroApiException.class);
  }

  /** After a lost create, the next pass sends nothing until the lookup has answered. */
  @Test
  void anUnansweredLookupHoldsTheResendBack() {
    String contactId = w.xero.contact("c", "Customer c", "ACTIVE").path("ContactID").asText();
    // Linked, with what we last sent: the push needs no contact call.
    w.records.putLink(
        WritePath.TENANT,
        OperationLog.CONTACT,
        "c",
        "{\"contactId\":\""
            + contactId
            + "\",\"pushed\":"
            + ContactFields.fingerprint(
                WritePath.json(WritePath.invoice("c", "DRAFT", 1)).path("contact"),
                WritePath.json("{}"))
            + "}");
    w.xero.failNext("PUT Invoices", Fault.LOST_ANSWER);
    w.xero.failReads(Fault.SERVER_ERROR, Fault.SERVER_ERROR, Fault.SERVER_ERROR);
    Operation push =
        w.accept(OperationKind.INVOICE_UPSERT, "n-5", null, WritePath.invoice("c", "DRAFT", 1));

    assertThat(w.pass(push)).isInstanceOf(WriteExecutor.Pass.Later.class);
    assertThat(w.xero.writeRequests).containsExactly("PUT Invoices");

    assertThat(w.runToEnd(push).state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.invoicesNumbered("n-5")).hasSize(1);
  }

  @Test
  void aBatchOfShortNumbersIsOneLookup() {
    List<String> numbers = IntStream.range(0, 50).mapToObj(i -> "web-" + i).toList();
    assertThat(InvoiceByNumber.lookupGroups(numbers)).containsExactly(String.join(",", numbers));
  }

  @Test
  void longNumbersAreSplitSoNoUrlGrowsTooLongAndNoneIsLost() {
    List<String> numbers = IntStream.range(0, 50).mapToObj(i -> i + "-" + "x".repeat(250)).toList();
    List<String> groups = InvoiceByNumber.lookupGroups(numbers);
    assertThat(groups).hasSizeGreaterThan(1).allMatch(g -> g.length() <= 1_500);
    assertThat(groups.stream().flatMap(g -> List.of(g.split(",")).stream()).toList())
        .isEqualTo(numbers);
  }
}

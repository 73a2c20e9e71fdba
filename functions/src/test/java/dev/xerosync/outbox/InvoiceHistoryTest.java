package dev.xerosync.outbox;

import static dev.xerosync.outbox.WritePath.invoice;
import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.outbox.FakeXero.Fault;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class InvoiceHistoryTest {
  private final WritePath w = new WritePath();

  private static String history(List<String> ids) {
    List<String> invoices = new ArrayList<>();
    for (String id : ids) {
      invoices.add(
          invoice("c-" + id, "AUTHORISED", 10)
              .replaceFirst("\\{", "{\"invoiceId\":\"" + id + "\","));
    }
    return "{\"invoices\":[" + String.join(",", invoices) + "]}";
  }

  private Operation push(String pushId, List<String> ids) {
    return w.runToEnd(w.accept(OperationKind.INVOICE_HISTORY, pushId, null, history(ids)));
  }

  @ParameterizedTest
  @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = "TOKEN_EXPIRED")
  void eachInvoiceIsSavedOnceWhateverTheBatchComesTo(Fault fault) {
    w.xero.failNext("PUT Invoices", fault);

    Operation op = push("h-1", List.of("a", "b", "c"));

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    for (String id : List.of("a", "b", "c")) {
      assertThat(w.xero.invoicesNumbered(id)).as(id).hasSize(1);
    }
    assertThat(w.xero.savedCount("PUT Invoices")).isEqualTo(3);
    assertThat(op.elements)
        .extracting(Operation.Element::state)
        .containsOnly(OperationState.SUCCEEDED);
  }

  @Test
  void aPushOfMoreThanFiftyGoesFiftyToARequest() {
    List<String> ids = IntStream.range(0, 120).mapToObj(i -> "n-" + i).toList();

    Operation op = push("h-2", ids);

    assertThat(op.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(w.xero.writeRequests.stream().filter("PUT Invoices"::equals)).hasSize(3);
    assertThat(w.xero.invoices).hasSize(120);
  }

  @Test
  void anInvoiceAlreadyInXeroIsNotSentAgain() {
    push("h-3", List.of("x"));

    Operation again = push("h-4", List.of("x", "y"));

    assertThat(again.state).isEqualTo(OperationState.SUCCEEDED);
    assertThat(again.elements.get(0).messages())
        .containsExactly("Already in Xero: not sent again.");
    assertThat(w.xero.invoicesNumbered("x")).hasSize(1);
    assertThat(w.xero.invoicesNumbered("y")).hasSize(1);
  }

  @Test
  void aRefusedInvoiceEndsOnItsOwnAndTheOthersStay() {
    w.xero.contact("c-r2", "Customer c-r2", "ARCHIVED");

    Operation op = push("h-5", List.of("r1", "r2", "r3"));

    assertThat(op.state).isEqualTo(OperationState.NEEDS_ATTENTION);
    assertThat(op.code).isEqualTo("SOME_INVOICES_REFUSED");
    assertThat(op.elements)
        .extracting(Operation.Element::state)
        .containsExactly(
            OperationState.SUCCEEDED, OperationState.NEEDS_ATTENTION, OperationState.SUCCEEDED);
    assertThat(op.elements.get(1).code()).isEqualTo("CONTACT_ARCHIVED");
    assertThat(w.xero.invoicesNumbered("r2")).isEmpty();
  }

  /**
   * A customer that an invoice in another lane is still creating: the push waits for it, as a
   * deposit does, and sends the others meanwhile, each once.
   */
  @Test
  void anInvoiceNamingACustomerStillBeingCreatedWaitsForIt() {
    Operation creator =
        w.accept(OperationKind.INVOICE_UPSERT, "inv-9", null, invoice("cust-h", "DRAFT", 5));
    w.log.markContactPending(creator);
    String waiting =
        invoice("cust-h", "DRAFT", 5)
            .replace(",\"name\":\"Customer cust-h\"", "")
            .replaceFirst("\\{", "{\"invoiceId\":\"h-w\",");
    String one = history(List.of("h-a"));
    String body = one.substring(0, one.length() - 2) + "," + waiting + "]}";
    Operation op = w.accept(OperationKind.INVOICE_HISTORY, "h-9", null, body);

    WriteExecutor.Pass first = w.pass(op);
    w.runToEnd(creator);
    Operation done = w.runToEnd(op);

    assertThat(first).isInstanceOf(WriteExecutor.Pass.Later.class);
    assertThat(done.state).as(done.messages.toString()).isEqualTo(OperationState.SUCCEEDED);
    assertThat(done.elements)
        .extracting(Operation.Element::externalId)
        .containsExactly("h-a", "h-w");
    assertThat(w.xero.invoicesNumbered("h-a")).hasSize(1);
    assertThat(w.xero.invoicesNumbered("h-w").get(0).path("Contact").path("ContactID").asText())
        .isEqualTo(w.xero.contactsNumbered("cust-h").get(0).path("ContactID").asText());
  }
}

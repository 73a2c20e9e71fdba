package dev.xerosync.sync;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.queue.SyncRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

class InvalidIdsTest {
  private static final String TENANT = "9d3c2b1a-aaaa-4bbb-8ccc-ddddeeeeffff";
  private static final String INVOICE = "0af8b7e4-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

  @Test
  void idsThatAreNoGuidsAreDroppedAndTheRestKept() {
    SyncRequest r = new SyncRequest(TENANT, List.of("x", INVOICE), List.of("+1-1-1-1-1"), "c");

    SyncRequest checked = InvalidIds.dropFrom(r, "m1");

    assertThat(checked.invoiceIds()).containsExactly(INVOICE);
    assertThat(checked.contactIds()).isEmpty();
  }

  /**
   * Issue 29, finding 8: a message queued with an upper-case tenant was another tenant to the
   * worker.
   */
  @Test
  void theTenantAndEveryIdAreLowerCased() {
    SyncRequest r =
        new SyncRequest(TENANT.toUpperCase(), List.of(INVOICE.toUpperCase()), List.of(INVOICE), "c")
            .withCreditNotes(List.of(INVOICE.toUpperCase()));

    SyncRequest checked = InvalidIds.dropFrom(r, "m1");

    assertThat(checked.tenantId()).isEqualTo(TENANT);
    assertThat(checked.invoiceIds()).containsExactly(INVOICE);
    assertThat(checked.contactIds()).containsExactly(INVOICE);
    assertThat(checked.creditNoteIds()).containsExactly(INVOICE);
  }

  @Test
  void aRequestAlreadyCanonicalIsReturnedAsItIs() {
    SyncRequest r = new SyncRequest(TENANT, List.of(INVOICE), List.of(), "c");

    assertThat(InvalidIds.dropFrom(r, "m1")).isSameAs(r);
  }
}

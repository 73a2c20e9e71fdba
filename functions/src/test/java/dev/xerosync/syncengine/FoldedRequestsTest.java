package dev.xerosync.syncengine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.queue.SyncRequest;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FoldedRequestsTest {
  private static final String TENANT = "tenant-1";
  private static final Instant T1 = Instant.parse("2026-03-10T12:00:01Z");
  private static final Instant T2 = Instant.parse("2026-03-10T12:00:02Z");

  private static SyncRequest changes(List<String> invoices, List<String> contacts) {
    return new SyncRequest(TENANT, invoices, contacts, "c");
  }

  @Test
  void severalRequestsOfATenantFoldIntoOneRunNamingEachIdOnce() {
    FoldedRequests f =
        FoldedRequests.of(
            List.of(
                changes(List.of("a", "b"), List.of("k1")).withCreditNotes(List.of("cn1")),
                changes(List.of("b", "c"), List.of("k1", "k2")),
                SyncRequest.reconcile(TENANT, "h1", "c"),
                SyncRequest.reconcile(TENANT, "h2", "c")),
            List.of(T1, T2, T2, T2));

    assertThat(f.invoiceSentAt()).containsOnlyKeys("a", "b", "c");
    assertThat(f.invoiceSentAt()).containsEntry("a", T1).containsEntry("b", T2);
    assertThat(f.contactIds()).containsExactly("k1", "k2");
    assertThat(f.creditNoteIds()).containsExactly("cn1");
    assertThat(f.reconcile()).isTrue();
    assertThat(f.initial()).isFalse();
    assertThat(f.hasChanges()).isTrue();
  }

  @Test
  void anUnknownTimeWinsSoTheIdIsNeverTakenAsCoveredOrStored() {
    FoldedRequests f =
        FoldedRequests.of(
            List.of(
                changes(List.of("a"), List.of()).withInvoicesChangedUpTo(T2),
                changes(List.of("a"), List.of()),
                changes(List.of("b"), List.of()).withInvoicesChangedUpTo(T1),
                changes(List.of("b"), List.of()).withInvoicesChangedUpTo(T2)),
            Arrays.asList(T1, null, T1, T1));

    assertThat(f.invoiceSentAt()).containsEntry("a", null).containsEntry("b", T1);
    assertThat(f.changedAt()).containsEntry("a", null).containsEntry("b", T2);
  }

  @Test
  void stepsAloneCarryNoChanges() {
    FoldedRequests f =
        FoldedRequests.of(
            List.of(SyncRequest.initialStep(TENANT, "s", "c")), Arrays.asList((Instant) null));

    assertThat(f.hasChanges()).isFalse();
    assertThat(f.initial()).isTrue();
  }
}

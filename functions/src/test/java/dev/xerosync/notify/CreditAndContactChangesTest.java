package dev.xerosync.notify;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.xerosync.common.Json;
import dev.xerosync.store.EventDraft;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Credit and contact events from their before and after, as the stores render them. */
class CreditAndContactChangesTest {
  private static final String TENANT = "tenant-1";

  private static ObjectNode credit(String remaining, String version, String... allocations) {
    ObjectNode n =
        Json.MAPPER
            .createObjectNode()
            .put("creditId", "cn-1")
            .put("kind", "CREDIT_NOTE")
            .put("total", new java.math.BigDecimal("100.00"))
            .put("remainingCredit", new java.math.BigDecimal(remaining))
            .put("updatedUtc", version);
    var list = n.putArray("allocations");
    for (String a : allocations) {
      String[] parts = a.split(":");
      list.addObject()
          .put("allocationId", parts[0])
          .put("invoiceId", "inv-" + parts[0])
          .put("amount", new java.math.BigDecimal(parts[1]));
    }
    return n;
  }

  private static List<String> types(List<EventDraft> events) {
    return events.stream().map(EventDraft::type).toList();
  }

  @Test
  void anAllocationAppearingIsAllocatedAndOneGoingIsUnallocated() {
    var allocated =
        CreditChanges.derive(
            TENANT,
            credit("100.00", "2026-10-01T00:00:00Z"),
            credit("70.00", "2026-10-02T00:00:00Z", "a1:30.00"));
    assertThat(types(allocated)).containsExactly(EventTypes.CREDIT_ALLOCATED);
    assertThat(allocated.get(0).data().path("allocation").path("invoiceId").asText())
        .isEqualTo("inv-a1");
    var unallocated =
        CreditChanges.derive(
            TENANT,
            credit("70.00", "2026-10-02T00:00:00Z", "a1:30.00"),
            credit("100.00", "2026-10-03T00:00:00Z"));
    assertThat(types(unallocated)).containsExactly(EventTypes.CREDIT_UNALLOCATED);
  }

  @Test
  void remainingCreditFallingBeyondTheAllocationsIsRefunded() {
    var events =
        CreditChanges.derive(
            TENANT,
            credit("70.00", "2026-10-02T00:00:00Z", "a1:30.00"),
            credit("0.00", "2026-10-03T00:00:00Z", "a1:30.00"));
    assertThat(types(events)).containsExactly(EventTypes.CREDIT_REFUNDED);
    assertThat(events.get(0).previous().path("remainingCredit").decimalValue())
        .isEqualByComparingTo("70");
  }

  @Test
  void aNewerVersionOfTheSameAllocationsDerivesNothing() {
    assertThat(
            CreditChanges.derive(
                TENANT,
                credit("70.00", "2026-10-02T00:00:00Z", "a1:30.00"),
                credit("70.00", "2026-10-05T00:00:00Z", "a1:30.00")))
        .isEmpty();
  }

  private static ObjectNode contact(String status, String mergedTo, String version) {
    return Json.MAPPER
        .createObjectNode()
        .put("contactId", "c-1")
        .put("status", status)
        .put("mergedToContactId", mergedTo)
        .put("updatedUtc", version);
  }

  @Test
  void archivingIsArchivedAndMergingIsMergedNamingTheSurvivor() {
    var archived =
        ContactChanges.derive(
            TENANT,
            contact("ACTIVE", null, "2026-10-01T00:00:00Z"),
            contact("ARCHIVED", null, "2026-10-02T00:00:00Z"));
    assertThat(types(archived)).containsExactly(EventTypes.CONTACT_ARCHIVED);
    assertThat(archived.get(0).previous().path("status").asText()).isEqualTo("ACTIVE");
    var merged =
        ContactChanges.derive(
            TENANT,
            contact("ACTIVE", null, "2026-10-01T00:00:00Z"),
            contact("ARCHIVED", "c-2", "2026-10-02T00:00:00Z"));
    assertThat(types(merged)).containsExactly(EventTypes.CONTACT_MERGED);
    assertThat(merged.get(0).data().path("mergedToContactId").asText()).isEqualTo("c-2");
  }

  @Test
  void aContactFirstSeenArchivedIsHistory() {
    assertThat(
            ContactChanges.derive(TENANT, null, contact("ARCHIVED", null, "2026-10-02T00:00:00Z")))
        .isEmpty();
  }
}

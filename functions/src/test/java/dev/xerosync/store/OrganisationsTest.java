package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.xero.XeroOrganisation;
import java.time.Clock;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** What writers read of a tenant's organisation, before and after the sync stores it. */
class OrganisationsTest {
  /**
   * The UTC stand-in is not cached: an invoice written a moment after the initial sync stores the
   * organisation keys its due date in the organisation's own timezone.
   */
  @Test
  void anOrganisationNotStoredYetIsReadAgainOnceStored() {
    LocalTable table = LocalTable.get();
    String tenant = UUID.randomUUID().toString();
    Organisations organisations =
        new Organisations(table.dynamoDb(), table.name(), Clock.systemUTC());
    assertThat(organisations.get(tenant).timezone()).isEqualTo(ZoneOffset.UTC);
    ZoneId auckland = ZoneId.of("Pacific/Auckland");
    new Connections(table.dynamoDb(), table.name())
        .putOrganisation(tenant, new XeroOrganisation("Org", "!abc", null, auckland, "NZD"));
    assertThat(organisations.get(tenant).timezone()).isEqualTo(auckland);
  }
}

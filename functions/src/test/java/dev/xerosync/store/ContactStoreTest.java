package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.xerosync.xero.XeroContact;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** A page of contacts in few round trips, each still written only over an older version. */
class ContactStoreTest {
  private static final Instant T1 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2026-02-01T00:00:00Z");

  private final LocalTable table = LocalTable.get();
  private final String tenant = UUID.randomUUID().toString();
  private final AtomicInteger transactions = new AtomicInteger();
  private final ContactStore store = new ContactStore(counting(table.dynamoDb()), table.name());

  @Test
  void aPageOfContactsTakesOneTransactionPer99() {
    List<XeroContact> page = new ArrayList<>();
    for (int i = 0; i < 250; i++) {
      page.add(contact("c-" + i, "Customer " + i, T1));
    }

    store.upsertAll(tenant, page);

    assertThat(transactions).hasValue(3);
    for (XeroContact c : page) {
      assertThat(store.get(tenant, c.contactId())).contains(c);
    }
  }

  @Test
  void aStoredNewerVersionIsKeptAndTheRestOfItsChunkIsStillStored() {
    XeroContact newer = contact("c-1", "Renamed later", T2);
    store.upsert(tenant, newer);

    XeroContact other = contact("c-2", "Other", T1);
    store.upsertAll(tenant, List.of(contact("c-1", "Old name", T1), other));

    assertThat(store.get(tenant, "c-1")).contains(newer);
    assertThat(store.get(tenant, "c-2")).contains(other);
  }

  @Test
  void aPageNamingAContactTwiceKeepsItsNewest() {
    XeroContact newest = contact("c-1", "Second", T2);

    store.upsertAll(tenant, List.of(newest, contact("c-1", "First", T1)));

    assertThat(store.get(tenant, "c-1")).contains(newest);
    assertThat(transactions).hasValue(1);
  }

  private static XeroContact contact(String id, String name, Instant updated) {
    return new XeroContact(id, name, "ACTIVE", true, false, null, updated, null);
  }

  /** The client, counting TransactWriteItems calls. */
  private DynamoDbClient counting(DynamoDbClient client) {
    return (DynamoDbClient)
        Proxy.newProxyInstance(
            DynamoDbClient.class.getClassLoader(),
            new Class<?>[] {DynamoDbClient.class},
            (proxy, method, args) -> {
              if (method.getName().equals("transactWriteItems")) {
                transactions.incrementAndGet();
              }
              try {
                return method.invoke(client, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }
}

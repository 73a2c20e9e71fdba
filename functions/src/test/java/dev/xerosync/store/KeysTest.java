package dev.xerosync.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class KeysTest {
  static final String T = "aaaaaaaa-1111-4111-8111-000000000001";

  @Test
  void aKeyIsTheTablesPkAndSkAsStrings() {
    var key = Keys.key(Keys.invoicePk(T, "i-1"), Keys.INVOICE_SK);
    assertThat(key)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "pk", AttributeValue.fromS("T#" + T + "#INV#i-1"),
                "sk", AttributeValue.fromS("INVOICE")));
    assertThatThrownBy(() -> key.put("x", AttributeValue.fromS("y")))
        .as("a key is not an item to add to")
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void anItemStartsWithItsKeyAndTheKeyWinsOverAnAttributeOfTheSameName() {
    var item = Keys.item(Keys.tenantPk(T), Keys.CONNECTION_SK);
    item.put("status", AttributeValue.fromS("CONNECTED"));
    assertThat(Keys.keyOf(item)).isEqualTo(Keys.key("T#" + T, "CONNECTION"));
    var built =
        Keys.item(
            Keys.flowPk("f"),
            Keys.FLOW_SK,
            Map.of(
                "pk", AttributeValue.fromS("forged"), "saasTenantId", AttributeValue.fromS("s")));
    assertThat(built.get("pk").s()).isEqualTo("FLOW#f");
    assertThat(built).containsEntry("saasTenantId", AttributeValue.fromS("s")).hasSize(3);
  }

  @Test
  void theTenantsItemsArePurgedWithItButNotOtherTenants() {
    assertThat(Keys.purgedWithTenant(T, Keys.invoicePk(T, "i"), Keys.INVOICE_SK)).isTrue();
    assertThat(Keys.purgedWithTenant(T, Keys.tenantPk(T), Keys.ORGANISATION_SK)).isTrue();
    assertThat(Keys.purgedWithTenant(T, Keys.tenantPk(T), Keys.CONNECTION_SK)).isFalse();
    String other = "bbbbbbbb-2222-4222-8222-000000000002";
    assertThat(Keys.purgedWithTenant(T, Keys.invoicePk(other, "i"), Keys.INVOICE_SK)).isFalse();
  }
}

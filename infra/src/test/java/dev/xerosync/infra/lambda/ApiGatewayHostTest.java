package dev.xerosync.infra.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiGatewayHostTest {
  @Test
  void matchesResourcePathsAndDecodesParameters() {
    assertThat(
            ApiGatewayHost.match(
                "/tenants/{tenantId}/invoices/{invoiceId}", "/tenants/t-1/invoices/a%2Fb"))
        .isEqualTo(Map.of("tenantId", "t-1", "invoiceId", "a/b"));
    assertThat(ApiGatewayHost.match("/webhooks/xero", "/webhooks/xero")).isEmpty();
    assertThat(ApiGatewayHost.match("/files/{proxy+}", "/files/a/b/c"))
        .isEqualTo(Map.of("proxy", "a/b/c"));
  }

  @Test
  void refusesPathsOfAnotherShape() {
    assertThat(
            ApiGatewayHost.match(
                "/tenants/{tenantId}/invoices/{invoiceId}", "/tenants/t-1/invoices"))
        .isNull();
    assertThat(
            ApiGatewayHost.match(
                "/tenants/{tenantId}/invoices/{invoiceId}", "/tenants/t-1/invoices/x/y"))
        .isNull();
    assertThat(ApiGatewayHost.match("/tenants/{tenantId}", "/tenants/")).isNull();
    assertThat(ApiGatewayHost.match("/webhooks/xero", "/webhooks/xer0")).isNull();
  }
}

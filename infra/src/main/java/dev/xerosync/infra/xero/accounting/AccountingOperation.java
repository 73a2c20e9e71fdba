package dev.xerosync.infra.xero.accounting;

import dev.xerosync.infra.xero.http.SimResponse;

/** One accounting API operation (GET Invoices, PUT Payments, ...). */
@FunctionalInterface
public interface AccountingOperation {
  SimResponse handle(AccountingCall call) throws Exception;
}

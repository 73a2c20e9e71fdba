package dev.xerosync.infra.xero.accounting;

import dev.xerosync.infra.xero.http.SimRequest;
import dev.xerosync.infra.xero.ledger.Ledger;

/** A request that passed authentication, tenancy and rate limits: the operation's whole input. */
public record AccountingCall(
    SimRequest request, Ledger ledger, String clientId, String providerName) {}

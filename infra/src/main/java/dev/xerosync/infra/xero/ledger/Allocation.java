package dev.xerosync.infra.xero.ledger;

import java.math.BigDecimal;
import java.time.LocalDate;

/** Part of a credit note, overpayment or prepayment applied against an invoice. */
public record Allocation(
    String allocationId, String creditId, String invoiceId, BigDecimal amount, LocalDate date) {}

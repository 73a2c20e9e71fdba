package dev.xerosync.xero;

import java.math.BigDecimal;
import java.time.LocalDate;
import org.jspecify.annotations.Nullable;

/** A payment applied to an invoice, as Xero lists it in the invoice's Payments array. */
public record XeroPayment(
    @Nullable String paymentId,
    @Nullable LocalDate date,
    BigDecimal amount,
    @Nullable String reference) {}

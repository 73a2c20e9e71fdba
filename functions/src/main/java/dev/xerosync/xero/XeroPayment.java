package dev.xerosync.xero;

import java.math.BigDecimal;
import java.time.LocalDate;

/** A payment applied to an invoice, as Xero lists it in the invoice's Payments array. */
public record XeroPayment(String paymentId, LocalDate date, BigDecimal amount, String reference) {}

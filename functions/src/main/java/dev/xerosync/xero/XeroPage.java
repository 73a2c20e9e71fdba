package dev.xerosync.xero;

import java.util.List;

/** One page of a list call, with Xero's pagination counts when it sent them (null otherwise). */
public record XeroPage<T>(List<T> items, Integer page, Integer pageCount, Integer itemCount) {}

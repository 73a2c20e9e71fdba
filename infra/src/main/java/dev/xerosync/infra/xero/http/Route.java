package dev.xerosync.infra.xero.http;

/** A handler for one operation. */
@FunctionalInterface
public interface Route {
  SimResponse handle(SimRequest request) throws Exception;
}

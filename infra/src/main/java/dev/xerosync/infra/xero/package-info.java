/**
 * A local Xero for tests and the local stack: {@link dev.xerosync.infra.xero.XeroSimulator} serves
 * Xero Identity (OAuth 2), the Accounting API and webhooks on one port, over per-organisation
 * ledgers ({@link dev.xerosync.infra.xero.ledger.Ledger}) that tests script through {@link
 * dev.xerosync.infra.xero.SimOrganisation}.
 *
 * <p>Layout: {@code http} (listener, request/response, error bodies, date and money spellings),
 * {@code identity} (tokens, connections, consent), {@code accounting} (one class per operation
 * behind {@code AccountingGate}), {@code ledger} (state, no HTTP), {@code webhooks}, {@code
 * ratelimit}, {@code scenario} (generated histories), {@code control} (the HTTP control API under
 * /_sim/, on only where mounted).
 *
 * <p>Xero behaviour encoded here that is easy to get wrong, and where it comes from:
 *
 * <ul>
 *   <li>Expired access token: 401 with ASP.NET ProblemDetails {@code
 *       {"Type":null,"Title":"Unauthorized","Status":401, "Detail":"TokenExpired: token expired at
 *       MM/dd/yyyy HH:mm:ss","Instance":...,"Extensions":{}}} and the JwtBearer challenge {@code
 *       WWW-Authenticate: Bearer error="invalid_token", error_description="The token expired at
 *       '...'"} (bodies quoted in xeroizer PR #509, pyxero tests; header is what ASP.NET Core's
 *       JwtBearer emits).
 *   <li>Tenant missing or not connected: 403 ProblemDetails with Detail {@code
 *       AuthenticationUnsuccessful} (NangoHQ/nango#203, XeroAPI/xero-node#432).
 *   <li>URL length: past about 2,091 characters of full URL the gateway answers 404 "The resource
 *       you're looking for cannot be found" (52 encoded GUIDs in IDs work, 53 fail:
 *       XeroAPI/Xero-OpenAPI#534, xero-node#404, Xero-NetStandard#471). Earlier reports of 414/400
 *       near 200 IDs (xero-ruby#178) predate the current gateway.
 *   <li>Refresh tokens rotate on every use; the used one keeps working for 30 minutes, unused ones
 *       lapse after 60 days; failures are {@code 400 {"error":"invalid_grant"}} (Xero OAuth 2 docs,
 *       Xero-NetStandard#257).
 *   <li>Connection timestamps: seven fractional digits, no zone, as in the identity spec's own
 *       example (which does not meet its declared date-time format).
 *   <li>Webhooks: body {@code events, firstEventSequence, lastEventSequence, entropy} (20 capital
 *       letters), signature base64(HMAC-SHA256(key, raw body)); intent to receive needs 200 for a
 *       good and 401 for a bad signature; eventDateUtc carries milliseconds and no zone
 *       (xero-webhooks.yaml, Xero webhooks docs).
 *   <li>Rate limits: 5 concurrent, 60 per rolling minute and 5,000 (configurable) per rolling day
 *       per app and tenant, 10,000 per minute per app; every response has X-MinLimit-Remaining,
 *       X-DayLimit-Remaining and X-AppMinLimit-Remaining, a 429 adds X-Rate-Limit-Problem and
 *       Retry-After (Xero API limits docs/FAQ).
 *   <li>Batch writes: summarizeErrors=true (default) fails the whole request with 400
 *       ValidationException listing the bad elements, each echoing the submitted object with
 *       ValidationErrors (the spec's own examples); false saves the valid ones and returns 200 with
 *       HasErrors/StatusAttributeString per element.
 *   <li>Idempotency-Key (Xero's "Idempotent requests" guide): POST/PUT/PATCH, at most 128
 *       characters, 6 minutes per app, replays the first response, refuses another request under
 *       the same key; see {@code accounting.IdempotentWrites}.
 *   <li>Validation messages: one definition each in {@code ledger.XeroMessages}, with its source.
 * </ul>
 *
 * <p>Choices where Xero documents nothing: unpaged GET Invoices returns every match without line
 * items and without the pagination object; default order is UpdatedDateUTC then InvoiceID;
 * If-Modified-Since is inclusive at second precision, and a value it cannot read is ignored (the
 * read returns everything); a body goes out gzipped when Accept-Encoding asks, and {@code
 * http.EgressMeter} counts it as sent, per tenant and endpoint, as Xero meters egress; pageSize
 * above 1,000 is capped; a 429 body is a ProblemDetails "Too Many Requests"; webhook retries back
 * off 1, 2, 4 ... 60 minutes resending the identical signed body, and 24 hours of failures disable
 * the subscription.
 */
package dev.xerosync.infra.xero;

package dev.xerosync.infra.xero;

import java.time.Instant;

/** What a Xero token endpoint hands an app after consent, as the rest of the project needs it. */
public record TokenSet(
    String accessToken, String refreshToken, Instant accessTokenExpiresAt, String authEventId) {}

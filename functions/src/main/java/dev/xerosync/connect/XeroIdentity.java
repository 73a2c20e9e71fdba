package dev.xerosync.connect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.xerosync.common.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;

/** Xero's token endpoint, with the app's Basic client authentication. */
public final class XeroIdentity {
    private final HttpClient http;
    private final URI tokenEndpoint;
    private final String basicAuth;
    private final Clock clock;

    public XeroIdentity(HttpClient http, URI identityBase, String clientId, String clientSecret, Clock clock) {
        this.http = http;
        this.tokenEndpoint = identityBase.resolve("/connect/token");
        this.basicAuth = "Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        this.clock = clock;
    }

    public ConnectionTokens refresh(String refreshToken) throws TokenRefreshException {
        return grant("grant_type=refresh_token&refresh_token=" + URLEncoder.encode(refreshToken, StandardCharsets.UTF_8));
    }

    private ConnectionTokens grant(String form) throws TokenRefreshException {
        HttpRequest request = HttpRequest.newBuilder(tokenEndpoint)
                .timeout(Duration.ofSeconds(15))
                .header("Authorization", basicAuth)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            JsonNode body = Json.MAPPER.readTree(response.body());
            if (response.statusCode() != 200) {
                String error = body.path("error").asText("unknown_error");
                throw new TokenRefreshException(error, "Xero refused the token request: " + error);
            }
            var now = clock.instant();
            return new ConnectionTokens(body.path("access_token").asText(), body.path("refresh_token").asText(),
                    now.plusSeconds(body.path("expires_in").asLong(1800)), now);
        } catch (IOException e) {
            throw new TokenRefreshException("unreachable", "Xero's token endpoint did not answer: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenRefreshException("interrupted", "interrupted while refreshing a token");
        }
    }
}

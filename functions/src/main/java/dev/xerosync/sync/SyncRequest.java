package dev.xerosync.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.xerosync.common.Json;
import java.io.IOException;
import java.util.List;

/**
 * What the worker is asked to bring up to date for one tenant: the message body on the sync queue.
 * The webhook receiver already folds a delivery's events into one request per tenant.
 */
public record SyncRequest(String tenantId, List<String> invoiceIds, List<String> contactIds, String correlationId) {

    public SyncRequest {
        invoiceIds = invoiceIds == null ? List.of() : List.copyOf(invoiceIds);
        contactIds = contactIds == null ? List.of() : List.copyOf(contactIds);
    }

    public String toJson() {
        try {
            return Json.MAPPER.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static SyncRequest fromJson(String body) throws InvalidSyncRequestException {
        SyncRequest request;
        try {
            request = Json.MAPPER.readValue(body, SyncRequest.class);
        } catch (IOException | RuntimeException e) {
            throw new InvalidSyncRequestException("message body is not a sync request");
        }
        if (request.tenantId() == null || request.tenantId().isBlank()) {
            throw new InvalidSyncRequestException("sync request has no tenantId");
        }
        return request;
    }

    public static final class InvalidSyncRequestException extends Exception {
        public InvalidSyncRequestException(String message) {
            super(message);
        }
    }
}

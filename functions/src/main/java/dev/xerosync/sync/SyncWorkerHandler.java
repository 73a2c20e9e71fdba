package dev.xerosync.sync;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.xerosync.common.AwsClients;
import dev.xerosync.common.Environment;
import dev.xerosync.common.Log;
import dev.xerosync.connect.AccessTokens;
import dev.xerosync.connect.TokenVault;
import dev.xerosync.connect.XeroIdentity;
import dev.xerosync.store.InvoiceStore;
import dev.xerosync.xero.XeroApi;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Takes a batch from the FIFO sync queue, folds it per tenant (message group), syncs each tenant once,
 * and reports the messages of failed tenants as batch item failures so only those come back.
 *
 * <p>FIFO rule (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-errorhandling.html): within a
 * message group, once one message fails, every later message of that group must fail too, or order is
 * lost. Groups are independent, so other tenants' messages still succeed.
 */
public final class SyncWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Log LOG = Log.of(SyncWorkerHandler.class);

    private final TenantSync sync;

    public SyncWorkerHandler() {
        this(Environment.process());
    }

    public SyncWorkerHandler(Environment env) {
        this(tenantSync(env));
    }

    public SyncWorkerHandler(TenantSync sync) {
        this.sync = sync;
    }

    private static TenantSync tenantSync(Environment env) {
        HttpClient http = XeroApi.defaultHttpClient();
        Clock clock = Clock.systemUTC();
        var tokens = new AccessTokens(
                new TokenVault(AwsClients.secretsManager(env), env.get("CONNECTION_SECRET_PREFIX", TokenVault.DEFAULT_PREFIX)),
                new XeroIdentity(http, URI.create(env.required("XERO_IDENTITY_BASE_URL")),
                        env.required("XERO_CLIENT_ID"), env.required("XERO_CLIENT_SECRET"), clock),
                clock);
        return new TenantSync(new XeroApi(http, URI.create(env.required("XERO_API_BASE_URL"))), tokens,
                new InvoiceStore(AwsClients.dynamoDb(env), env.required("TABLE_NAME"), clock));
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        Map<String, List<SQSEvent.SQSMessage>> groups = new LinkedHashMap<>();
        for (SQSEvent.SQSMessage m : event.getRecords()) {
            groups.computeIfAbsent(groupOf(m), k -> new ArrayList<>()).add(m);
        }
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (var group : groups.entrySet()) {
            failures.addAll(processGroup(group.getValue()));
        }
        return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
    }

    private List<SQSBatchResponse.BatchItemFailure> processGroup(List<SQSEvent.SQSMessage> messages) {
        // Fold the valid prefix; a message that cannot be read fails with everything after it.
        List<SQSEvent.SQSMessage> taken = new ArrayList<>();
        List<SQSEvent.SQSMessage> failed = new ArrayList<>();
        String tenantId = null;
        Set<String> invoiceIds = new LinkedHashSet<>();
        String correlationId = null;
        for (SQSEvent.SQSMessage m : messages) {
            if (!failed.isEmpty()) {
                failed.add(m);
                continue;
            }
            try {
                SyncRequest request = SyncRequest.fromJson(m.getBody());
                if (tenantId != null && !tenantId.equals(request.tenantId())) {
                    throw new SyncRequest.InvalidSyncRequestException("message group holds another tenant's request");
                }
                tenantId = request.tenantId();
                invoiceIds.addAll(request.invoiceIds());
                correlationId = correlationId == null ? request.correlationId() : correlationId;
                taken.add(m);
            } catch (SyncRequest.InvalidSyncRequestException e) {
                LOG.warn("unreadable sync message; it will reach the dead-letter queue", "messageId", m.getMessageId(), "reason", e.getMessage());
                failed.add(m);
            }
        }
        if (tenantId != null) {
            try {
                sync.syncInvoices(tenantId, invoiceIds, correlationId);
            } catch (SyncFailure e) {
                if (e.kind() == SyncFailure.Kind.RECONNECT_NEEDED) {
                    // Retrying cannot help until the tenant reconnects; the reconnect starts a full sync.
                    LOG.warn("tenant needs to reconnect; its changes will be read on reconnect", "tenantId", tenantId, "reason", e.getMessage());
                } else {
                    LOG.error("tenant sync failed; messages return to the queue", e, "tenantId", tenantId, "correlationId", correlationId);
                    failed.addAll(0, taken);
                }
            } catch (RuntimeException e) {
                LOG.error("tenant sync failed unexpectedly; messages return to the queue", e, "tenantId", tenantId, "correlationId", correlationId);
                failed.addAll(0, taken);
            }
        }
        return failed.stream().map(m -> new SQSBatchResponse.BatchItemFailure(m.getMessageId())).toList();
    }

    private static String groupOf(SQSEvent.SQSMessage m) {
        Map<String, String> attributes = m.getAttributes();
        String group = attributes == null ? null : attributes.get("MessageGroupId");
        return group == null ? "" : group;
    }
}

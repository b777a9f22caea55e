package dev.herald.api.grpc;

import dev.herald.api.auth.Caller;
import dev.herald.api.grpc.v1.BulkResult;
import dev.herald.api.grpc.v1.CreateBulkRequest;
import dev.herald.api.grpc.v1.CreateBulkResponse;
import dev.herald.api.grpc.v1.CreateRequest;
import dev.herald.api.grpc.v1.CreateResponse;
import dev.herald.api.grpc.v1.Error;
import dev.herald.api.grpc.v1.GetPreferencesRequest;
import dev.herald.api.grpc.v1.ListRequest;
import dev.herald.api.grpc.v1.ListResponse;
import dev.herald.api.grpc.v1.MarkReadRequest;
import dev.herald.api.grpc.v1.MarkReadResponse;
import dev.herald.api.grpc.v1.NotificationsGrpc;
import dev.herald.api.grpc.v1.PreferencesResponse;
import dev.herald.api.grpc.v1.UpdatePreferencesRequest;
import dev.herald.api.rest.Callers;
import dev.herald.api.rest.NotificationBodies;
import dev.herald.api.rest.NotificationsHttpService;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.inbox.InboxQuery;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.inbox.PreferencesJson;
import dev.herald.core.inbox.UserSettings;
import dev.herald.core.ingest.NotificationIntake;
import dev.herald.core.notification.Created;
import dev.herald.core.notification.Preferences;
import io.grpc.stub.StreamObserver;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code herald.v1.Notifications}: the durable inbox over gRPC, on the same {@link NotificationIntake},
 * {@link InboxService} and {@link UserSettings} as REST, so validation, idempotency, preferences
 * and error codes are the REST ones (a refusal's code is in the {@code error-code} trailer, mapped
 * to a status by {@link GrpcErrors}). Every call is a service's ({@link ServiceAuthInterceptor});
 * List and MarkRead act on the inbox named by {@code user_id}, as REST's {@code ?userId=}.
 *
 * <p>Threading: blocks on the store; the server runs calls on virtual threads.
 */
public final class InboxGrpcService extends NotificationsGrpc.NotificationsImplBase {
    private static final Logger log = LoggerFactory.getLogger(InboxGrpcService.class);

    private final NotificationIntake intake;
    private final InboxService inbox;
    private final UserSettings settings;

    public InboxGrpcService(NotificationIntake intake, InboxService inbox, UserSettings settings) {
        this.intake = Objects.requireNonNull(intake, "intake");
        this.inbox = Objects.requireNonNull(inbox, "inbox");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    @Override
    public void create(CreateRequest req, StreamObserver<CreateResponse> out) {
        GrpcCalls.answer(log, "Create", req, "", out, () -> GrpcNotifications.created(store(req, null)));
    }

    private Created store(CreateRequest req, String derivedKey) {
        return intake.create(NotificationBodies.create(GrpcNotifications.body(req), derivedKey, caller()));
    }

    @Override
    public void createBulk(CreateBulkRequest req, StreamObserver<CreateBulkResponse> out) {
        GrpcCalls.answer(log, "CreateBulk", req, "", out, () -> {
            int n = req.getNotificationsCount();
            if (n == 0) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "notifications: at least one item is required");
            if (n > NotificationsHttpService.MAX_BULK_ITEMS) {
                throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "notifications: at most " + NotificationsHttpService.MAX_BULK_ITEMS + " items");
            }
            String batchKey = req.getIdempotencyKey();
            CreateBulkResponse.Builder answer = CreateBulkResponse.newBuilder();
            int accepted = 0;
            for (int i = 0; i < n; i++) {
                CreateRequest item = req.getNotifications(i);
                BulkResult.Builder result = BulkResult.newBuilder().setIndex(i);
                // As over REST: the item's own key wins over the one derived from the batch's.
                String key = batchKey.isEmpty() || !item.getIdempotencyKey().isEmpty() ? null : batchKey + "#" + i;
                try {
                    Created c = store(item, key);
                    result.addAllIds(c.ids()).setReplayed(c.replayed());
                    accepted++;
                } catch (HeraldException e) {
                    result.setError(Error.newBuilder().setCode(e.code().name()).setMessage(e.getMessage()));
                } catch (RuntimeException e) {
                    log.error("bulk item {} failed", i, e);
                    result.setError(Error.newBuilder().setCode(ErrorCode.INTERNAL.name()).setMessage("unexpected server error"));
                }
                answer.addResults(result);
            }
            return answer.setAccepted(accepted).setFailed(n - accepted).build();
        });
    }

    @Override
    public void list(ListRequest req, StreamObserver<ListResponse> out) {
        GrpcCalls.answer(log, "List", req, "", out, () -> {
            int page = req.getPage() == 0 ? 1 : req.getPage();
            int limit = req.getLimit() == 0 ? NotificationsHttpService.DEFAULT_LIMIT : req.getLimit();
            if (limit < 1 || limit > InboxQuery.MAX_LIMIT) {
                throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "limit: must be between 1 and " + InboxQuery.MAX_LIMIT);
            }
            return GrpcNotifications.page(inbox.inbox(Callers.userId(req.getUserId()), page, limit, req.getUnreadOnly(),
                    emptyToNull(req.getChannel()), emptyToNull(req.getType())));
        });
    }

    @Override
    public void markRead(MarkReadRequest req, StreamObserver<MarkReadResponse> out) {
        GrpcCalls.answer(log, "MarkRead", req, "", out, () -> {
            String userId = Callers.userId(req.getUserId());
            if (req.getNotificationId().isEmpty()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "notification_id: required");
            return MarkReadResponse.newBuilder()
                    .setNotification(GrpcNotifications.notification(inbox.markRead(userId, req.getNotificationId()))).build();
        });
    }

    @Override
    public void getPreferences(GetPreferencesRequest req, StreamObserver<PreferencesResponse> out) {
        GrpcCalls.answer(log, "GetPreferences", req, "", out,
                () -> preferences(settings.preferences(Callers.userId(req.getUserId()))));
    }

    @Override
    public void updatePreferences(UpdatePreferencesRequest req, StreamObserver<PreferencesResponse> out) {
        GrpcCalls.answer(log, "UpdatePreferences", req, "", out, () -> {
            String userId = Callers.userId(req.getUserId());
            if (req.getPreferencesJson().isEmpty()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "preferences_json: required");
            var body = Json.parse(req.getPreferencesJson(), "preferences_json");
            return preferences(req.getMerge() ? settings.updatePreferences(userId, body) : settings.replacePreferences(userId, body));
        });
    }

    private static PreferencesResponse preferences(Preferences p) {
        return PreferencesResponse.newBuilder().setPreferencesJson(PreferencesJson.toJson(p).toString()).build();
    }

    private static String caller() {
        Caller caller = ServiceAuthInterceptor.CALLER.get();
        return caller == null ? null : caller.id();
    }

    private static String emptyToNull(String s) {
        return s.isEmpty() ? null : s;
    }
}

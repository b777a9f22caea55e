package dev.herald.api.grpc;

import static dev.herald.api.grpc.GrpcServerTest.errorCode;
import static dev.herald.api.grpc.GrpcServerTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.auth.JwtAuthenticator;
import dev.herald.api.auth.JwtConfig;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.api.auth.TokenIssuer;
import dev.herald.api.grpc.v1.BroadcastToEveryoneRequest;
import dev.herald.api.grpc.v1.CreateBulkRequest;
import dev.herald.api.grpc.v1.CreateBulkResponse;
import dev.herald.api.grpc.v1.CreateRequest;
import dev.herald.api.grpc.v1.CreateResponse;
import dev.herald.api.grpc.v1.GetPreferencesRequest;
import dev.herald.api.grpc.v1.ListRequest;
import dev.herald.api.grpc.v1.ListResponse;
import dev.herald.api.grpc.v1.MarkReadRequest;
import dev.herald.api.grpc.v1.NotificationsGrpc;
import dev.herald.api.grpc.v1.NotificationsGrpc.NotificationsBlockingStub;
import dev.herald.api.grpc.v1.RealtimeGrpc;
import dev.herald.api.grpc.v1.UpdatePreferencesRequest;
import dev.herald.core.Json;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.inbox.InboxService;
import dev.herald.core.inbox.UserSettings;
import dev.herald.core.ingest.LiveEvents;
import dev.herald.core.ingest.LiveEventsConfig;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.notification.WebhookUrls;
import dev.herald.core.pipeline.NotificationPipeline;
import dev.herald.core.pipeline.PipelineConfig;
import dev.herald.core.route.Hub;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.MutableClock;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** herald.v1.Notifications on a real GrpcServer over core's pipeline, inbox and settings on the memory store. */
class InboxGrpcServiceTest {
    static final String API_KEY = "inbox-grpc-test-key-0123456789";
    static final String SECRET = "inbox-grpc-test-secret-long-enough-hs256";
    final MutableClock clock = MutableClock.at("2026-11-24T10:00:00Z");
    final JwtConfig jwt = JwtConfig.hs256(SECRET);
    final Hub hub = new Hub(new MemoryBroker());
    final MemoryPresenceRegistry presence = new MemoryPresenceRegistry();
    final MemoryNotificationStore store = new MemoryNotificationStore();
    final NotificationPipeline pipeline = new NotificationPipeline(store.storage(), new LiveNotifier(hub), clock, PipelineConfig.defaults());
    final InboxService inbox = new InboxService(store.storage(), new LiveNotifier(hub), clock);
    final UserSettings settings = new UserSettings(store.storage().preferences(), store.storage().contacts(), WebhookUrls.httpsOnly(), clock);
    GrpcServer server;
    ManagedChannel channel;
    NotificationsBlockingStub service;

    @BeforeEach
    void start() {
        hub.start();
        ServiceAuth auth = new ServiceAuth(new JwtAuthenticator(jwt, clock), List.of(API_KEY));
        LiveEvents realtime = new LiveEvents(hub, presence, clock, new LiveEventsConfig(1000, 100, Duration.ofSeconds(5)));
        server = new GrpcServer(GrpcConfig.onPort(0), realtime, auth, List.of(),
                List.of(new InboxGrpcService(pipeline, inbox, settings), new RealtimeGrpcService(realtime))).start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        service = as("Bearer " + API_KEY);
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
        pipeline.close();
    }

    NotificationsBlockingStub as(String authorization) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
        return NotificationsGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                .withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    static CreateRequest.Builder order(String... recipients) {
        return CreateRequest.newBuilder().addAllRecipients(List.of(recipients)).setType("order_status")
                .setTitle("Order Updated").setMessage("Your order has been shipped");
    }

    static void assertRefused(Runnable call, Status.Code status, String code) {
        StatusRuntimeException e = failure(call);
        assertThat(e.getStatus().getCode()).isEqualTo(status);
        assertThat(errorCode(e)).isEqualTo(code);
    }

    @Test
    void createStoresOneNotificationPerRecipientAndEmitsItLive() {
        FakeSession tab = FakeSession.of("u-1", "team");
        hub.join(tab, LiveNotifier.userRoom("u-1"));

        CreateResponse r = service.create(order("u-1", "u-2").setPriority("high").setDataJson("{\"orderId\":42}").build());

        assertThat(r.getIdsCount()).isEqualTo(2);
        assertThat(r.getReplayed()).isFalse();
        assertThat(r.getNotifications(0).getRecipientId()).isEqualTo("u-1");
        assertThat(r.getNotifications(0).getPriority()).isEqualTo("high");
        assertThat(Json.parse(r.getNotifications(0).getDataJson(), "data").path("orderId").asInt()).isEqualTo(42);
        assertThat(tab.sent("notification")).hasSize(1);
        assertThat(inbox.get("u-2", r.getIds(1)).title()).isEqualTo("Order Updated");
    }

    @Test
    void aRepeatedIdempotencyKeyReplaysAndADifferentRequestWithItIsAConflict() {
        CreateResponse first = service.create(order("u-1").setIdempotencyKey("k-1").build());
        CreateResponse again = service.create(order("u-1").setIdempotencyKey("k-1").build());

        assertThat(again.getReplayed()).isTrue();
        assertThat(again.getIdsList()).isEqualTo(first.getIdsList());
        assertRefused(() -> service.create(order("u-1").setIdempotencyKey("k-1").setTitle("Other").build()),
                Status.Code.ALREADY_EXISTS, "CONFLICT");
    }

    @Test
    void anInvalidCreateIsRefusedWithInvalidArgumentNamingTheField() {
        StatusRuntimeException e = failure(() -> service.create(order().build()));
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(errorCode(e)).isEqualTo("INVALID_ARGUMENT");
        assertThat(e.getStatus().getDescription()).contains("recipients");

        assertRefused(() -> service.create(order("u-1").setDataJson("{not json").build()), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertRefused(() -> service.create(order("u-1").setScheduledAt("tomorrow").build()), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertRefused(() -> service.create(order("u-1").setRoom("team:t-1").clearRecipients().build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
    }

    @Test
    void aUserTokenIsRefusedAndNoCredentialIsUnauthenticated() {
        String user = new TokenIssuer(jwt, clock).issue("u-1", "team", List.of(), List.of(), Duration.ofDays(1));
        assertRefused(() -> as("Bearer " + user).create(order("u-1").build()), Status.Code.PERMISSION_DENIED, "FORBIDDEN");
        assertRefused(() -> NotificationsGrpc.newBlockingStub(channel).list(ListRequest.newBuilder().setUserId("u-1").build()),
                Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED");
        assertThat(inbox.inbox("u-1", 1, 10, false, null, null).total()).isZero();
    }

    @Test
    void bulkReportsEachItemAtItsIndexAndDerivesKeysFromTheBatchKey() {
        CreateBulkRequest batch = CreateBulkRequest.newBuilder().setIdempotencyKey("batch-1")
                .addNotifications(order("u-1")).addNotifications(order().setType("order_status"))
                .addNotifications(order("u-3")).build();

        CreateBulkResponse r = service.createBulk(batch);
        CreateBulkResponse again = service.createBulk(batch);

        assertThat(r.getAccepted()).isEqualTo(2);
        assertThat(r.getFailed()).isEqualTo(1);
        assertThat(r.getResults(1).getError().getCode()).isEqualTo("INVALID_ARGUMENT");
        assertThat(r.getResults(0).hasError()).isFalse();
        assertThat(again.getResults(0).getReplayed()).isTrue();
        assertThat(again.getResults(2).getIdsList()).isEqualTo(r.getResults(2).getIdsList());
        assertRefused(() -> service.createBulk(CreateBulkRequest.getDefaultInstance()), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
    }

    @Test
    void listPagesTheNamedInboxAndMarkReadChangesTheUnreadCount() {
        for (int i = 0; i < 3; i++) {
            service.create(order("u-1").setTitle("n" + i).build());
            clock.advance(Duration.ofSeconds(1));
        }
        service.create(order("u-2").build());

        ListResponse page = service.list(ListRequest.newBuilder().setUserId("u-1").setLimit(2).build());
        assertThat(page.getNotificationsList()).extracting(n -> n.getTitle()).containsExactly("n2", "n1");
        assertThat(page.getTotal()).isEqualTo(3);
        assertThat(page.getHasMore()).isTrue();
        assertThat(page.getUnreadCount()).isEqualTo(3);

        var read = service.markRead(MarkReadRequest.newBuilder().setUserId("u-1").setNotificationId(page.getNotifications(0).getId()).build());
        assertThat(read.getNotification().getReadAt()).isNotEmpty();
        assertThat(service.list(ListRequest.newBuilder().setUserId("u-1").setUnreadOnly(true).build()).getTotal()).isEqualTo(2);

        assertRefused(() -> service.markRead(MarkReadRequest.newBuilder().setUserId("u-2").setNotificationId(page.getNotifications(0).getId()).build()),
                Status.Code.NOT_FOUND, "NOT_FOUND");
        assertRefused(() -> service.list(ListRequest.newBuilder().setUserId("u-1").setLimit(1000).build()), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertRefused(() -> service.list(ListRequest.getDefaultInstance()), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
    }

    @Test
    void preferencesAreReadReplacedAndMergedAsOverRest() {
        JsonNode defaults = Json.parse(service.getPreferences(GetPreferencesRequest.newBuilder().setUserId("u-1").build()).getPreferencesJson(), "p");
        assertThat(defaults.path("channels").path("email").asBoolean()).isTrue();

        service.updatePreferences(UpdatePreferencesRequest.newBuilder().setUserId("u-1")
                .setPreferencesJson("{\"channels\":{\"email\":false}}").build());
        JsonNode merged = Json.parse(service.updatePreferences(UpdatePreferencesRequest.newBuilder().setUserId("u-1").setMerge(true)
                .setPreferencesJson("{\"channels\":{\"sms\":false}}").build()).getPreferencesJson(), "p");

        assertThat(merged.path("channels").path("email").asBoolean()).isFalse();
        assertThat(merged.path("channels").path("sms").asBoolean()).isFalse();
        assertThat(settings.preferences("u-1").channels()).containsEntry(dev.herald.core.notification.Channel.EMAIL, false);
        assertRefused(() -> service.updatePreferences(UpdatePreferencesRequest.newBuilder().setUserId("u-1").setPreferencesJson("[1").build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
        assertRefused(() -> service.updatePreferences(UpdatePreferencesRequest.newBuilder().setUserId("u-1")
                .setPreferencesJson("{\"channels\":{\"pigeon\":true}}").build()), Status.Code.INVALID_ARGUMENT, "INVALID_ARGUMENT");
    }

    @Test
    void reflectionListsTheHeraldNotificationsService() throws Exception {
        CompletableFuture<List<String>> services = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel)
                .serverReflectionInfo(new StreamObserver<>() {
                    @Override public void onNext(ServerReflectionResponse r) {
                        services.complete(r.getListServicesResponse().getServiceList().stream().map(ServiceResponse::getName).toList());
                    }
                    @Override public void onError(Throwable t) { services.completeExceptionally(t); }
                    @Override public void onCompleted() { }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("*").build());
        List<String> names = services.get(10, TimeUnit.SECONDS);
        requests.onCompleted();

        assertThat(names).contains("herald.v1.Notifications", "herald.v1.Realtime", "notifications.v1.NotificationsService");
    }

    @Test
    void realtimeBroadcastsToEveryConnectedClient() {
        FakeSession a = FakeSession.of("u-1", "team"), b = FakeSession.of("u-2", null);
        hub.join(a, "user:u-1");
        hub.join(b, "user:u-2");
        presence.register(new dev.herald.core.route.ConnectionInfo(a.id(), "u-1", "team", dev.herald.core.deliver.live.Transport.WEBSOCKET, "n1", clock.instant()));
        presence.register(new dev.herald.core.route.ConnectionInfo(b.id(), "u-2", null, dev.herald.core.deliver.live.Transport.WEBSOCKET, "n1", clock.instant()));
        var realtime = RealtimeGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(apiKey()))
                .withDeadlineAfter(10, TimeUnit.SECONDS);

        var r = realtime.broadcastToEveryone(BroadcastToEveryoneRequest.newBuilder().setEventType("system:announcement")
                .setPayloadJson("{\"text\":\"hi\"}").build());

        assertThat(r.getRecipientCount()).isEqualTo(2);
        assertThat(r.getDelivered()).isTrue();
        assertThat(a.sent("system:announcement")).hasSize(1);
        assertThat(b.sent("system:announcement")).hasSize(1);
        assertRefused(() -> realtime.broadcastToEveryone(BroadcastToEveryoneRequest.newBuilder().setEventType("").build()),
                Status.Code.INVALID_ARGUMENT, "INVALID_EVENT_TYPE");
        assertRefused(() -> RealtimeGrpc.newBlockingStub(channel).broadcastToEveryone(BroadcastToEveryoneRequest.newBuilder()
                .setEventType("x").build()), Status.Code.UNAUTHENTICATED, "UNAUTHENTICATED");
    }

    static Metadata apiKey() {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + API_KEY);
        return md;
    }
}

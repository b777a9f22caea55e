package dev.herald.api.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.herald.api.auth.JwtAuthenticator;
import dev.herald.api.auth.JwtConfig;
import dev.herald.api.auth.ServiceAuth;
import dev.herald.api.auth.TokenIssuer;
import dev.herald.core.auth.Principal;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.ingest.LiveEvents;
import dev.herald.core.ingest.LiveEventsConfig;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.route.ConnectionInfo;
import dev.herald.core.route.Hub;
import dev.herald.core.testing.FakeSession;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import notifications.v1.Notifications.BroadcastToRoomRequest;
import notifications.v1.Notifications.DisconnectUserRequest;
import notifications.v1.Notifications.GetConnectionStatsRequest;
import notifications.v1.Notifications.GetConnectionStatsResponse;
import notifications.v1.Notifications.IsUserConnectedRequest;
import notifications.v1.Notifications.IsUserConnectedResponse;
import notifications.v1.Notifications.SendToUserRequest;
import notifications.v1.Notifications.SendToUserResponse;
import notifications.v1.Notifications.SendToUsersRequest;
import notifications.v1.Notifications.SendToUsersResponse;
import notifications.v1.NotificationsServiceGrpc.NotificationsServiceBlockingStub;
import notifications.v1.NotificationsServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A real GrpcServer on a free port, called with grpc-java stubs; sessions are FakeSessions. */
class GrpcServerTest {
    static final String API_KEY = "grpc-test-key-0123456789";
    static final String SECRET = "grpc-test-secret-long-enough-for-hs256!!";
    final Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
    final JwtConfig jwt = JwtConfig.hs256(SECRET);
    final TokenIssuer tokens = new TokenIssuer(jwt, clock);
    final MemoryPresenceRegistry presence = new MemoryPresenceRegistry();
    final Hub hub = new Hub(new MemoryBroker());
    GrpcServer server;
    ManagedChannel channel;
    NotificationsServiceBlockingStub service;

    @BeforeEach
    void start() {
        hub.start();
        LiveEvents realtime = new LiveEvents(hub, presence, clock, new LiveEventsConfig(1000, 100, Duration.ofSeconds(5)));
        ServiceAuth auth = new ServiceAuth(new JwtAuthenticator(jwt, clock), List.of(API_KEY));
        server = new GrpcServer(GrpcConfig.onPort(0), realtime, auth).start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
        service = withHeader(NotificationsServiceGrpc.newBlockingStub(channel), "authorization", "Bearer " + API_KEY);
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    static NotificationsServiceBlockingStub withHeader(NotificationsServiceBlockingStub stub, String name, String value) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of(name, Metadata.ASCII_STRING_MARSHALLER), value);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md)).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    FakeSession connect(String userId, String teamId, Transport transport) {
        FakeSession s = new FakeSession(Principal.user(userId, teamId), transport);
        presence.register(new ConnectionInfo(s.id(), userId, teamId, transport, "n1", clock.instant()));
        hub.join(s, "user:" + userId);
        if (teamId != null) hub.join(s, "team:" + teamId);
        return s;
    }

    FakeSession connect(String userId, String teamId) {
        return connect(userId, teamId, Transport.WEBSOCKET);
    }

    static StatusRuntimeException failure(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        if (e == null) throw new AssertionError("expected the call to fail");
        return e;
    }

    static String errorCode(StatusRuntimeException e) {
        return e.getTrailers() == null ? null : e.getTrailers().get(GrpcErrors.ERROR_CODE);
    }

    SendToUserRequest sendToUser(String userId, String event, String json) {
        return SendToUserRequest.newBuilder().setUserId(userId).setEventType(event).setPayloadJson(json).setCorrelationId("c-1").build();
    }

    @Test
    void sendToUserReachesEveryTabOfTheUser() {
        FakeSession tab1 = connect("u1", "t1"), tab2 = connect("u1", "t1");

        SendToUserResponse r = service.sendToUser(sendToUser("u1", "notification", "{\"id\":\"n1\"}"));

        assertThat(r.getDelivered()).isTrue();
        assertThat(r.getConnectionCount()).isEqualTo(2);
        assertThat(tab1.sent("notification")).singleElement().extracting(e -> e.json()).isEqualTo("{\"id\":\"n1\"}");
        assertThat(tab2.sentNames()).containsExactly("notification");
    }

    @Test
    void sendToUsersCountsConnectionsOfEveryUser() {
        FakeSession a = connect("a", "t"), b = connect("b", "t");

        SendToUsersResponse r = service.sendToUsers(SendToUsersRequest.newBuilder().addAllUserIds(List.of("a", "b", "c"))
                .setEventType("e").setPayloadJson("{}").build());

        assertThat(r.getTotalUsers()).isEqualTo(3);
        assertThat(r.getDeliveredCount()).isEqualTo(2);
        assertThat(r.getConnectionsByUserMap()).containsEntry("a", 1).containsEntry("b", 1).containsEntry("c", 0);
        assertThat(a.sentNames()).containsExactly("e");
        assertThat(b.sentNames()).containsExactly("e");
    }

    @Test
    void broadcastToRoomLeavesOutExcludedUsers() {
        FakeSession a = connect("a", "t1"), b = connect("b", "t1");

        var r = service.broadcastToRoom(BroadcastToRoomRequest.newBuilder().setRoomId("t1").setEventType("announce")
                .setPayloadJson("{\"x\":1}").addExcludeUserIds("a").build());

        assertThat(r.getDelivered()).isTrue();
        assertThat(r.getRecipientCount()).isEqualTo(1);
        assertThat(a.sent()).isEmpty();
        assertThat(b.sentNames()).containsExactly("announce");
    }

    @Test
    void isUserConnectedListsTheSocketIds() {
        FakeSession s = connect("u1", null);

        IsUserConnectedResponse r = service.isUserConnected(IsUserConnectedRequest.newBuilder().setUserId("u1").build());

        assertThat(r.getIsConnected()).isTrue();
        assertThat(r.getConnectionCount()).isEqualTo(1);
        assertThat(r.getSocketIdsList()).containsExactly(s.id());
    }

    @Test
    void getConnectionStatsCountsByTransportAndTeam() {
        connect("a", "t1", Transport.WEBSOCKET);
        connect("b", "t1", Transport.POLLING);
        connect("c", "t2", Transport.WEBSOCKET);

        GetConnectionStatsResponse all = service.getConnectionStats(GetConnectionStatsRequest.getDefaultInstance());
        GetConnectionStatsResponse t1 = service.getConnectionStats(GetConnectionStatsRequest.newBuilder().setTeamId("t1").build());

        assertThat(all.getTotalConnections()).isEqualTo(3);
        assertThat(all.getWebsocketConnections()).isEqualTo(2);
        assertThat(all.getPollingConnections()).isEqualTo(1);
        assertThat(all.getConnectionsByTeamMap()).containsEntry("t1", 2).containsEntry("t2", 1);
        assertThat(all.getConnectionsByTransportMap()).containsEntry("websocket", 2).containsEntry("polling", 1);
        assertThat(t1.getTotalConnections()).isEqualTo(2);
    }

    @Test
    void disconnectUserClosesEveryConnectionWithTheReason() {
        FakeSession s1 = connect("u1", null), s2 = connect("u1", null);

        var r = service.disconnectUser(DisconnectUserRequest.newBuilder().setUserId("u1").setReason("banned").build());

        assertThat(r.getDisconnectedCount()).isEqualTo(2);
        assertThat(s1.closedWith().message()).isEqualTo("banned");
        assertThat(s2.isOpen()).isFalse();
    }

    @Test
    void refusesACallWithoutCredentialsWithUnauthenticated() {
        var anonymous = NotificationsServiceGrpc.newBlockingStub(channel);

        StatusRuntimeException e = failure(() -> anonymous.sendToUser(sendToUser("u1", "e", "{}")));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(errorCode(e)).isEqualTo("UNAUTHENTICATED");
    }

    @Test
    void refusesAnUnknownApiKeyWithUnauthenticated() {
        var stranger = withHeader(NotificationsServiceGrpc.newBlockingStub(channel), "x-api-key", "some-other-key-123456");

        assertThat(failure(() -> stranger.isUserConnected(IsUserConnectedRequest.newBuilder().setUserId("u1").build()))
                .getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    @Test
    void refusesAUserTokenWithoutTheServiceRoleWithPermissionDenied() {
        String userToken = tokens.issue("u1", "t1", List.of(), List.of(), Duration.ofMinutes(5));
        var user = withHeader(NotificationsServiceGrpc.newBlockingStub(channel), "authorization", "Bearer " + userToken);

        StatusRuntimeException e = failure(() -> user.sendToUser(sendToUser("u2", "e", "{}")));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
        assertThat(errorCode(e)).isEqualTo("FORBIDDEN");
    }

    @Test
    void acceptsAServiceTokenAndAnApiKeyHeader() {
        connect("u1", null);
        String serviceToken = tokens.issue("billing", null, List.of("service"), List.of(), Duration.ofMinutes(5));
        var byToken = withHeader(NotificationsServiceGrpc.newBlockingStub(channel), "authorization", "Bearer " + serviceToken);
        var byKey = withHeader(NotificationsServiceGrpc.newBlockingStub(channel), "x-api-key", API_KEY);

        assertThat(byToken.sendToUser(sendToUser("u1", "e", "{}")).getDelivered()).isTrue();
        assertThat(byKey.sendToUser(sendToUser("u1", "e", "{}")).getDelivered()).isTrue();
    }

    @Test
    void refusesAReservedEventNameWithInvalidArgumentAndTheSeedCode() {
        StatusRuntimeException e = failure(() -> service.sendToUser(sendToUser("u1", "disconnect", "{}")));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(errorCode(e)).isEqualTo("INVALID_EVENT_TYPE");
        assertThat(e.getStatus().getDescription()).startsWith("INVALID_EVENT_TYPE:");
    }

    @Test
    void refusesAPayloadThatIsNotJsonWithInvalidArgument() {
        StatusRuntimeException e = failure(() -> service.broadcastToRoom(BroadcastToRoomRequest.newBuilder()
                .setRoomId("t1").setEventType("e").setPayloadJson("{oops").build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(errorCode(e)).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void refusesAnOversizedPayloadWithPayloadTooLarge() {
        StatusRuntimeException e = failure(() -> service.sendToUser(sendToUser("u1", "e", "\"" + "x".repeat(2000) + "\"")));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(errorCode(e)).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void refusesABlankUserIdWithInvalidArgument() {
        StatusRuntimeException e = failure(() -> service.disconnectUser(DisconnectUserRequest.newBuilder().setUserId("").build()));

        assertThat(errorCode(e)).isEqualTo("INVALID_ARGUMENT");
    }

    @Test
    void putsTheCorrelationIdInTheLogContextOfTheCall() {
        Logger logger = (Logger) LoggerFactory.getLogger(NotificationsGrpcService.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        logger.setLevel(Level.DEBUG);
        try {
            service.sendToUser(SendToUserRequest.newBuilder().setUserId("u1").setEventType("e").setPayloadJson("{}")
                    .setCorrelationId("corr-42").build());
        } finally {
            logger.detachAppender(appender);
            logger.setLevel(null);
        }

        assertThat(appender.list).isNotEmpty().allSatisfy(event -> {
            assertThat(event.getMDCPropertyMap()).containsEntry(NotificationsGrpcService.MDC_CORRELATION_ID, "corr-42");
            assertThat(event.getMDCPropertyMap().get(NotificationsGrpcService.MDC_CALLER)).startsWith("key:");
        });
    }

    @Test
    void reportsServingOnTheStandardHealthServiceWithoutCredentials() {
        var health = HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);

        assertThat(health.check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
        assertThat(health.check(HealthCheckRequest.newBuilder().setService("notifications.v1.NotificationsService").build())
                .getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
    }

    @Test
    void listsTheNotificationsServiceThroughReflection() throws Exception {
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

        assertThat(names).contains("notifications.v1.NotificationsService", "grpc.health.v1.Health");
    }
}

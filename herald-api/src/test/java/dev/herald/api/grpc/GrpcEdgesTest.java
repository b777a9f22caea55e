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
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.ingest.LiveEvents;
import dev.herald.core.ingest.LiveEventsConfig;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryPresenceRegistry;
import dev.herald.core.route.ConnectionInfo;
import dev.herald.core.route.ConnectionStats;
import dev.herald.core.route.Hub;
import dev.herald.core.route.PresenceRegistry;
import dev.herald.core.route.PresenceStatus;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.TimeUnit;
import notifications.v1.Notifications.BroadcastToRoomRequest;
import notifications.v1.Notifications.GetConnectionStatsRequest;
import notifications.v1.Notifications.SendToUserRequest;
import notifications.v1.Notifications.SendToUsersRequest;
import notifications.v1.NotificationsServiceGrpc;
import notifications.v1.NotificationsServiceGrpc.NotificationsServiceBlockingStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** What the gRPC port refuses at its edge (bad text in fields, oversized credentials) and how it says so. */
class GrpcEdgesTest {
    static final String API_KEY = "grpc-edges-key-0123456789";
    static final String SECRET = "grpc-edges-secret-long-enough-for-hs256!";
    final Clock clock = Clock.fixed(Instant.parse("2026-11-24T10:00:00Z"), ZoneOffset.UTC);
    final Hub hub = new Hub(new MemoryBroker());
    GrpcServer server;
    ManagedChannel channel;

    @BeforeEach
    void start() {
        hub.start();
        LiveEvents realtime = new LiveEvents(hub, new MemoryPresenceRegistry(), clock,
                new LiveEventsConfig(1000, 100, Duration.ofSeconds(5)));
        ServiceAuth auth = new ServiceAuth(new JwtAuthenticator(JwtConfig.hs256(SECRET), clock), List.of(API_KEY));
        server = new GrpcServer(GrpcConfig.onPort(0), realtime, auth).start();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.close();
    }

    NotificationsServiceBlockingStub stub(String authorization) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), authorization);
        return NotificationsServiceGrpc.newBlockingStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md)).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    NotificationsServiceBlockingStub service() {
        return stub("Bearer " + API_KEY);
    }

    static StatusRuntimeException failure(Runnable call) {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, call::run);
        if (e == null) throw new AssertionError("expected the call to fail");
        return e;
    }

    static String errorCode(StatusRuntimeException e) {
        return e.getTrailers() == null ? null : e.getTrailers().get(GrpcErrors.ERROR_CODE);
    }

    @Test
    void refusesNulInAUserIdNamingTheField() {
        StatusRuntimeException e = failure(() -> service().sendToUser(SendToUserRequest.newBuilder()
                .setUserId("u\u0000").setEventType("chat").setPayloadJson("{}").build()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(errorCode(e)).isEqualTo("INVALID_ARGUMENT");
        assertThat(e.getStatus().getDescription()).contains("user_id: must not contain U+0000");
    }

    @Test
    void refusesNulInOneOfManyUserIdsNamingItsIndex() {
        StatusRuntimeException e = failure(() -> service().sendToUsers(SendToUsersRequest.newBuilder()
                .addUserIds("a").addUserIds("b\u0000").setEventType("chat").setPayloadJson("{}").build()));

        assertThat(errorCode(e)).isEqualTo("INVALID_ARGUMENT");
        assertThat(e.getStatus().getDescription()).contains("user_ids[1]: ");
    }

    @Test
    void refusesAnEscapedNulInsideThePayloadJson() {
        StatusRuntimeException e = failure(() -> service().broadcastToRoom(BroadcastToRoomRequest.newBuilder()
                .setRoomId("team:t1").setEventType("chat").setPayloadJson("{\"text\":\"a\\u0000\"}").build()));

        assertThat(errorCode(e)).isEqualTo("INVALID_ARGUMENT");
        assertThat(e.getStatus().getDescription()).contains("payload_json.text: ");
    }

    @Test
    void refusesNulInATeamIdFilter() {
        StatusRuntimeException e = failure(() -> service().getConnectionStats(
                GetConnectionStatsRequest.newBuilder().setTeamId("t\u0000").build()));

        assertThat(errorCode(e)).isEqualTo("INVALID_ARGUMENT");
        assertThat(e.getStatus().getDescription()).contains("team_id: ");
    }

    @Test
    void refusesA20KbTokenWithUnauthenticatedAndAnErrorCode() {
        String token = "a.b." + "x".repeat(20 * 1024);

        StatusRuntimeException e = failure(() -> stub("Bearer " + token).getConnectionStats(GetConnectionStatsRequest.getDefaultInstance()));

        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(errorCode(e)).isEqualTo("UNAUTHENTICATED");
        assertThat(e.getStatus().getDescription()).contains("INVALID_TOKEN").doesNotContain(token);
    }

    /** A presence store that fails the way a broken database does: a coded INTERNAL with a cause. */
    static final class BrokenPresence implements PresenceRegistry {
        static HeraldException failure() {
            return new HeraldException(ErrorCode.INTERNAL, "presence store failed (SQLState 22021)", new IllegalStateException("db"));
        }

        public int register(ConnectionInfo c) { throw failure(); }
        public int unregister(ConnectionInfo c) { throw failure(); }
        public void update(ConnectionInfo c) { throw failure(); }
        public List<ConnectionInfo> connectionsOf(String userId) { throw failure(); }
        public ConnectionStats stats(String teamId) { throw failure(); }
        public void setStatus(String userId, PresenceStatus status) { throw failure(); }
        public PresenceStatus statusOf(String userId) { throw failure(); }
    }

    @Test
    void logsACodedInternalFailureAtErrorWithItsCorrelationIdAndHidesTheCause() throws Exception {
        LiveEvents broken = new LiveEvents(hub, new BrokenPresence(), clock, new LiveEventsConfig(1000, 100, Duration.ofSeconds(5)));
        ServiceAuth auth = new ServiceAuth(new JwtAuthenticator(JwtConfig.hs256(SECRET), clock), List.of(API_KEY));
        Logger logger = (Logger) LoggerFactory.getLogger(NotificationsGrpcService.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (GrpcServer failing = new GrpcServer(GrpcConfig.onPort(0), broken, auth).start()) {
            ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", failing.port()).usePlaintext().build();
            try {
                Metadata md = new Metadata();
                md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + API_KEY);
                StatusRuntimeException e = failure(() -> NotificationsServiceGrpc.newBlockingStub(ch)
                        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                        .sendToUser(SendToUserRequest.newBuilder().setUserId("u1").setEventType("chat")
                                .setPayloadJson("{}").setCorrelationId("corr-g1").build()));

                assertThat(errorCode(e)).isEqualTo("INTERNAL");
                assertThat(e.getStatus().getDescription()).doesNotContain("SQLState");
            } finally {
                ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(appender.list).filteredOn(ev -> ev.getLevel() == Level.ERROR).singleElement().satisfies(ev -> {
            assertThat(ev.getMDCPropertyMap()).containsEntry("correlation_id", "corr-g1");
            assertThat(ev.getThrowableProxy()).isNotNull();
        });
    }
}

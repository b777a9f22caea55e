package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.api.grpc.GrpcErrors;
import dev.herald.server.config.Env;
import dev.herald.server.config.HeraldConfig;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import notifications.v1.Notifications.BroadcastToRoomRequest;
import notifications.v1.Notifications.DisconnectUserRequest;
import notifications.v1.Notifications.GetConnectionStatsRequest;
import notifications.v1.Notifications.IsUserConnectedRequest;
import notifications.v1.Notifications.SendToUserRequest;
import notifications.v1.Notifications.SendToUsersRequest;
import notifications.v1.NotificationsServiceGrpc;
import notifications.v1.NotificationsServiceGrpc.NotificationsServiceBlockingStub;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed 000 gRPC API of a started Herald, with real Socket.IO clients connected over websocket and
 * over long-polling.
 */
class GrpcEndToEndTest {
    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();
    private final String run = UUID.randomUUID().toString().substring(0, 6);
    private final String ann = "ann-" + run, ben = "ben-" + run, team = "team-" + run;
    private Herald herald;
    private ManagedChannel channel;
    private NotificationsServiceBlockingStub grpc;
    private SioClient annWs, annPolling, benWs;

    @BeforeEach
    void startHeraldAndConnectClients() throws Exception {
        herald = Herald.start(HeraldConfig.from(new Env(Map.of("SOCKETIO_PORT", "0", "GRPC_PORT", "0", "HOST", "127.0.0.1",
                "HERALD_DATA_DIR", dataDir.toString(), "JWT_SECRET", TestTokens.SECRET, "HERALD_API_KEYS", TestTokens.API_KEY))),
                Clock.systemUTC());
        channel = ManagedChannelBuilder.forAddress("127.0.0.1", herald.grpcPort()).usePlaintext().build();
        grpc = withBearer(TestTokens.API_KEY);
        annWs = SioClient.connect(herald.clientPort(), tokens.user(ann, team), "websocket");
        annPolling = SioClient.connect(herald.clientPort(), tokens.user(ann, team), "polling");
        benWs = SioClient.connect(herald.clientPort(), tokens.user(ben, team), "websocket");
    }

    @AfterEach
    void stop() throws Exception {
        for (SioClient c : List.of(annWs, annPolling, benWs)) c.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        herald.close();
    }

    private NotificationsServiceBlockingStub withBearer(String credential) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + credential);
        return NotificationsServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Test
    void sendToUserReachesEveryConnectionOfTheUserOnBothTransports() throws Exception {
        var answer = grpc.sendToUser(SendToUserRequest.newBuilder().setUserId(ann).setEventType("invoice.paid")
                .setPayloadJson("{\"amount\":12}").setCorrelationId("corr-1").build());

        assertThat(answer.getDelivered()).isTrue();
        assertThat(answer.getConnectionCount()).isEqualTo(2);
        assertThat(((JSONObject) annWs.next("invoice.paid")).getInt("amount")).isEqualTo(12);
        assertThat(((JSONObject) annPolling.next("invoice.paid")).getInt("amount")).isEqualTo(12);
        assertThat(benWs.namesSoFar()).doesNotContain("invoice.paid");
    }

    @Test
    void sendToUsersCountsConnectionsPerUser() {
        var answer = grpc.sendToUsers(SendToUsersRequest.newBuilder().addAllUserIds(List.of(ann, ben, "ghost-" + run))
                .setEventType("digest").setPayloadJson("{}").build());

        assertThat(answer.getTotalUsers()).isEqualTo(3);
        assertThat(answer.getDeliveredCount()).isEqualTo(2);
        assertThat(answer.getConnectionsByUserMap()).containsEntry(ann, 2).containsEntry(ben, 1).containsEntry("ghost-" + run, 0);
    }

    @Test
    void broadcastToRoomLeavesOutTheExcludedUsers() throws Exception {
        var answer = grpc.broadcastToRoom(BroadcastToRoomRequest.newBuilder().setRoomId(team).setEventType("team.news")
                .setPayloadJson("\"hello team\"").addExcludeUserIds(ann).build());

        assertThat(answer.getRecipientCount()).isEqualTo(1);
        assertThat(benWs.next("team.news")).isEqualTo("hello team");
        grpc.sendToUser(SendToUserRequest.newBuilder().setUserId(ann).setEventType("marker").setPayloadJson("1").build());
        annWs.next("marker");
        assertThat(annWs.namesSoFar()).doesNotContain("team.news");
    }

    @Test
    void isUserConnectedNamesTheSocketsAndStatsSplitByTransport() {
        var connected = grpc.isUserConnected(IsUserConnectedRequest.newBuilder().setUserId(ann).build());
        var stats = grpc.getConnectionStats(GetConnectionStatsRequest.newBuilder().setTeamId(team).build());

        assertThat(connected.getIsConnected()).isTrue();
        assertThat(connected.getSocketIdsList()).containsExactlyInAnyOrder(annWs.id(), annPolling.id());
        assertThat(stats.getTotalConnections()).isEqualTo(3);
        assertThat(stats.getWebsocketConnections()).isEqualTo(2);
        assertThat(stats.getPollingConnections()).isEqualTo(1);
        assertThat(stats.getConnectionsByTeamMap()).containsEntry(team, 3);
        assertThat(stats.getConnectionsByTransportMap()).containsEntry("websocket", 2).containsEntry("polling", 1);
    }

    @Test
    void disconnectUserClosesEveryConnectionAndTellsWhy() throws Exception {
        var answer = grpc.disconnectUser(DisconnectUserRequest.newBuilder().setUserId(ann).setReason("account locked").build());

        assertThat(answer.getDisconnectedCount()).isEqualTo(2);
        assertThat(((JSONObject) annWs.next("error")).getString("message")).isEqualTo("account locked");
        assertThat(annWs.disconnected.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(annPolling.disconnected.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(benWs.socket.connected()).isTrue();
    }

    @Test
    void refusesBadInputAndBadCallersWithTheirCodes() {
        assertThatThrownBy(() -> grpc.sendToUser(SendToUserRequest.newBuilder().setUserId(ann).setEventType("x")
                .setPayloadJson("{not json").build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
        assertThatThrownBy(() -> grpc.sendToUser(SendToUserRequest.newBuilder().setUserId(ann).setEventType("connect")
                .setPayloadJson("{}").build()))
                .satisfies(e -> assertThat(((StatusRuntimeException) e).getTrailers().get(GrpcErrors.ERROR_CODE)).isEqualTo("INVALID_EVENT_TYPE"));
        assertThatThrownBy(() -> NotificationsServiceGrpc.newBlockingStub(channel)
                .isUserConnected(IsUserConnectedRequest.newBuilder().setUserId(ann).build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        assertThatThrownBy(() -> withBearer(tokens.user(ben, team))
                .isUserConnected(IsUserConnectedRequest.newBuilder().setUserId(ann).build()))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED));
    }
}

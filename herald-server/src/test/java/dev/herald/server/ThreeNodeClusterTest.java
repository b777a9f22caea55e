package dev.herald.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.grpc.v1.BroadcastWithAckRequest;
import dev.herald.api.grpc.v1.BroadcastWithAckResponse;
import dev.herald.api.grpc.v1.RealtimeGrpc;
import dev.herald.core.Json;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.socket.client.Ack;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import notifications.v1.Notifications.BroadcastToRoomRequest;
import notifications.v1.Notifications.GetConnectionStatsRequest;
import notifications.v1.NotificationsServiceGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three in-process nodes on one PostgreSQL and one Redis, with Redis pub/sub or NATS carrying
 * the rooms, and Java Socket.IO clients spread over them: every count and broadcast is the
 * cluster's. Each run has its own CLUSTER_PREFIX (Redis keys, NATS subjects) and schema.
 */
class ThreeNodeClusterTest {
    @TempDir
    Path dataDir;

    private final TestTokens tokens = new TestTokens();
    private TestCluster cluster;
    private String run;

    @BeforeEach
    void startCluster() {
        cluster = new TestCluster("three", dataDir);
        run = cluster.run;
    }

    @AfterEach
    void cleanUp() throws Exception {
        cluster.close();
    }

    private <T extends AutoCloseable> T keep(T c) {
        return cluster.keep(c);
    }

    private Herald node(String name, String broker) {
        // Broadcasts here are correctness checks, many a minute from one key: no broadcast limit.
        return cluster.node(name, broker.equals("nats")
                ? Map.of("NATS_URL", "nats://127.0.0.1:4222", "RATE_LIMIT_BROADCASTS_PER_MINUTE", "0")
                : Map.of("RATE_LIMIT_BROADCASTS_PER_MINUTE", "0"));
    }

    private JsonNode call(Herald node, String method, String path, String body) throws Exception {
        HttpResponse<String> r = TestCluster.call(node, method, path, body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.parse(r.body(), "answer");
    }

    private SioClient client(Herald node, String user, String team) throws Exception {
        return keep(SioClient.connect(node.clientPort(), tokens.user(user, team), "websocket"));
    }

    private static void join(SioClient client, String room) throws Exception {
        client.socket.emit("room:join", room);
        assertThat(client.next("room:joined")).isEqualTo(room);
    }

    /** The client acks every {@code event} with {@code answer}. */
    private static void acks(SioClient client, String event, String answer) {
        client.socket.on(event, args -> {
            if (args.length > 0 && args[args.length - 1] instanceof Ack ack) ack.call(answer);
        });
    }

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"redis", "nats"})
    void everyCountAndBroadcastIsTheClustersWithClientsOnThreeNodes(String broker) throws Exception {
        Herald a = node("a", broker), b = node("b", broker), c = node("c", broker);
        String alice = "alice-" + run, bob = "bob-" + run, carol = "carol-" + run, team = "team-" + run;
        String news = "channel:news-" + run;
        SioClient aliceOnA = client(a, alice, team), aliceOnB = client(b, alice, team);
        SioClient bobOnC = client(c, bob, team), carolOnB = client(b, carol, null);
        join(aliceOnA, news);
        join(bobOnC, news);
        join(carolOnB, news);

        JsonNode sent = call(c, "POST", "/api/v1/realtime/users/" + alice + "/events", "{\"eventType\":\"dm\",\"payload\":{\"n\":1}}");
        assertThat(sent.path("connectionCount").asInt()).isEqualTo(2);
        aliceOnA.next("dm");
        aliceOnB.next("dm");

        // Room memberships reach Redis asynchronously: the count settles within moments of room:joined.
        await().atMost(Duration.ofSeconds(10)).until(() -> call(a, "POST", "/api/v1/realtime/rooms/" + news + "/events",
                "{\"eventType\":\"probe\"}").path("recipientCount").asInt() == 3);
        JsonNode toRoom = call(b, "POST", "/api/v1/realtime/rooms/" + news + "/events",
                "{\"eventType\":\"headline\",\"payload\":\"x\",\"excludeUserIds\":[\"" + carol + "\"]}");
        assertThat(toRoom.path("recipientCount").asInt()).isEqualTo(2);
        aliceOnA.next("headline");
        bobOnC.next("headline");
        JsonNode toTeam = call(a, "POST", "/api/v1/realtime/rooms/" + team + "/events", "{\"eventType\":\"standup\"}");
        assertThat(toTeam.path("recipientCount").asInt()).isEqualTo(3);

        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", c.grpcPort()).usePlaintext().build();
        keep(() -> channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TestTokens.API_KEY);
        var seed = NotificationsServiceGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
        assertThat(seed.broadcastToRoom(BroadcastToRoomRequest.newBuilder().setRoomId(news).setEventType("grpc-headline").build())
                .getRecipientCount()).isEqualTo(3);
        assertThat(seed.getConnectionStats(GetConnectionStatsRequest.getDefaultInstance()).getTotalConnections()).isEqualTo(4);
        assertThat(seed.getConnectionStats(GetConnectionStatsRequest.newBuilder().setTeamId(team).build()).getTotalConnections())
                .isEqualTo(3);

        JsonNode everyone = call(b, "POST", "/api/v1/realtime/broadcast", "{\"eventType\":\"system:announcement\",\"payload\":\"22:00\"}");
        assertThat(everyone.path("recipientCount").asInt()).isEqualTo(4);
        for (SioClient s : List.of(aliceOnA, aliceOnB, bobOnC, carolOnB)) assertThat(s.next("system:announcement")).isEqualTo("22:00");

        acks(aliceOnA, "confirm", "a");
        acks(bobOnC, "confirm", "b");
        acks(carolOnB, "confirm", "c");
        JsonNode acked = call(a, "POST", "/api/v1/realtime/rooms/" + news + "/events?ackTimeoutMs=5000",
                "{\"eventType\":\"confirm\",\"payload\":{\"q\":1}}");
        assertThat(acked.path("recipients").asInt()).as(acked.toString()).isEqualTo(3);
        assertThat(acked.path("acked").asInt()).isEqualTo(3);
        assertThat(acked.path("timedOut").asInt()).isZero();
        List<String> responses = new ArrayList<>();
        acked.path("responses").forEach(r -> responses.add(r.asText()));
        assertThat(responses).containsExactlyInAnyOrder("a", "b", "c");

        // aliceOnB never acks "quiet": one of the team's three recipients times out.
        acks(aliceOnA, "quiet", "a");
        acks(bobOnC, "quiet", "b");
        var realtime = RealtimeGrpc.newBlockingStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md));
        BroadcastWithAckResponse partly = realtime.broadcastWithAck(BroadcastWithAckRequest.newBuilder().setRoomId(team)
                .setEventType("quiet").setAckTimeoutMs(1500).build());
        assertThat(partly.getRecipients()).isEqualTo(3);
        assertThat(partly.getAcked()).isEqualTo(2);
        assertThat(partly.getTimedOut()).isEqualTo(1);
        assertThat(partly.getResponsesJsonList()).containsExactlyInAnyOrder("\"a\"", "\"b\"");
        aliceOnB.next("quiet");

        carolOnB.close();
        await().atMost(Duration.ofSeconds(10)).until(() -> call(c, "POST", "/api/v1/realtime/rooms/" + news + "/events",
                "{\"eventType\":\"probe\"}").path("recipientCount").asInt() == 2);
    }
}

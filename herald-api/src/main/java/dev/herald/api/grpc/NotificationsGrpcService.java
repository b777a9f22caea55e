package dev.herald.api.grpc;

import com.google.protobuf.Message;
import dev.herald.core.ingest.LiveEvents;
import dev.herald.core.route.ConnectionStats;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import java.util.function.Supplier;
import notifications.v1.Notifications.BroadcastToRoomRequest;
import notifications.v1.Notifications.BroadcastToRoomResponse;
import notifications.v1.Notifications.DisconnectUserRequest;
import notifications.v1.Notifications.DisconnectUserResponse;
import notifications.v1.Notifications.GetConnectionStatsRequest;
import notifications.v1.Notifications.GetConnectionStatsResponse;
import notifications.v1.Notifications.IsUserConnectedRequest;
import notifications.v1.Notifications.IsUserConnectedResponse;
import notifications.v1.Notifications.SendToUserRequest;
import notifications.v1.Notifications.SendToUserResponse;
import notifications.v1.Notifications.SendToUsersRequest;
import notifications.v1.Notifications.SendToUsersResponse;
import notifications.v1.NotificationsServiceGrpc;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seed 000's {@code notifications.v1.NotificationsService}, a thin mapping onto {@link LiveEvents}.
 * Each call's logs carry {@code correlation_id} (from the request) and {@code caller} in the MDC.
 */
public final class NotificationsGrpcService extends NotificationsServiceGrpc.NotificationsServiceImplBase {
    private static final Logger log = LoggerFactory.getLogger(NotificationsGrpcService.class);
    public static final String MDC_CORRELATION_ID = "correlation_id";
    public static final String MDC_CALLER = "caller";

    private final LiveEvents realtime;

    public NotificationsGrpcService(LiveEvents realtime) {
        this.realtime = realtime;
    }

    @Override
    public void sendToUser(SendToUserRequest req, StreamObserver<SendToUserResponse> out) {
        answer("SendToUser", req, req.getCorrelationId(), out, () -> {
            LiveEvents.Delivery d = realtime.sendToUser(req.getUserId(), req.getEventType(), req.getPayloadJson(), req.getCorrelationId());
            log.debug("SendToUser {} {} -> {} connections", req.getUserId(), req.getEventType(), d.connectionCount());
            return SendToUserResponse.newBuilder().setDelivered(d.delivered()).setConnectionCount(d.connectionCount()).build();
        });
    }

    @Override
    public void sendToUsers(SendToUsersRequest req, StreamObserver<SendToUsersResponse> out) {
        answer("SendToUsers", req, req.getCorrelationId(), out, () -> {
            LiveEvents.BatchDelivery d = realtime.sendToUsers(req.getUserIdsList(), req.getEventType(), req.getPayloadJson(), req.getCorrelationId());
            log.debug("SendToUsers {} users {} -> {} delivered", d.totalUsers(), req.getEventType(), d.deliveredCount());
            return SendToUsersResponse.newBuilder().setTotalUsers(d.totalUsers()).setDeliveredCount(d.deliveredCount())
                    .putAllConnectionsByUser(d.connectionsByUser()).build();
        });
    }

    @Override
    public void broadcastToRoom(BroadcastToRoomRequest req, StreamObserver<BroadcastToRoomResponse> out) {
        answer("BroadcastToRoom", req, req.getCorrelationId(), out, () -> {
            LiveEvents.Broadcast b = realtime.broadcastToRoom(req.getRoomId(), req.getEventType(), req.getPayloadJson(),
                    Set.copyOf(req.getExcludeUserIdsList()), req.getCorrelationId());
            log.debug("BroadcastToRoom {} {} -> {} recipients", req.getRoomId(), req.getEventType(), b.recipientCount());
            return BroadcastToRoomResponse.newBuilder().setDelivered(b.delivered()).setRecipientCount(b.recipientCount()).build();
        });
    }

    @Override
    public void isUserConnected(IsUserConnectedRequest req, StreamObserver<IsUserConnectedResponse> out) {
        answer("IsUserConnected", req, "", out, () -> {
            LiveEvents.UserConnections c = realtime.isUserConnected(req.getUserId());
            return IsUserConnectedResponse.newBuilder().setIsConnected(c.connected()).setConnectionCount(c.connectionCount())
                    .addAllSocketIds(c.socketIds()).build();
        });
    }

    @Override
    public void getConnectionStats(GetConnectionStatsRequest req, StreamObserver<GetConnectionStatsResponse> out) {
        answer("GetConnectionStats", req, "", out, () -> {
            ConnectionStats s = realtime.stats(req.getTeamId());
            return GetConnectionStatsResponse.newBuilder().setTotalConnections(s.totalConnections())
                    .setWebsocketConnections(s.websocketConnections()).setPollingConnections(s.pollingConnections())
                    .putAllConnectionsByTeam(s.connectionsByTeam()).putAllConnectionsByTransport(s.connectionsByTransport())
                    .build();
        });
    }

    @Override
    public void disconnectUser(DisconnectUserRequest req, StreamObserver<DisconnectUserResponse> out) {
        answer("DisconnectUser", req, "", out, () -> {
            int count = realtime.disconnectUser(req.getUserId(), req.getReason());
            log.info("DisconnectUser {} -> {} connections", req.getUserId(), count);
            return DisconnectUserResponse.newBuilder().setDisconnectedCount(count).build();
        });
    }

    private <T> void answer(String rpc, Message req, String correlationId, StreamObserver<T> out, Supplier<T> work) {
        GrpcCalls.answer(log, rpc, req, correlationId, out, work);
    }
}

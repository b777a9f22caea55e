package dev.herald.api.grpc;

import dev.herald.api.grpc.v1.BroadcastToEveryoneRequest;
import dev.herald.api.grpc.v1.BroadcastToEveryoneResponse;
import dev.herald.api.grpc.v1.BroadcastWithAckRequest;
import dev.herald.api.grpc.v1.BroadcastWithAckResponse;
import dev.herald.api.grpc.v1.RealtimeGrpc;
import dev.herald.core.ingest.LiveEvents;
import io.grpc.stub.StreamObserver;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code herald.v1.Realtime}: live-only broadcasts beyond seed 000, a thin mapping onto {@link LiveEvents}. */
public final class RealtimeGrpcService extends RealtimeGrpc.RealtimeImplBase {
    private static final Logger log = LoggerFactory.getLogger(RealtimeGrpcService.class);

    private final LiveEvents realtime;

    public RealtimeGrpcService(LiveEvents realtime) {
        this.realtime = realtime;
    }

    @Override
    public void broadcastToEveryone(BroadcastToEveryoneRequest req, StreamObserver<BroadcastToEveryoneResponse> out) {
        GrpcCalls.answer(log, "BroadcastToEveryone", req, req.getCorrelationId(), out, () -> {
            LiveEvents.Broadcast b = realtime.broadcastToEveryone(req.getEventType(), req.getPayloadJson(),
                    Set.copyOf(req.getExcludeUserIdsList()), req.getCorrelationId());
            return BroadcastToEveryoneResponse.newBuilder().setDelivered(b.delivered()).setRecipientCount(b.recipientCount()).build();
        });
    }

    @Override
    public void broadcastWithAck(BroadcastWithAckRequest req, StreamObserver<BroadcastWithAckResponse> out) {
        GrpcCalls.answer(log, "BroadcastWithAck", req, req.getCorrelationId(), out, () -> {
            LiveEvents.AckedBroadcast a = realtime.broadcastWithAck(req.getRoomId(), req.getEventType(), req.getPayloadJson(),
                    Set.copyOf(req.getExcludeUserIdsList()), java.time.Duration.ofMillis(req.getAckTimeoutMs()), req.getCorrelationId());
            return BroadcastWithAckResponse.newBuilder().setRecipients(a.recipients()).setAcked(a.acked())
                    .setTimedOut(a.timedOut()).addAllResponsesJson(a.responses()).build();
        });
    }
}

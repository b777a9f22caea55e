package dev.herald.bench.client;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongFunction;
import notifications.v1.Notifications.SendToUserRequest;
import notifications.v1.Notifications.SendToUserResponse;
import notifications.v1.NotificationsServiceGrpc;

/**
 * Publishes {@code SendToUser} calls of the seed-000 {@code notifications.v1.NotificationsService}
 * at a paced rate with a bounded number of calls in flight (one HTTP/2 connection multiplexes
 * them). Like {@link HttpPublisher}, calls that cannot be issued because the window is full are
 * counted as {@code late} instead of queued.
 */
public final class GrpcPublisher implements Publisher<GrpcPublisher.UserEvent> {
    /** One {@code SendToUser}: an event to every connection of the user. */
    public record UserEvent(String userId, String eventType, long seq) {}

    private final ManagedChannel channel;
    private final NotificationsServiceGrpc.NotificationsServiceStub stub;
    private final int window;
    private final AtomicInteger inFlight = new AtomicInteger();
    public final LongAdder issued = new LongAdder();
    public final LongAdder ok = new LongAdder();
    public final LongAdder failed = new LongAdder();
    public final LongAdder refused = new LongAdder();
    private static final io.grpc.Metadata.Key<String> ERROR_CODE = io.grpc.Metadata.Key.of("error-code", io.grpc.Metadata.ASCII_STRING_MARSHALLER);
    public final LongAdder late = new LongAdder();
    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    private final org.HdrHistogram.ConcurrentHistogram answers = new org.HdrHistogram.ConcurrentHistogram(3);

    public GrpcPublisher(String host, int port, String apiKey, int window) {
        this.channel = NettyChannelBuilder.forAddress(host, port).usePlaintext().build();
        Metadata auth = new Metadata();
        auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + apiKey);
        this.stub = NotificationsServiceGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
        this.window = window;
    }

    @Override
    public void run(int rate, double seconds, LongFunction<UserEvent> next) throws InterruptedException {
        long start = System.nanoTime();
        long total = (long) (rate * seconds);
        long n = 0;
        while (n < total) {
            long due = Math.min(total, (long) ((System.nanoTime() - start) / 1e9 * rate) + 1);
            for (; n < due; n++) {
                if (inFlight.get() >= window) {
                    late.increment();
                    continue;
                }
                UserEvent c = next.apply(n);
                inFlight.incrementAndGet();
                issued.increment();
                long issuedAt = System.nanoTime();
                stub.sendToUser(SendToUserRequest.newBuilder().setUserId(c.userId()).setEventType(c.eventType())
                        .setPayloadJson(Publisher.stamp(c.seq())).build(), new StreamObserver<>() {
                    @Override public void onNext(SendToUserResponse r) { }
                    @Override public void onError(Throwable t) {
                        inFlight.decrementAndGet();
                        io.grpc.Metadata trailers = io.grpc.Status.trailersFromThrowable(t);
                        if (trailers != null && "OVERLOADED".equals(trailers.get(ERROR_CODE))) {
                            refused.increment();
                            return;
                        }
                        failed.increment();
                        statuses.computeIfAbsent(io.grpc.Status.fromThrowable(t).getCode().name(), k -> new LongAdder()).increment();
                    }
                    @Override public void onCompleted() {
                        answers.recordValue((System.nanoTime() - issuedAt) / 1_000);
                        inFlight.decrementAndGet();
                        ok.increment();
                    }
                });
            }
            // Batches at most every millisecond, as HttpPublisher does: no spinning.
            long wait = Math.max(1_000_000, start + (long) (n * 1e9 / rate) - System.nanoTime());
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        }
    }

    @Override public long issued() { return issued.sum(); }
    @Override public long ok() { return ok.sum(); }
    @Override public long failed() { return failed.sum(); }
    @Override public long refused() { return refused.sum(); }
    @Override public long late() { return late.sum(); }

    @Override
    public org.HdrHistogram.Histogram answerLatency() {
        return answers;
    }

    @Override
    public Map<String, Long> failedStatuses() {
        var m = new TreeMap<String, Long>();
        statuses.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
}

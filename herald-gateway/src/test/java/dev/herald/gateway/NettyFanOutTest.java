package dev.herald.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.auth.Principal;
import dev.herald.core.deliver.live.DisconnectReason;
import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.deliver.live.Transport;
import dev.herald.core.route.FanOutBacklog;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.EventLoop;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NettyFanOutTest {
    private final DefaultEventLoop loopA = new DefaultEventLoop(), loopB = new DefaultEventLoop();
    private final FanOutBacklog backlog = new FanOutBacklog(100);
    private final NettyFanOut fanOut = new NettyFanOut(backlog);

    @AfterEach
    void stop() {
        loopA.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
        loopB.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** A session on a loop that records, on that loop, what it was sent. */
    static class OnLoop implements Session, LoopBound {
        final EventLoop loop;
        final Queue<String> sent = new ConcurrentLinkedQueue<>();
        final Queue<Boolean> onItsLoop = new ConcurrentLinkedQueue<>();
        final AtomicBoolean open = new AtomicBoolean(true);

        OnLoop(EventLoop loop) {
            this.loop = loop;
        }

        @Override public EventLoop eventLoop() { return loop; }
        @Override public String id() { return "s" + System.identityHashCode(this); }
        @Override public Principal principal() { return Principal.user("u", "t"); }
        @Override public void replacePrincipal(Principal refreshed) { }
        @Override public Transport transport() { return Transport.WEBSOCKET; }
        @Override public void close(DisconnectReason reason) { open.set(false); }
        @Override public boolean isOpen() { return open.get(); }

        @Override
        public boolean send(OutboundEvent event) {
            onItsLoop.add(loop.inEventLoop());
            sent.add(event.name());
            return open.get();
        }
    }

    /** Keeps the loop busy until the latch is released; returns once the loop is inside the hold. */
    private CountDownLatch hold(EventLoop loop) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1), holding = new CountDownLatch(1);
        loop.execute(() -> {
            holding.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        holding.await();
        return release;
    }

    @Test
    void countsEveryDeliveryHandedToALoopUntilTheLoopRanIt() throws Exception {
        OnLoop a1 = new OnLoop(loopA), a2 = new OnLoop(loopA), b1 = new OnLoop(loopB);
        CountDownLatch release = hold(loopA);

        int accepted = fanOut.deliver(List.of(a1, a2, b1), new OutboundEvent("e", "1"));

        assertThat(accepted).isEqualTo(3);
        await().until(() -> b1.sent.size() == 1);
        assertThat(backlog.pending()).isEqualTo(2);
        release.countDown();
        await().until(() -> backlog.pending() == 0);
        assertThat(a1.sent).containsExactly("e");
        assertThat(a2.sent).containsExactly("e");
    }

    @Test
    void sendsOnEachSessionsOwnLoopInTheOrderOfTheEmits() {
        OnLoop a = new OnLoop(loopA), b = new OnLoop(loopB);

        for (int i = 0; i < 50; i++) fanOut.deliver(List.of(a, b), new OutboundEvent("e" + i, "1"));

        await().until(() -> a.sent.size() == 50 && b.sent.size() == 50);
        assertThat(a.sent).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 50).mapToObj(i -> "e" + i).toList());
        assertThat(a.onItsLoop).containsOnly(true);
        assertThat(b.onItsLoop).containsOnly(true);
    }

    @Test
    void skipsAClosedSessionAndCountsItRefused() {
        OnLoop open = new OnLoop(loopA), closed = new OnLoop(loopA);
        closed.close(DisconnectReason.CLIENT_CLOSED);

        int accepted = fanOut.deliver(List.of(open, closed), new OutboundEvent("e", "1"));

        assertThat(accepted).isEqualTo(1);
        await().until(() -> backlog.pending() == 0 && open.sent.size() == 1);
        assertThat(closed.sent).isEmpty();
    }

    @Test
    void letsGoOfWhatALoopThatShutDownWillNeverRun() throws Exception {
        OnLoop gone = new OnLoop(loopB);
        loopB.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).await();

        fanOut.deliver(List.of(gone), new OutboundEvent("e", "1"));

        assertThat(backlog.pending()).isZero();
    }

    @Test
    void handsOneMessageToEachLoopOnceWhateverItsNumberOfMembers() throws Exception {
        List<Session> room = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) room.add(new OnLoop(i % 2 == 0 ? loopA : loopB));
        CountDownLatch releaseA = hold(loopA), releaseB = hold(loopB);

        fanOut.deliver(room, new OutboundEvent("e", "1"));

        // Behind each hold: one task per loop for the message, not one per member.
        assertThat(loopA.pendingTasks()).isEqualTo(1);
        assertThat(loopB.pendingTasks()).isEqualTo(1);
        assertThat(backlog.pending()).isEqualTo(200);
        releaseA.countDown();
        releaseB.countDown();
        await().until(() -> backlog.pending() == 0);
        for (Session s : room) assertThat(((OnLoop) s).sent).containsExactly("e");
    }

    @Test
    void sendsInPlaceToSessionsOfTheCallersOwnLoop() throws Exception {
        OnLoop here = new OnLoop(loopA);

        int accepted = loopA.submit(() -> fanOut.deliver(List.of(here), new OutboundEvent("e", "1"))).get();

        assertThat(accepted).isEqualTo(1);
        assertThat(here.sent).containsExactly("e");
        assertThat(backlog.pending()).isZero();
    }

    /** A member whose shared frame's write is held in its channel until the test completes it. */
    static final class Laggard extends OnLoop implements SharesFrames {
        final io.netty.channel.embedded.EmbeddedChannel channel = new io.netty.channel.embedded.EmbeddedChannel();
        volatile io.netty.channel.ChannelPromise write;

        Laggard(EventLoop loop) {
            super(loop);
        }

        @Override public Object frameKey() { return Laggard.class; }
        @Override public byte[] framePayload(OutboundEvent e) { return e.name().getBytes(java.nio.charset.StandardCharsets.UTF_8); }

        @Override
        public io.netty.channel.ChannelFuture sendFrame(OutboundEvent event, io.netty.buffer.ByteBuf frame) {
            sent.add(event.name());
            write = channel.newPromise();
            return write;
        }
    }

    @Test
    void keepsASharedFrameInTheBacklogUntilItsWriteLeftTheChannel() {
        Laggard slow = new Laggard(loopA);

        fanOut.deliver(List.of(slow), new OutboundEvent("e", "1"));

        await().until(() -> slow.write != null);
        assertThat(backlog.pending()).as("the loop ran, the bytes are still queued for the client").isEqualTo(1);
        slow.write.setSuccess();
        assertThat(backlog.pending()).isZero();
    }
}

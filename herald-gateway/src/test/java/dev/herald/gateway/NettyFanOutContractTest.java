package dev.herald.gateway;

import dev.herald.core.deliver.live.Session;
import dev.herald.core.route.FanOut;
import dev.herald.core.route.FanOutBacklog;
import dev.herald.core.route.FanOutContract;
import io.netty.channel.DefaultEventLoop;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;

/** The FanOut contract on the gateway's adapter, its sessions spread over two real event loops. */
class NettyFanOutContractTest extends FanOutContract {
    private final DefaultEventLoop loopA = new DefaultEventLoop(), loopB = new DefaultEventLoop();
    private int made;

    @AfterEach
    void stop() {
        loopA.shutdownGracefully(0, 0, TimeUnit.SECONDS);
        loopB.shutdownGracefully(0, 0, TimeUnit.SECONDS);
    }

    @Override
    protected FanOut fanOut() {
        return new NettyFanOut(new FanOutBacklog(10_000));
    }

    @Override
    protected Session newSession() {
        return new NettyFanOutTest.OnLoop(made++ % 2 == 0 ? loopA : loopB);
    }

    @Override
    protected List<String> sentTo(Session session) {
        return List.copyOf(((NettyFanOutTest.OnLoop) session).sent);
    }
}

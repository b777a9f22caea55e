package dev.herald.core.route;

import dev.herald.core.deliver.live.OutboundEvent;
import dev.herald.core.deliver.live.Session;
import dev.herald.core.testing.FakeSession;
import java.util.List;

class DirectFanOutTest extends FanOutContract {
    @Override
    protected FanOut fanOut() {
        return FanOut.direct();
    }

    @Override
    protected Session newSession() {
        return FakeSession.of("u" + System.nanoTime(), "t");
    }

    @Override
    protected List<String> sentTo(Session session) {
        return ((FakeSession) session).sent().stream().map(OutboundEvent::name).toList();
    }
}

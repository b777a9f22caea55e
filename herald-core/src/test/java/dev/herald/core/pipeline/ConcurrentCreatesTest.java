package dev.herald.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.memory.MemoryBroker;
import dev.herald.core.memory.MemoryNotificationStore;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.notification.Created;
import dev.herald.core.notification.Notification;
import dev.herald.core.route.Hub;
import dev.herald.core.store.Idempotency;
import dev.herald.core.store.NotificationBatch;
import dev.herald.core.store.NotificationStore;
import dev.herald.core.store.Saved;
import dev.herald.core.store.Storage;
import dev.herald.core.testing.FakeSession;
import dev.herald.core.testing.MutableClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Creates that run at once, as the REST publisher's connections send them. */
class ConcurrentCreatesTest {
    /** Holds every save until released, so a test can look at what left before the rows were stored. */
    private static final class HeldSaves implements NotificationStore {
        private final NotificationStore store;
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch inSave;

        HeldSaves(NotificationStore store, int creates) {
            this.store = store;
            this.inSave = new CountDownLatch(creates);
        }

        @Override
        public Saved save(NotificationBatch batch, Idempotency idempotency, Instant now) {
            inSave.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return store.save(batch, idempotency, now);
        }

        @Override
        public List<Notification> releaseDue(Instant now, int limit) {
            return store.releaseDue(now, limit);
        }

        @Override
        public Optional<Notification> markDelivered(String recipientId, String id, Instant at) {
            return store.markDelivered(recipientId, id, at);
        }

        @Override
        public Optional<Notification> markRead(String recipientId, String id, Instant at) {
            return store.markRead(recipientId, id, at);
        }

        @Override
        public List<String> markAllRead(String recipientId, Instant at) {
            return store.markAllRead(recipientId, at);
        }

        @Override
        public boolean delete(String recipientId, String id) {
            return store.delete(recipientId, id);
        }

        @Override
        public int eraseUser(String userId) {
            return store.eraseUser(userId);
        }
    }

    @Test
    void concurrentInAppCreatesAreEachAnnouncedOnlyOnceTheirRowsAreStored() throws Exception {
        MemoryNotificationStore memory = new MemoryNotificationStore();
        Storage s = memory.storage();
        List<String> users = List.of("u1", "u2", "u3", "u4");
        HeldSaves held = new HeldSaves(s.notifications(), users.size());
        Storage storage = new Storage(held, s.inbox(), s.maintenance(), s.outbox(), s.deliveryLog(), s.preferences(),
                s.contacts(), s.templates(), s.rates(), s.resources());
        Hub hub = new Hub(new MemoryBroker());
        hub.start();
        List<FakeSession> tabs = new ArrayList<>();
        for (String user : users) {
            FakeSession tab = FakeSession.of(user, "team");
            hub.join(tab, LiveNotifier.userRoom(user));
            tabs.add(tab);
        }
        try (NotificationPipeline pipeline = new NotificationPipeline(storage, new LiveNotifier(hub),
                MutableClock.at("2026-02-01T09:00:00Z"), PipelineConfig.defaults());
             var threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Created>> created = new ArrayList<>();
            for (String user : users) {
                created.add(threads.submit(() -> pipeline.create(CreateNotification.to(user, "order_status", "Order", "Shipped"))));
            }
            held.inSave.await();

            // Every create has planned and is inside the store; none may have told its recipient yet.
            assertThat(tabs).allSatisfy(tab -> assertThat(tab.sent(LiveNotifier.NOTIFICATION)).isEmpty());

            held.release.countDown();
            for (int i = 0; i < users.size(); i++) {
                String id = created.get(i).get().ids().getFirst();
                FakeSession tab = tabs.get(i);
                await().until(() -> tab.sent(LiveNotifier.NOTIFICATION).size() == 1);
                assertThat(tab.sent(LiveNotifier.NOTIFICATION).getFirst().json()).contains(id);
            }
        }
    }
}

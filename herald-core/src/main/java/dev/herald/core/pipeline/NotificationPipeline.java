package dev.herald.core.pipeline;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.deliver.live.LiveNotifier;
import dev.herald.core.ingest.NotificationIntake;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Contact;
import dev.herald.core.notification.CreateNotification;
import dev.herald.core.notification.CreateNotification.TemplateRef;
import dev.herald.core.notification.Created;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.Notification;
import dev.herald.core.notification.NotificationIds;
import dev.herald.core.notification.NotificationPayload;
import dev.herald.core.notification.NotificationStatus;
import dev.herald.core.notification.Preferences;
import dev.herald.core.notification.Priority;
import dev.herald.core.store.Idempotency;
import dev.herald.core.store.NotificationBatch;
import dev.herald.core.store.PurgeResult;
import dev.herald.core.store.Saved;
import dev.herald.core.store.Storage;
import dev.herald.core.template.TemplateCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notification pipeline (DESIGN §5): validate → idempotency → per recipient and channel the
 * preference filter ({@link DeliveryPlanner}) → one store transaction with the inbox rows and the
 * outbox rows → live {@code notification} to room {@code user:{id}} → the dispatcher is woken for
 * what is due. It also releases scheduled inbox rows when they fall due, and purges.
 *
 * <p>The store is the truth: once {@link #create} returns, the rows are durable; a live emit that
 * fails only delays what the client sees until it syncs, and the dispatcher finds due rows by
 * polling even if it was not woken.
 *
 * <p>Threading: thread-safe; every method blocks on the store, so call it from virtual threads.
 * {@link #start} runs the scheduler on one virtual thread of its own.
 */
public final class NotificationPipeline implements NotificationIntake, AutoCloseable {
    static final int RELEASE_BATCH = 500;
    /**
     * Preference queries in flight at once: two of the pool's connections (the store's group
     * commit takes half of it), so a query forms while the other is answered.
     */
    static final int PREFERENCE_READERS = 2;
    /** Recipients per coalesced preference query at most: one store chunk (JdbcPreferenceStore.CHUNK). */
    static final int PREFERENCE_USERS_PER_QUERY = 500;
    private static final Logger log = LoggerFactory.getLogger(NotificationPipeline.class);

    private final Storage storage;
    private final LiveNotifier live;
    private final Clock clock;
    private final PipelineConfig config;
    private final PipelineObserver observer;
    private final Consumer<Set<Priority>> wakeDispatcher;
    private final TemplateCheck templates;
    private final NotificationIds ids = new NotificationIds();
    private final DeliveryPlanner planner = new DeliveryPlanner(ids);
    private final InboxScheduler scheduler;
    private final PreferenceLookups preferences;

    /**
     * @param wakeDispatcher called after a create wrote deliveries due now, with their priorities
     *     (the dispatcher polls anyway; this only saves the wait, and naming the priorities spares
     *     it a claim query for each of the others)
     */
    public NotificationPipeline(Storage storage, LiveNotifier live, Clock clock, PipelineConfig config,
                                PipelineObserver observer, Consumer<Set<Priority>> wakeDispatcher) {
        this(storage, live, clock, config, observer, wakeDispatcher, TemplateCheck.NONE);
    }

    /**
     * @param templates checks a create that names a template and renders its inbox text
     *     ({@link TemplateCheck#NONE} refuses every template)
     */
    public NotificationPipeline(Storage storage, LiveNotifier live, Clock clock, PipelineConfig config,
                                PipelineObserver observer, Consumer<Set<Priority>> wakeDispatcher, TemplateCheck templates) {
        this.templates = Objects.requireNonNull(templates, "templates");
        this.storage = Objects.requireNonNull(storage, "storage");
        this.live = Objects.requireNonNull(live, "live");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.observer = Objects.requireNonNull(observer, "observer");
        this.wakeDispatcher = Objects.requireNonNull(wakeDispatcher, "wakeDispatcher");
        this.scheduler = new InboxScheduler(this, storage.inbox(), clock, config);
        this.preferences = new PreferenceLookups(storage.preferences(), PREFERENCE_READERS, PREFERENCE_USERS_PER_QUERY);
    }

    /** A pipeline with no metrics and no dispatcher to wake (tests, tools). */
    public NotificationPipeline(Storage storage, LiveNotifier live, Clock clock, PipelineConfig config) {
        this(storage, live, clock, config, PipelineObserver.NONE, priorities -> {});
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    /** Starts the scheduler thread (scheduled releases, including rows left by an earlier run; purges). */
    public void start() {
        scheduler.start();
    }

    @Override
    public void close() {
        scheduler.close();
    }

    @Override
    public Created create(CreateNotification request) {
        Instant now = now();
        TemplateRef template = NotificationRequests.template(request.template());
        CreateNotification toBuild = request;
        RoutingRequest routing = null;
        if (template != null) {
            routing = RoutingRequest.parse(request.routing(), config.channels());
            // Before any row is built: a template that is missing or short of a variable is refused now (422).
            TemplateCheck.Checked checked = templates.check(template, routing.allChannels());
            template = template.withVersion(checked.version());
            if (blank(request.title()) && blank(request.message())) {
                toBuild = request.withText(checked.title(), checked.message());
            }
        }
        List<Notification> rows = NotificationRequests.build(toBuild, now, config, ids);
        if (routing == null) routing = RoutingRequest.parse(request.routing(), config.channels());
        Idempotency key = request.idempotencyKey() == null ? null : new Idempotency(
                NotificationRequests.scopedKey(request), NotificationRequests.fingerprint(request),
                now.plus(config.idempotencyWindow()));
        NotificationBatch batch = plan(rows, routing, template, now);
        Saved saved = storage.notifications().save(batch, key, now);
        if (saved.replayed()) {
            if (!key.fingerprint().equals(saved.fingerprint())) {
                throw new HeraldException(ErrorCode.CONFLICT, "Idempotency-Key was already used for a different request");
            }
            return new Created(saved.ids(), saved.notifications(), true);
        }
        boolean scheduled = false;
        for (Notification n : saved.notifications()) {
            if (n.status() == NotificationStatus.SCHEDULED) scheduled = true;
            else announce(n);
        }
        if (scheduled) scheduler.wake();
        afterCommit(request.type(), rows, batch, now);
        return new Created(saved.ids(), saved.notifications(), false);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private NotificationBatch plan(List<Notification> rows, RoutingRequest routing, TemplateRef template, Instant now) {
        List<String> recipients = rows.stream().map(Notification::recipientId).toList();
        // Shared with the creates arriving at the same time: one query for all their recipients.
        Map<String, Preferences> prefs = preferences.find(recipients);
        boolean outOfApp = routing.channels().stream().anyMatch(Channel::dispatched)
                || routing.fallback() != null || routing.escalateTo() != null;
        List<Notification> inbox = new ArrayList<>(rows.size());
        List<Delivery> deliveries = new ArrayList<>();
        for (Notification row : rows) {
            String user = row.recipientId();
            Contact contact = outOfApp ? storage.contacts().contact(user).orElse(Contact.none(user)) : Contact.none(user);
            Instant sendAt = row.scheduledAt() != null ? row.scheduledAt() : now;
            DeliveryPlanner.Plan plan = planner.plan(row, routing, prefs.getOrDefault(user, Preferences.defaults()),
                    contact, template, sendAt, now);
            if (plan.inbox()) inbox.add(row);
            deliveries.addAll(plan.deliveries());
        }
        return new NotificationBatch(rows.stream().map(Notification::id).toList(), inbox, deliveries);
    }

    private void afterCommit(String type, List<Notification> rows, NotificationBatch batch, Instant now) {
        observer.created(type, rows.size());
        Set<Priority> due = EnumSet.noneOf(Priority.class);
        for (Delivery d : batch.deliveries()) {
            switch (d.status()) {
                case SKIPPED -> {
                    observer.skipped(d.target().channel(), d.state().reason());
                    log.info("delivery skipped notification={} channel={} reason={}", d.target().notificationId(),
                            d.target().channel().wire(), d.state().reason());
                }
                case HELD -> observer.held(d.target().channel(), d.state().reason());
                default -> {
                    if (!d.state().dueAt().isAfter(now)) due.add(d.target().priority());
                }
            }
        }
        log.info("notification created id={} type={} recipients={} inbox={} deliveries={}", rows.getFirst().id(), type,
                rows.size(), batch.inbox().size(), batch.deliveries().size());
        if (!due.isEmpty()) wakeDispatcher.accept(due);
    }

    private void announce(Notification n) {
        live.emit(n.recipientId(), LiveNotifier.NOTIFICATION, NotificationPayload.toJson(n));
    }

    /** Releases every scheduled notification due now and sends each live; returns how many. */
    public int releaseDue() {
        int released = 0;
        while (true) {
            List<Notification> due = storage.notifications().releaseDue(now(), RELEASE_BATCH);
            due.forEach(this::announce);
            released += due.size();
            if (due.size() < RELEASE_BATCH) return released;
        }
    }

    /** Deletes expired notifications, those past retention and dead idempotency keys. */
    public PurgeResult purge() {
        Instant now = now();
        return storage.maintenance().purge(now, now.minus(Duration.ofDays(config.retentionDays())));
    }
}

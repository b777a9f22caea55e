package dev.herald.channels.push;

import dev.herald.core.deliver.dispatch.ChannelSender;
import dev.herald.core.deliver.dispatch.OutboundMessage;
import dev.herald.core.deliver.dispatch.SendResult;
import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Device;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.store.ContactStore;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push channel: one delivery goes to every device of the user, each through its platform's
 * {@link DeviceSender}, at once (one virtual thread per device). Every device's answer is one
 * {@link SendResult.Part} (provider {@code <platform>/<device id>}, e.g. {@code fcm/0190…}), which
 * the dispatcher writes as a delivery-log row before its own row for the delivery, in the settle's
 * transaction ({@code docs/decisions.md}); a device the provider calls gone is removed from the store.
 *
 * <p>The delivery's outcome ({@code docs/decisions.md}): while any device asks to come back
 * (429, 5xx, a timeout) it is a {@code Retry}, and the next attempt goes only to the devices that
 * have not yet taken it (remembered per delivery on this node: on another node, after a restart,
 * they get it again, at least once); once every device has answered for good it is {@code Sent}
 * when at least one took it, {@code Failed} when none did (all gone, refused, or of a platform with
 * no settings). A removed device therefore never fails a delivery another device took. The
 * {@code Sent}'s provider id lists, comma-separated, the ids the providers gave on this attempt.
 *
 * <p>Thread-safe; {@link #send} blocks for at most about one provider timeout.
 */
public final class PushSender implements ChannelSender {
    private static final Logger log = LoggerFactory.getLogger(PushSender.class);
    /** Deliveries waiting for a retry whose taken devices are remembered; past this the oldest are forgotten. */
    static final int REMEMBERED_DELIVERIES = 100_000;

    private final ContactStore contacts;
    private final Map<Device.Platform, DeviceSender> senders = new EnumMap<>(Device.Platform.class);
    private final Clock clock;
    private final Map<String, Set<String>> taken = java.util.Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Set<String>> eldest) {
                    return size() > REMEMBERED_DELIVERIES;
                }
            });

    public PushSender(ContactStore contacts, List<DeviceSender> senders, Clock clock) {
        this.contacts = contacts;
        this.clock = clock;
        for (DeviceSender s : senders) this.senders.put(s.platform(), s);
        if (this.senders.isEmpty()) throw new IllegalArgumentException("push needs at least one platform sender");
    }

    @Override
    public Channel channel() {
        return Channel.PUSH;
    }

    @Override
    public String provider() {
        return "push";
    }

    /** The platforms with settings, e.g. [FCM, WEBPUSH]. */
    public Set<Device.Platform> platforms() {
        return Set.copyOf(senders.keySet());
    }

    /** A device's answer and its delivery-log row (null when it has none). */
    private record Answered(Device device, DeviceResult result, SendResult.Part part) {}

    @Override
    public SendResult send(OutboundMessage message) {
        List<Device> devices = contacts.devices(message.target().recipientId());
        if (devices.isEmpty()) {
            taken.remove(message.deliveryId());
            return new SendResult.Failed("no_device");
        }
        Set<String> already = taken.computeIfAbsent(message.deliveryId(), id -> ConcurrentHashMap.newKeySet());
        List<Device> pending = devices.stream().filter(d -> !already.contains(d.id())).toList();
        PushMessage push = PushMessage.of(message);
        List<Answered> answers = sendAll(pending, push);

        List<SendResult.Part> parts = answers.stream().map(Answered::part).filter(Objects::nonNull).toList();
        List<String> providerIds = new ArrayList<>();
        List<String> retries = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        Duration retryAfter = null;
        for (Answered a : answers) {
            String label = a.device().platform().wire() + " " + a.device().id() + ": ";
            switch (a.result()) {
                case DeviceResult.Sent s -> {
                    already.add(a.device().id());
                    if (s.providerId() != null) providerIds.add(s.providerId());
                }
                case DeviceResult.Retry r -> {
                    retries.add(label + r.reason());
                    if (r.retryAfter() != null && (retryAfter == null || r.retryAfter().compareTo(retryAfter) > 0)) retryAfter = r.retryAfter();
                }
                case DeviceResult.Failed f -> refusals.add(label + f.reason());
                case DeviceResult.Gone g -> refusals.add(label + g.reason() + " (device removed)");
            }
        }
        if (!retries.isEmpty()) return new SendResult.Retry(summary(retries, devices.size()), retryAfter, parts);
        taken.remove(message.deliveryId());
        if (!already.isEmpty()) return new SendResult.Sent(providerIds.isEmpty() ? null : String.join(",", providerIds), null, parts);
        return new SendResult.Failed(summary(refusals, devices.size()), parts);
    }

    private List<Answered> sendAll(List<Device> devices, PushMessage push) {
        if (devices.size() == 1) return List.of(sendOne(devices.getFirst(), push));
        List<Answered> answers = new ArrayList<>();
        try (ExecutorService each = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Answered>> futures = new ArrayList<>();
            for (Device d : devices) futures.add(each.submit(() -> sendOne(d, push)));
            for (int i = 0; i < futures.size(); i++) {
                try {
                    answers.add(futures.get(i).get());
                } catch (Exception e) {
                    // Thrown past the provider's answer (a gone device's removal): no row for it; the delivery retries.
                    DeviceResult again = new DeviceResult.Retry("sender error " + e.getClass().getSimpleName(), null);
                    answers.add(new Answered(devices.get(i), again, null));
                }
            }
        }
        return answers;
    }

    private Answered sendOne(Device device, PushMessage push) {
        DeviceSender sender = senders.get(device.platform());
        long started = System.nanoTime();
        DeviceResult result;
        if (sender == null) {
            result = new DeviceResult.Failed("platform not configured");
        } else {
            try {
                result = sender.send(device, push);
            } catch (RuntimeException e) {
                result = new DeviceResult.Retry("sender error " + e.getClass().getSimpleName(), null);
            }
        }
        Duration latency = Duration.ofNanos(System.nanoTime() - started);
        if (result instanceof DeviceResult.Gone gone) {
            boolean removed = contacts.removeToken(device.platform(), device.token());
            log.info("push device removed user={} device={} platform={} reason={} removed={}", device.userId(), device.id(),
                    device.platform().wire(), gone.reason(), removed);
        }
        return new Answered(device, result, part(device, result, latency));
    }

    /** The device's delivery-log row, as the dispatcher will write it with the delivery's settle. */
    private SendResult.Part part(Device device, DeviceResult result, Duration latency) {
        DeliveryStatus status;
        String error;
        switch (result) {
            case DeviceResult.Sent s -> { status = DeliveryStatus.SENT; error = null; }
            case DeviceResult.Retry r -> { status = DeliveryStatus.PENDING; error = r.reason(); }
            case DeviceResult.Failed f -> { status = DeliveryStatus.FAILED; error = f.reason(); }
            case DeviceResult.Gone g -> { status = DeliveryStatus.FAILED; error = g.reason() + " (device removed)"; }
        }
        return new SendResult.Part(device.platform().wire() + "/" + device.id(), status, latency, error,
                clock.instant().truncatedTo(ChronoUnit.MILLIS));
    }

    private static String summary(List<String> parts, int devices) {
        String joined = String.join("; ", parts.size() > 3 ? parts.subList(0, 3) : parts);
        if (parts.size() > 3) joined += "; and " + (parts.size() - 3) + " more";
        return parts.size() + " of " + devices + " devices: " + joined;
    }
}

package dev.herald.core.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.Delivery;
import dev.herald.core.notification.DeliveryAttempt;
import dev.herald.core.notification.DeliveryStatus;
import dev.herald.core.notification.Priority;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What every {@link DeliveryLog} must do. */
public abstract class DeliveryLogContract extends PortContract {
    private DeliveryAttempt attempt(Delivery.Target target, int n, DeliveryStatus outcome, String error) {
        return new DeliveryAttempt(ids.next(now()), target, n, outcome, "smtp", Duration.ofMillis(120 + n), error, now());
    }

    private Delivery.Target target(String notificationId, String recipient, Channel channel) {
        return new Delivery.Target(notificationId, recipient, "comment", channel, Priority.HIGH, Delivery.Kind.FALLBACK,
                "daily:2026-01-02T09:00:00Z");
    }

    @Test
    void keepsEveryFieldOfAnAttempt() {
        DeliveryAttempt a = attempt(target(ids.next(now()), user("amy"), Channel.EMAIL), 2, DeliveryStatus.PENDING, "451 try later");

        storage.deliveryLog().append(a);

        assertThat(storage.deliveryLog().ofNotification(a.target().notificationId())).containsExactly(a);
    }

    @Test
    void keepsTheProviderIdAndDetailOfASend() {
        Delivery.Target t = target(ids.next(now()), user("dan"), Channel.SMS);
        DeliveryAttempt a = new DeliveryAttempt(ids.next(now()), t, 1, DeliveryStatus.SENT, "twilio", Duration.ofMillis(80), null,
                now(), "SM0123456789abcdef", "encoding=ucs2 length=75 segments=2");

        storage.deliveryLog().append(a);

        assertThat(storage.deliveryLog().ofNotification(t.notificationId())).containsExactly(a);
    }

    @Test
    void listsTheAttemptsOfANotificationAcrossRecipientsAndChannelsInTheOrderAppended() {
        String n = ids.next(now());
        DeliveryAttempt first = attempt(target(n, user("bo"), Channel.SMS), 1, DeliveryStatus.FAILED, "bad number");
        DeliveryAttempt second = attempt(target(n, user("cy"), Channel.EMAIL), 1, DeliveryStatus.PENDING, "451");
        DeliveryAttempt third = attempt(target(n, user("cy"), Channel.EMAIL), 2, DeliveryStatus.SENT, null);
        DeliveryAttempt elsewhere = attempt(target(ids.next(now()), user("cy"), Channel.EMAIL), 1, DeliveryStatus.SENT, null);

        for (DeliveryAttempt a : new DeliveryAttempt[] {first, second, elsewhere, third}) storage.deliveryLog().append(a);

        assertThat(storage.deliveryLog().ofNotification(n)).containsExactly(first, second, third);
    }

    @Test
    void answersAnUnknownNotificationWithNoAttempts() {
        assertThat(storage.deliveryLog().ofNotification(ids.next(now()))).isEmpty();
    }
}

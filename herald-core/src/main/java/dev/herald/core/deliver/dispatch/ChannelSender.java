package dev.herald.core.deliver.dispatch;

import dev.herald.core.notification.Channel;

/**
 * Sends one rendered message on one channel through one provider: the webhook sender (herald-channels
 * webhook/), later SMTP, FCM, APNs, Web Push and SMS. The dispatcher owns retries, backoff, dead
 * letters and the delivery log; a sender only says what the provider answered (and, for a send made
 * of several, what each part did: {@link SendResult#parts}, which the dispatcher logs with its settle).
 *
 * <p>Guarantees asked of implementations: {@link #send} never throws for a provider's refusal or an
 * I/O failure (it answers {@link SendResult.Retry} or {@link SendResult.Failed} with a reason safe
 * to log: no secret, token or message body); it applies its own timeout, so it always returns.
 *
 * <p>Threading: {@link #send} is blocking and is called on a virtual thread, possibly by many at
 * once: implementations are thread-safe.
 */
public interface ChannelSender {
    Channel channel();

    /** Who is called, for the delivery log and metrics ({@code webhook}, {@code smtp}, {@code fcm}...). */
    String provider();

    SendResult send(OutboundMessage message);
}

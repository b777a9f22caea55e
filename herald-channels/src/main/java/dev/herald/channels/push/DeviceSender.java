package dev.herald.channels.push;

import dev.herald.core.notification.Device;

/**
 * Sends one push message to one device of one platform (FCM, APNs, Web Push). {@link PushSender}
 * fans a delivery out over a user's devices through these.
 *
 * <p>Guarantees: {@link #send} never throws for a provider's answer or an I/O failure, and applies
 * its own timeout. Threading: blocking, called on virtual threads, possibly many at once.
 */
public interface DeviceSender {
    Device.Platform platform();

    /** {@code fcm}, {@code apns} or {@code webpush}: the delivery log's provider for this device's rows. */
    String provider();

    DeviceResult send(Device device, PushMessage message);
}

package dev.herald.core.store;

import dev.herald.core.notification.Channel;
import dev.herald.core.notification.DeliveryStatus;

/**
 * Which deliveries {@link OutboxStore#find} returns; null fields do not filter. Results are ordered
 * by id (creation order): ascending for one notification's deliveries, descending (newest first)
 * otherwise, starting after {@code beforeId} when given.
 *
 * @param limit 1..500
 */
public record DeliveryQuery(String deliveryId, String notificationId, String recipientId, DeliveryStatus status,
                            Channel channel, String beforeId, int limit) {
    public static final int MAX_LIMIT = 500;

    public DeliveryQuery {
        if (limit < 1 || limit > MAX_LIMIT) throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT);
    }

    public static DeliveryQuery byId(String deliveryId) {
        return new DeliveryQuery(deliveryId, null, null, null, null, null, 1);
    }

    public static DeliveryQuery ofNotification(String notificationId) {
        return new DeliveryQuery(null, notificationId, null, null, null, null, MAX_LIMIT);
    }

    public static DeliveryQuery filter(DeliveryStatus status, Channel channel, String beforeId, int limit) {
        return new DeliveryQuery(null, null, null, status, channel, beforeId, limit);
    }
}

package dev.herald.api.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.core.ingest.CreateRequestJson;
import dev.herald.core.notification.CreateNotification;

/** The REST create body: the same reader every ingestion source uses ({@link CreateRequestJson}). */
public final class NotificationBodies {
    private NotificationBodies() {}

    public static CreateNotification create(JsonNode node, String headerKey, String caller) {
        return CreateRequestJson.create(node, headerKey, caller);
    }
}

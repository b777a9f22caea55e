package dev.herald.api.rest;

import dev.herald.core.http.HttpResponse;
import dev.herald.core.inbox.UserSettings;
import dev.herald.core.notification.WebhookUrls;
import dev.herald.core.store.Storage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The settings routes over core's UserSettings on the memory store the inbox fixture uses. */
abstract class SettingsRestFixture extends InboxRestFixture {
    final Storage storage = store.storage();
    final UserSettings settings = new UserSettings(storage.preferences(), storage.contacts(), WebhookUrls.httpsOnly(), clock);
    final SettingsHttpService service = new SettingsHttpService(settings, auth);

    HttpResponse call(String method, String path, String bearer, String body) {
        return call(method, path, Map.of(), bearer, body);
    }

    HttpResponse call(String method, String path, Map<String, List<String>> query, String bearer, String body) {
        Map<String, String> headers = new HashMap<>();
        if (bearer != null) headers.put("authorization", "Bearer " + bearer);
        return service.handle(request(method, path, query, headers, bytes(body))).orElseThrow();
    }

    HttpResponse user(String userId, String method, String path, String body) {
        return call(method, path, userToken(userId), body);
    }

    HttpResponse service(String method, String path, String body) {
        return call(method, path, API_KEY, body);
    }
}

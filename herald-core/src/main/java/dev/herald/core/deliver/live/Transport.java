package dev.herald.core.deliver.live;

/** How a session's bytes travel; a polling session becomes WEBSOCKET when it upgrades. */
public enum Transport {
    WEBSOCKET("websocket"),
    POLLING("polling");

    private final String wireName;

    Transport(String wireName) {
        this.wireName = wireName;
    }

    /** The name Engine.IO and the stats APIs use. */
    public String wireName() {
        return wireName;
    }
}

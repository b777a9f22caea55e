package dev.herald.core.route;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.auth.Principal;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * Who may join which room (DESIGN §3, seed 003 §5). A refusal is always a {@code FORBIDDEN}
 * error, never a silent no-op.
 *
 * <ul>
 *   <li>{@code user:{id}}, {@code team:{id}}: only your own (joined automatically);
 *   <li>{@code group:{id}}: when the token's {@code groups} holds the id;
 *   <li>{@code channel:{name}}: any authenticated user (topic subscriptions, seed 001);
 *   <li>{@code admin:broadcast}: role {@code admin} (admins join it automatically);
 *   <li>{@code post:{id}}, {@code dm:{id}}: the {@link MembershipCheck} hook when one is configured;
 *       without one, posts are open to every authenticated user and a dm room only to the users its
 *       id names ({@code dm:alice:bob}).
 * </ul>
 */
public final class RoomRules {
    private static final Pattern ROOM = Pattern.compile("^[a-z]+:[A-Za-z0-9_.@:-]{1,128}$");
    private final MembershipCheck hook;

    /** @param hook the owning service's membership check, or null for the built-in post/dm rule */
    public RoomRules(MembershipCheck hook) {
        this.hook = hook;
    }

    /** Rooms a session joins on connect. */
    public java.util.List<String> automaticRooms(Principal p) {
        var rooms = new java.util.ArrayList<String>();
        rooms.add("user:" + p.userId());
        if (p.teamId() != null && !p.teamId().isBlank()) rooms.add("team:" + p.teamId());
        if (p.hasRole("admin")) rooms.add("admin:broadcast");
        return rooms;
    }

    public boolean isAutomatic(Principal p, String room) {
        return automaticRooms(p).contains(room);
    }

    /** @throws HeraldException INVALID_ARGUMENT for a malformed name, FORBIDDEN when not allowed */
    public void checkJoin(Principal p, String room) {
        if (room == null || !ROOM.matcher(room).matches()) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "room must look like type:id (letters, digits, _.@:-)");
        }
        int colon = room.indexOf(':');
        String type = room.substring(0, colon), id = room.substring(colon + 1);
        boolean allowed = switch (type) {
            case "user" -> id.equals(p.userId());
            case "team" -> id.equals(p.teamId());
            case "group" -> p.groups().contains(id);
            case "channel" -> true;
            case "admin" -> id.equals("broadcast") && p.hasRole("admin");
            case "post" -> hook == null || hook.isMember(p, room);
            case "dm" -> hook == null ? Arrays.asList(id.split(":")).contains(p.userId()) : hook.isMember(p, room);
            default -> throw new HeraldException(ErrorCode.FORBIDDEN, "unknown room type '" + type + "'");
        };
        if (!allowed) throw new HeraldException(ErrorCode.FORBIDDEN, "not allowed to join " + room);
    }
}

package dev.herald.core.route;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sets the {@link Hub} keeps per room and per session, shaped for what they nearly always are:
 * tiny. A set is immutable and replaced on change while it is small, and a room that grows past
 * {@value #LARGE} members moves to a concurrent set changed in place, so a big room's joins stay
 * O(1). Most rooms are one user's tabs: a concurrent set for each would cost ~120 bytes more on
 * every idle connection (bench/RESULTS.md, heap per connection).
 *
 * <p>Threading: callers change a set only inside the compute of the map entry that holds it; any
 * thread may read or iterate one at any time (an immutable set, or a concurrent one).
 */
final class SmallSets {
    /** A room with this many local members moves to a concurrent set. */
    static final int LARGE = 8;

    private SmallSets() {
    }

    /** The immutable set plus {@code element}, which it does not hold. */
    @SuppressWarnings("unchecked")
    static <T> Set<T> plus(Set<T> set, T element) {
        if (set == null || set.isEmpty()) return Set.of(element);
        T[] all = (T[]) set.toArray(new Object[set.size() + 1]);
        all[set.size()] = element;
        return Set.of(all);
    }

    /** The immutable set minus {@code element}, which it holds; null when nothing is left. */
    @SuppressWarnings("unchecked")
    static <T> Set<T> minus(Set<T> set, T element) {
        if (set.size() == 1) return null;
        return Set.of((T[]) set.stream().filter(e -> !e.equals(element)).toArray());
    }

    /** A room's members with {@code member} added, which it does not hold: the same set once it is concurrent. */
    static <T> Set<T> withMember(Set<T> members, T member) {
        if (isLarge(members)) {
            members.add(member);
            return members;
        }
        if (members == null || members.size() < LARGE - 1) return plus(members, member);
        Set<T> large = ConcurrentHashMap.newKeySet(LARGE * 2);
        large.addAll(members);
        large.add(member);
        return large;
    }

    /** A room's members without {@code member}, which it holds; null when nothing is left. */
    static <T> Set<T> withoutMember(Set<T> members, T member) {
        if (isLarge(members)) {
            members.remove(member);
            return members.isEmpty() ? null : members;
        }
        return minus(members, member);
    }

    private static boolean isLarge(Set<?> members) {
        return members instanceof ConcurrentHashMap.KeySetView<?, ?>;
    }
}

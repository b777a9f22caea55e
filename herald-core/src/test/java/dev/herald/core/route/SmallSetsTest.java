package dev.herald.core.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Set;
import org.junit.jupiter.api.Test;

class SmallSetsTest {
    @Test
    void aSmallRoomIsAnImmutableSetReplacedOnEveryChange() {
        Set<String> one = SmallSets.withMember(null, "a");
        Set<String> two = SmallSets.withMember(one, "b");

        assertThat(two).containsExactlyInAnyOrder("a", "b").isNotSameAs(one);
        assertThat(one).containsExactly("a");
        assertThatThrownBy(() -> two.add("c")).isInstanceOf(UnsupportedOperationException.class);
        assertThat(SmallSets.withoutMember(two, "a")).containsExactly("b");
        assertThat(SmallSets.withoutMember(one, "a")).as("the last member leaves no set").isNull();
    }

    @Test
    void aRoomThatGrowsLargeMovesToOneConcurrentSetChangedInPlaceUntilItEmpties() {
        Set<String> members = null;
        for (int i = 0; i < SmallSets.LARGE; i++) members = SmallSets.withMember(members, "s" + i);
        Set<String> large = members;

        assertThat(large).hasSize(SmallSets.LARGE);
        assertThat(SmallSets.withMember(large, "late")).isSameAs(large).contains("late");
        for (int i = 0; i < SmallSets.LARGE; i++) assertThat(SmallSets.withoutMember(large, "s" + i)).isSameAs(large);
        assertThat(large).containsExactly("late");
        assertThat(SmallSets.withoutMember(large, "late")).isNull();
    }

    @Test
    void plusAndMinusKeepASessionsRoomsImmutable() {
        Set<String> rooms = SmallSets.plus(SmallSets.plus(null, "user:a"), "team:t");

        assertThat(rooms).containsExactlyInAnyOrder("user:a", "team:t");
        assertThat(SmallSets.minus(rooms, "team:t")).containsExactly("user:a");
        assertThat(SmallSets.minus(SmallSets.plus(null, "x"), "x")).isNull();
    }
}

package dev.herald.broker.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.herald.core.limit.RateLimit;
import dev.herald.core.limit.RateLimiter;
import dev.herald.core.limit.RateLimiters;
import dev.herald.core.limit.RateLimitersContract;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rate-limit contract against the real Redis, and one budget shared by two nodes. */
class RedisRateLimitersTest extends RateLimitersContract {
    private static TestRedis.Clients redis;
    private final String prefix = TestRedis.uniquePrefix();
    private final List<RedisRateLimiters> made = new ArrayList<>();

    @BeforeAll
    static void connect() {
        redis = TestRedis.Clients.open();
    }

    @AfterAll
    static void disconnect() {
        redis.close();
    }

    @Override
    protected RateLimiters limiters() {
        RedisRateLimiters limiters = new RedisRateLimiters(redis.connector(), prefix, clock);
        made.add(limiters);
        return limiters;
    }

    @AfterEach
    void deleteKeys() {
        made.forEach(RedisRateLimiters::close);
        TestRedis.deleteKeys(redis.admin(), prefix);
    }

    @Test
    void twoNodesSpendFromOneBudget() {
        RateLimiter nodeA = limiters().limiter("events", RateLimit.perMinute(4));
        RateLimiter nodeB = limiters().limiter("events", RateLimit.perMinute(4));

        for (int i = 0; i < 2; i++) {
            assertThat(nodeA.tryAcquire("alice")).isZero();
            assertThat(nodeB.tryAcquire("alice")).isZero();
        }

        assertThat(nodeA.tryAcquire("alice")).isPositive();
        assertThat(nodeB.tryAcquire("alice")).isPositive();
    }

    @Test
    void aBudgetIsAKeyUnderThePrefixThatExpires() {
        limiters().limiter("events", RateLimit.perMinute(4)).tryAcquire("bob");

        String key = prefix + "rate:events:bob";
        assertThat(redis.admin().sync().exists(key)).isEqualTo(1L);
        assertThat(redis.admin().sync().pttl(key)).isPositive();
    }
}

package dev.herald.broker.redis;

/**
 * The Lua side of {@link RedisPresenceRegistry}. Each script changes the user's hash, the node's
 * socket index and the counters in one step, and returns the count that goes with the change.
 *
 * <p>Records are JSON ({@code cjson} is built into Redis): {@code x} transport, {@code t} team
 * (absent when none), {@code n} node, {@code c} connectedAt. Counters live in one hash:
 * {@code G|<transport>} for the cluster and {@code T|<transport>|<team>} per team; a counter that
 * falls to zero is deleted, so the hash holds O(active teams) fields.
 *
 * <p>ARGV[1] is always the presence key prefix. Keys of another node (when a socket moves between
 * nodes, or while purging) are derived from it inside the script, which ties these scripts to a
 * standalone Redis (or one Redis Cluster hash slot), not to a sharded cluster.
 */
final class PresenceScripts {
    private PresenceScripts() {}

    private static final String COMMON = """
            local P = ARGV[1]
            local function bump(stats, rec, delta)
              local r = cjson.decode(rec)
              local f = 'G|' .. r.x
              if redis.call('HINCRBY', stats, f, delta) <= 0 then redis.call('HDEL', stats, f) end
              if type(r.t) == 'string' then
                local tf = 'T|' .. r.x .. '|' .. r.t
                if redis.call('HINCRBY', stats, tf, delta) <= 0 then redis.call('HDEL', stats, tf) end
              end
              return r
            end
            """;

    /** KEYS: user hash, node sockets, stats, nodes. ARGV: prefix, socketId, record, userId, nodeId. Returns the user's count. */
    static final RedisScript REGISTER = new RedisScript(COMMON + """
            local old = redis.call('HGET', KEYS[1], ARGV[2])
            if old then
              local r = bump(KEYS[3], old, -1)
              if r.n ~= ARGV[5] then redis.call('HDEL', P .. 'sockets:' .. r.n, ARGV[2]) end
            end
            redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
            redis.call('HSET', KEYS[2], ARGV[2], ARGV[4])
            redis.call('SADD', KEYS[4], ARGV[5])
            bump(KEYS[3], ARGV[3], 1)
            return redis.call('HLEN', KEYS[1])
            """);

    /** KEYS: user hash, stats, status. ARGV: prefix, socketId. Returns the user's remaining count. */
    static final RedisScript UNREGISTER = new RedisScript(COMMON + """
            local old = redis.call('HGET', KEYS[1], ARGV[2])
            if old then
              local r = bump(KEYS[2], old, -1)
              redis.call('HDEL', KEYS[1], ARGV[2])
              redis.call('HDEL', P .. 'sockets:' .. r.n, ARGV[2])
            end
            local n = redis.call('HLEN', KEYS[1])
            if n == 0 then redis.call('DEL', KEYS[3]) end
            return n
            """);

    /** KEYS: user hash, stats, nodes. ARGV: prefix, socketId, record, userId. Returns 1 when the socket was known. */
    static final RedisScript UPDATE = new RedisScript(COMMON + """
            local old = redis.call('HGET', KEYS[1], ARGV[2])
            if not old then return 0 end
            local o = bump(KEYS[2], old, -1)
            local r = bump(KEYS[2], ARGV[3], 1)
            redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
            if o.n ~= r.n then
              redis.call('HDEL', P .. 'sockets:' .. o.n, ARGV[2])
              redis.call('HSET', P .. 'sockets:' .. r.n, ARGV[2], ARGV[4])
              redis.call('SADD', KEYS[3], r.n)
            end
            return 1
            """);

    /** KEYS: user hash, status. ARGV: prefix, status. Sets it only while the user is connected. */
    static final RedisScript SET_STATUS = new RedisScript(COMMON + """
            if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
            redis.call('SET', KEYS[2], ARGV[2])
            return 1
            """);

    /**
     * KEYS: node sockets, node alive, stats, nodes. ARGV: prefix, nodeId, the heartbeat value seen
     * ('' when none). Forgets every connection the node still owns, unless its heartbeat changed
     * since the caller looked (the node came back). Returns {-1} if revived, else {forgotten,
     * userId1, teamId1, userId2, teamId2, …} naming the users left with no connection on any node
     * (teamId '' when none), whose presence the caller announces offline.
     */
    static final RedisScript PURGE_NODE = new RedisScript(COMMON + """
            local alive = redis.call('GET', KEYS[2])
            if alive and alive ~= ARGV[3] then return {-1} end
            local entries = redis.call('HGETALL', KEYS[1])
            local purged = 0
            local out = {0}
            for i = 1, #entries, 2 do
              local sid, uid = entries[i], entries[i + 1]
              local ukey = P .. 'user:' .. uid
              local rec = redis.call('HGET', ukey, sid)
              if rec then
                local r = cjson.decode(rec)
                if r.n == ARGV[2] then
                  bump(KEYS[3], rec, -1)
                  redis.call('HDEL', ukey, sid)
                  purged = purged + 1
                  if redis.call('HLEN', ukey) == 0 then
                    redis.call('DEL', P .. 'status:' .. uid)
                    out[#out + 1] = uid
                    out[#out + 1] = type(r.t) == 'string' and r.t or ''
                  end
                end
              end
            end
            redis.call('DEL', KEYS[1], KEYS[2])
            redis.call('SREM', KEYS[4], ARGV[2])
            out[1] = purged
            return out
            """);

    /**
     * KEYS: the node's room set. ARGV: prefix, nodeId. Removes the node's members from every room
     * {@link RedisRoomDirectory} recorded for it; returns how many memberships were removed.
     */
    static final RedisScript PURGE_ROOMS = new RedisScript("""
            local P = ARGV[1]
            local removed = 0
            for _, room in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local rkey = P .. 'room:' .. room
              local entries = redis.call('HGETALL', rkey)
              for i = 1, #entries, 2 do
                local ok, m = pcall(cjson.decode, entries[i + 1])
                if not ok or m[1] == ARGV[2] then
                  redis.call('HDEL', rkey, entries[i])
                  removed = removed + 1
                end
              end
            end
            redis.call('DEL', KEYS[1])
            return removed
            """);
}

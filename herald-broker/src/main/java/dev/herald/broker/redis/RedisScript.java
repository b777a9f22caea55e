package dev.herald.broker.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script run by its SHA1 (EVALSHA), falling back to EVAL when Redis does not know it, which
 * happens after every Redis restart or SCRIPT FLUSH; EVAL caches it again.
 */
final class RedisScript {
    private final String source;
    private final String sha;

    RedisScript(String source) {
        this.source = source;
        try {
            this.sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(source.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is part of every JDK", e);
        }
    }

    long run(RedisCommands<String, String> redis, String[] keys, String... args) {
        try {
            Long result = redis.evalsha(sha, ScriptOutputType.INTEGER, keys, args);
            return result;
        } catch (RedisNoScriptException e) {
            Long result = redis.eval(source, ScriptOutputType.INTEGER, keys, args);
            return result;
        }
    }

    /** Runs a script that answers a Lua table (a Redis array). */
    java.util.List<Object> runList(RedisCommands<String, String> redis, String[] keys, String... args) {
        try {
            return redis.evalsha(sha, ScriptOutputType.MULTI, keys, args);
        } catch (RedisNoScriptException e) {
            return redis.eval(source, ScriptOutputType.MULTI, keys, args);
        }
    }
}

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
}

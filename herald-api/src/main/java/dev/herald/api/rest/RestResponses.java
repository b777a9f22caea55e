package dev.herald.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.Text;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * The JSON shapes every REST endpoint shares: bodies in, answers out, and refusals as
 * {@code {"error":{"code","message"}}} with the code's HTTP status.
 */
public final class RestResponses {
    static final ObjectMapper JSON = new ObjectMapper(Json.factory());
    public static final String CORRELATION_ID_HEADER = "X-Correlation-Id";
    /** The MDC key every surface logs the correlation id under (gRPC uses the same). */
    public static final String CORRELATION_ID_MDC = "correlation_id";
    private static final Pattern PLAIN_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private RestResponses() {
    }

    public static HttpResponse ok(JsonNode body) {
        return HttpResponse.json(200, body.toString());
    }

    public static HttpResponse error(ErrorCode code, String message) {
        return error(code.httpStatus(), code, message);
    }

    /** For the few HTTP statuses with no code of their own (405 Method Not Allowed, 415 Unsupported Media Type). */
    public static HttpResponse error(int status, ErrorCode code, String message) {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("error").put("code", code.name()).put("message", message);
        HttpResponse response = HttpResponse.json(status, body.toString());
        // RFC 9110 §11.6.1: a 401 names the scheme the client should use.
        return status == 401 ? response.withHeader("WWW-Authenticate", "Bearer") : response;
    }

    public static HttpResponse error(HeraldException e) {
        if (e instanceof dev.herald.core.route.FanOutBacklog.Overloaded o) {
            // RFC 9110 §10.2.3: a 503 says when to come back.
            return error(e.code(), e.getMessage()).withHeader("Retry-After", Long.toString(o.retryAfterSeconds()));
        }
        return error(e.code(), e.getMessage());
    }

    /** 405 with the {@code Allow} header naming the methods the path does take. */
    public static HttpResponse methodNotAllowed(String allow) {
        return error(405, ErrorCode.INVALID_ARGUMENT, "method not allowed, use " + allow).withHeader("Allow", allow);
    }

    /**
     * Runs a handler and turns what it throws into the error shape: a {@link HeraldException} into
     * its code, anything else into {@code INTERNAL}. The request's correlation id ({@code
     * X-Correlation-Id} when it is a plain token, else a new one) is in the MDC while the handler
     * runs; a 500 is logged at ERROR with it and the cause, and the client is given the id (in the
     * message and the header) but never the cause. The body is never logged.
     */
    public static HttpResponse guarded(HttpRequest request, Logger log, Supplier<HttpResponse> handler) {
        String correlationId = correlationId(request);
        MDC.put(CORRELATION_ID_MDC, correlationId);
        try {
            return handler.get();
        } catch (HeraldException e) {
            if (e.code() != ErrorCode.INTERNAL) return error(e);
            return internal(request, log, correlationId, e);
        } catch (RuntimeException e) {
            return internal(request, log, correlationId, e);
        } finally {
            MDC.remove(CORRELATION_ID_MDC);
        }
    }

    /**
     * 415 when the request has a body whose {@code Content-Type} says it is not JSON
     * ({@code application/json} or {@code application/*+json}, any parameters); empty when the body
     * may be read as JSON. A body without a Content-Type is read as JSON, as curl users expect.
     */
    public static Optional<HttpResponse> refuseNonJson(HttpRequest request) {
        if (request.body().length == 0) return Optional.empty();
        String type = request.header("content-type").orElse(null);
        if (type == null) return Optional.empty();
        String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (media.isEmpty() || media.equals("application/json") || media.startsWith("application/") && media.endsWith("+json")) {
            return Optional.empty();
        }
        return Optional.of(error(415, ErrorCode.INVALID_ARGUMENT, "Content-Type must be application/json, got " + media));
    }


    private static HttpResponse internal(HttpRequest request, Logger log, String correlationId, RuntimeException e) {
        // A handler may have put its own id in the MDC and removed it on the way out: log under the request's.
        MDC.put(CORRELATION_ID_MDC, correlationId);
        log.error("{} {} failed (correlation id {})", request.method(), request.path(), correlationId, e);
        return error(ErrorCode.INTERNAL, "unexpected server error (correlation id " + correlationId + ")")
                .withHeader(CORRELATION_ID_HEADER, correlationId);
    }

    /** The caller's {@code X-Correlation-Id} when it is a short plain token (it reaches logs and headers), else a new id. */
    static String correlationId(HttpRequest request) {
        String given = request.header(CORRELATION_ID_HEADER).map(String::strip).orElse("");
        return PLAIN_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    /**
     * The request body as a JSON object; an empty body is an empty object. Every string and field
     * name in it is checked with {@link Text#requireTree}, so a refusal names the JSON path.
     */
    public static ObjectNode objectBody(HttpRequest request) {
        ObjectNode body = uncheckedObjectBody(request);
        Text.requireTree("", body);
        return body;
    }

    /** As {@link #objectBody} without the text check, for a caller that checks parts on its own (bulk items). */
    public static ObjectNode uncheckedObjectBody(HttpRequest request) {
        if (request.body().length == 0) return JSON.createObjectNode();
        JsonNode node;
        try {
            node = JSON.readTree(request.body());
        } catch (JsonProcessingException e) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "request body is not valid JSON");
        } catch (java.io.IOException e) {
            throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "request body could not be read");
        }
        if (node == null || node.isMissingNode()) return JSON.createObjectNode();
        if (!node.isObject()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "request body must be a JSON object");
        return (ObjectNode) node;
    }

    /** Refuses a query parameter (name or value) holding U+0000 or an unpaired surrogate, naming it. */
    public static void requireCleanQuery(HttpRequest request) {
        request.query().forEach((name, values) -> {
            String problem = Text.problem(name);
            if (problem != null) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, "a query parameter name " + problem);
            for (String v : values) Text.require(name, v);
        });
    }

    /** A request header, refused when it holds U+0000 (a header is Latin-1, so it holds no surrogates). */
    public static String header(HttpRequest request, String name) {
        return Text.require(name, request.header(name).orElse(null));
    }

    /** A string field, or null when absent or null; any other type is refused. */
    public static String optionalString(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, field + " must be a string");
        return v.textValue();
    }
}

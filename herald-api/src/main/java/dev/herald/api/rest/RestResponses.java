package dev.herald.api.rest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.Json;
import dev.herald.core.http.HttpRequest;
import dev.herald.core.http.HttpResponse;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;

/**
 * The JSON shapes every REST endpoint shares: bodies in, answers out, and refusals as
 * {@code {"error":{"code","message"}}} with the code's HTTP status.
 */
public final class RestResponses {
    static final ObjectMapper JSON = new ObjectMapper(Json.factory());

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
        return error(e.code(), e.getMessage());
    }

    /** 405 with the {@code Allow} header naming the methods the path does take. */
    public static HttpResponse methodNotAllowed(String allow) {
        return error(405, ErrorCode.INVALID_ARGUMENT, "method not allowed, use " + allow).withHeader("Allow", allow);
    }

    /**
     * Runs a handler and turns what it throws into the error shape: a {@link HeraldException} into
     * its code, anything else into a logged {@code INTERNAL} whose message gives nothing away.
     */
    public static HttpResponse guarded(HttpRequest request, Logger log, Supplier<HttpResponse> handler) {
        try {
            return handler.get();
        } catch (HeraldException e) {
            return error(e);
        } catch (RuntimeException e) {
            log.error("{} {} failed", request.method(), request.path(), e);
            return error(ErrorCode.INTERNAL, "unexpected server error");
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

    /** The request body as a JSON object; an empty body is an empty object. */
    public static ObjectNode objectBody(HttpRequest request) {
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

    /** A string field, or null when absent or null; any other type is refused. */
    public static String optionalString(ObjectNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) return null;
        if (!v.isTextual()) throw new HeraldException(ErrorCode.INVALID_ARGUMENT, field + " must be a string");
        return v.textValue();
    }
}

package dev.herald.api.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.herald.core.ErrorCode;
import dev.herald.core.HeraldException;
import dev.herald.core.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RestRouterTest {
    static final RestRouter.Action ANY = (request, params) -> HttpResponse.json(200, "{}");
    final RestRouter router = RestRouter.builder()
            .route("GET", "/n/{id}", ANY)
            .route("DELETE", "/n/{id}", ANY)
            .route("POST", "/n/bulk", ANY)
            .route("put", "/n/{id}/read", ANY)
            .build();

    @Test
    void prefersTheTemplateWithMoreLiteralSegmentsAndAnswers405RatherThanFallingThrough() {
        assertThat(router.match("POST", "/n/bulk")).isInstanceOf(RestRouter.Match.Found.class);
        assertThat(router.match("GET", "/n/bulk")).isEqualTo(new RestRouter.Match.WrongMethod("POST"));
    }

    @Test
    void listsEveryMethodOfThePathInAllow() {
        assertThat(router.match("POST", "/n/42")).isEqualTo(new RestRouter.Match.WrongMethod("GET, DELETE"));
    }

    @Test
    void decodesParametersKeepingPlusSigns() {
        RestRouter.Match m = router.match("PUT", "/n/a%3Ab+c/read");

        assertThat(((RestRouter.Match.Found) m).params()).isEqualTo(Map.of("id", "a:b+c"));
    }

    @Test
    void matchesNothingForOtherShapesOfPath() {
        assertThat(router.match("GET", "/n")).isInstanceOf(RestRouter.Match.NotFound.class);
        assertThat(router.match("GET", "/n/1/read/x")).isInstanceOf(RestRouter.Match.NotFound.class);
        assertThat(router.match("GET", "/m/1")).isInstanceOf(RestRouter.Match.NotFound.class);
    }

    @Test
    void refusesMalformedPercentEncodingWithInvalidArgument() {
        assertThatThrownBy(() -> router.match("GET", "/n/%zz"))
                .isInstanceOfSatisfying(HeraldException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT));
    }

    @Test
    void listsItsRoutesInRegistrationOrderWithUpperCaseMethods() {
        assertThat(router.routes()).last().isEqualTo(new RestRouter.Route("PUT", "/n/{id}/read"));
    }

    @Test
    void readsAnUnversionedApiPathAsVersionOne() {
        assertThat(RestRouter.canonical("/api/notifications/42")).isEqualTo("/api/v1/notifications/42");
        assertThat(RestRouter.canonical("/api/v1/notifications")).isEqualTo("/api/v1/notifications");
        assertThat(RestRouter.canonical("/api/")).isEqualTo("/api/");
        assertThat(RestRouter.canonical("/health")).isEqualTo("/health");
    }

    @Test
    void routesTheUnversionedSpellingToTheSameRoute() {
        RestRouter versioned = RestRouter.builder().route("GET", "/api/v1/n/{id}", ANY).build();

        assertThat(versioned.match("GET", "/api/n/7")).isEqualTo(new RestRouter.Match.Found(ANY, Map.of("id", "7")));
    }
}

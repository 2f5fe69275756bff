package io.storeman.support;

import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.restassured.builder.ResponseSpecBuilder;
import io.restassured.specification.ResponseSpecification;

/**
 * What the OAuth endpoints answer when they refuse (RFC 6749 5.2, RFC 7009, RFC 7662), as REST Assured expectations
 * to chain: {@code .then().spec(OAuthAnswers.error(400, "invalid_grant"))}.
 */
public final class OAuthAnswers {

    /** The challenge of the token, introspection and revocation endpoints when a client tried HTTP Basic. */
    public static final String BASIC_CHALLENGE = "Basic realm=\"oauth\"";

    private OAuthAnswers() {
    }

    /** The status and the RFC error code of the JSON error body. */
    public static ResponseSpecification error(int status, String code) {
        return new ResponseSpecBuilder()
                .expectStatusCode(status)
                .expectBody("error", equalTo(code))
                .build();
    }

    /** 503 {@code temporarily_unavailable} with a {@code Retry-After} header: the database is out of reach. */
    public static ResponseSpecification temporarilyUnavailable() {
        return new ResponseSpecBuilder()
                .expectStatusCode(503)
                .expectHeader("Retry-After", notNullValue(String.class))
                .expectBody("error", equalTo("temporarily_unavailable"))
                .build();
    }

    /** 401 {@code invalid_client} with {@code WWW-Authenticate: Basic realm="oauth"}. */
    public static ResponseSpecification invalidClientWithBasicChallenge() {
        return new ResponseSpecBuilder()
                .expectStatusCode(401)
                .expectHeader("WWW-Authenticate", BASIC_CHALLENGE)
                .expectBody("error", equalTo("invalid_client"))
                .build();
    }
}

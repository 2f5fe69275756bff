package io.storeman.oauth.token;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.storeman.support.CodeFlow;
import io.storeman.support.CodeFlow.Client;
import io.storeman.support.CodeFlow.Verifier;
import io.storeman.support.Fixtures.Account;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * OpenID Connect steps the tests share: an application registered for {@code openid} with the ID-token algorithm and
 * subject type set in its row (the registration API takes them once that part of issue 21 lands), ID tokens from
 * the code flow, and their validation by Nimbus' {@link IDTokenValidator} against the published JWKS, as a relying
 * party does it.
 */
public final class OpenIdFlow {

    public static final String ISSUER = "http://storeman.test";

    private OpenIdFlow() {
    }

    /** The token endpoint's answer to a redeemed code, as JSON. */
    public record Redeemed(String accessToken, String refreshToken, String idToken, String scope) {
        static Redeemed of(JsonPath json) {
            return new Redeemed(json.getString("access_token"), json.getString("refresh_token"),
                    json.getString("id_token"), json.getString("scope"));
        }
    }

    /** An application of {@code owner} for {@code scopes}, signing its ID tokens with {@code alg}. */
    public static Client client(Pool pool, Account owner, String scopes, String alg, String subjectType) {
        Client client = CodeFlow.newClient(owner, scopes, true);
        pool.preparedQuery("update oauth_applications set id_token_signed_response_alg = $1, subject_type = $2"
                        + " where client_id = $3")
                .execute(Tuple.of(alg, subjectType, client.clientId())).await().atMost(Duration.ofSeconds(10));
        return client;
    }

    /** An ES256, public-subject application (ES256: the algorithm every test configuration has a key for). */
    public static Client client(Pool pool, Account owner, String scopes) {
        return client(pool, owner, scopes, "ES256", "public");
    }

    /** Approves an authorization request of {@code client} for {@code user} with {@code nonce} and redeems it. */
    public static Redeemed codeFlow(CodeFlow flow, Account user, Client client, String scope, String nonce) {
        Verifier pkce = Verifier.create();
        Map<String, List<String>> query = CodeFlow.query(client, client.redirectUri(), scope, null, pkce);
        if (nonce != null) {
            query.put("nonce", List.of(nonce));
        }
        String code = CodeFlow.parameters(flow.approve(user, query)).get("code");
        return Redeemed.of(CodeFlow.redeem(client, code, client.redirectUri(), pkce.verifier())
                .statusCode(200).extract().jsonPath());
    }

    /** Validates an ID token as a relying party does: signature by the JWKS, iss, aud, exp, iat and the nonce. */
    public static IDTokenClaimsSet validate(String idToken, Client client, String alg, String nonce) throws Exception {
        IDTokenValidator validator = new IDTokenValidator(new Issuer(ISSUER), new ClientID(client.clientId()),
                JWSAlgorithm.parse(alg), jwks());
        JWT jwt = JWTParser.parse(idToken);
        return validator.validate(jwt, nonce == null ? null : new Nonce(nonce));
    }

    public static URL jwks() throws Exception {
        return URI.create("http://localhost:" + RestAssured.port + "/.well-known/jwks.json").toURL();
    }
}

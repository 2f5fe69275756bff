package io.storeman.oauth.dpop;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import io.storeman.support.Fixtures;
import io.storeman.support.Fixtures.Account;
import io.storeman.support.Fixtures.App;
import io.storeman.support.TwoInstances;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The DPoP replay cache across instances (docs/security.md B3), with the packaged application run as two processes
 * on one database: a proof accepted by one instance is refused by the other, at the token endpoint and at the API.
 */
class DpopReplayAcrossInstancesIT {

    private static final String ME = "/api/v1/me";
    private static final String TOKEN = "/oauth/token";

    @RegisterExtension
    static final TwoInstances instances = new TwoInstances("it-dpop");

    @Test
    void proofWhenReplayedOnAnotherInstanceThenRefused() {
        Account user = Fixtures.newUser();
        App app = Fixtures.newApp(user, "public");
        DpopProof key = DpopProof.newKey();
        String tokenProof = key.proof("POST", TOKEN);
        String accessToken = instances.first().request().header("DPoP", tokenProof)
                .formParam("grant_type", "password").formParam("username", user.email())
                .formParam("password", user.password()).formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post(TOKEN).then().statusCode(200).body("token_type", equalTo("DPoP"))
                .extract().path("access_token");
        instances.second().request().header("DPoP", tokenProof)
                .formParam("grant_type", "password").formParam("username", user.email())
                .formParam("password", user.password()).formParam("client_id", app.clientId())
                .formParam("client_secret", app.clientSecret())
                .post(TOKEN).then().statusCode(400).body("error", equalTo("invalid_dpop_proof"));

        String apiProof = key.proof("GET", ME, accessToken);
        instances.first().request().header("Authorization", "DPoP " + accessToken).header("DPoP", apiProof)
                .get(ME).then().statusCode(200);
        instances.second().request().header("Authorization", "DPoP " + accessToken).header("DPoP", apiProof)
                .get(ME).then().statusCode(401)
                .header("WWW-Authenticate", containsString("error=\"invalid_dpop_proof\""));
        // A fresh proof by the same key still works on the second instance.
        instances.second().request().header("Authorization", "DPoP " + accessToken)
                .header("DPoP", key.proof("GET", ME, accessToken)).get(ME).then().statusCode(200);
    }
}

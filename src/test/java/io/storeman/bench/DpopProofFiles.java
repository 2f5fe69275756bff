package io.storeman.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.oauth2.sdk.dpop.DefaultDPoPProofFactory;
import com.nimbusds.oauth2.sdk.token.DPoPAccessToken;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The proofs of bench/run.sh's {@code dpop_me} scenario: wrk's Lua cannot sign, so they are made just before the run.
 * Gets a DPoP-bound access token (password grant with a proof, one fresh EC P-256 key), then writes that token and
 * two files of proofs for {@code GET /api/v1/me} (each with its own {@code jti} and the token's {@code ath}): one for
 * the warm-up, one for the measured run, since a proof works only once (docs/security.md B3). Proofs come from
 * Nimbus's {@link DefaultDPoPProofFactory}, as a real client's would.
 * Arguments: issuer, client id, client secret, username, password, warm-up count, measured count, output directory.
 * Writes {@code dpop_token.txt}, {@code dpop_proofs_warm.txt} and {@code dpop_proofs_measured.txt} there.
 */
public final class DpopProofFiles {

    private DpopProofFiles() {
    }

    public static void main(String[] args) throws Exception {
        String issuer = args[0];
        String form = "grant_type=password&scope=public+read_items&username=" + encode(args[3])
                + "&password=" + encode(args[4]) + "&client_id=" + encode(args[1])
                + "&client_secret=" + encode(args[2]);
        int warm = Integer.parseInt(args[5]);
        int measured = Integer.parseInt(args[6]);
        Path dir = Path.of(args[7]);
        DefaultDPoPProofFactory factory = new DefaultDPoPProofFactory(
                new ECKeyGenerator(Curve.P_256).generate(), JWSAlgorithm.ES256);

        URI token = URI.create(issuer + "/oauth/token");
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(token)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("DPoP", factory.createDPoPJWT("POST", token).serialize())
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200 || !answer.body().contains("\"token_type\":\"DPoP\"")) {
            throw new IllegalStateException("No DPoP-bound token: " + answer.statusCode() + " " + answer.body());
        }
        String accessToken = JSONObjectUtils.parse(answer.body()).get("access_token")
                .toString();
        Files.writeString(dir.resolve("dpop_token.txt"), accessToken + "\n");

        URI me = URI.create(issuer + "/api/v1/me");
        DPoPAccessToken bound = new DPoPAccessToken(accessToken);
        long start = System.nanoTime();
        write(dir.resolve("dpop_proofs_warm.txt"), warm, factory, me, bound);
        write(dir.resolve("dpop_proofs_measured.txt"), measured, factory, me, bound);
        System.out.printf("%d proofs in %.1f s%n", warm + measured, (System.nanoTime() - start) / 1e9);
    }

    /** Signs on every core: the server's window for {@code iat} starts ticking with the first proof. */
    private static void write(Path file, int count, DefaultDPoPProofFactory factory, URI me, DPoPAccessToken bound)
            throws Exception {
        List<String> proofs = IntStream.range(0, count).parallel().mapToObj(i -> {
            try {
                return factory.createDPoPJWT("GET", me, bound).serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }).toList();
        Files.write(file, proofs, StandardCharsets.US_ASCII);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

package io.storeman.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Deployment that `./mvnw package` generates: probes, replicas, resources and the Secret. */
class KubernetesManifestIT {

    private static JsonNode deployment() throws Exception {
        File manifest = new File("target/kubernetes/kubernetes.yml");
        assertTrue(manifest.isFile(), "package generates " + manifest);
        List<JsonNode> documents = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class)
                .readValues(manifest)) {
            it.forEachRemaining(documents::add);
        }
        return documents.stream().filter(d -> "Deployment".equals(d.path("kind").asText())).findFirst()
                .orElseThrow(() -> new AssertionError("no Deployment in " + manifest));
    }

    @Test
    void manifestWhenPackagedThenDeploymentHasThreeProbesReplicasResourcesAndSecret() throws Exception {
        JsonNode deployment = deployment();
        assertTrue(deployment.path("spec").path("replicas").asInt() >= 2, "at least two replicas");
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
        assertNotNull(container);
        assertEquals("/q/health/live", container.path("livenessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/ready", container.path("readinessProbe").path("httpGet").path("path").asText());
        assertEquals("/q/health/started", container.path("startupProbe").path("httpGet").path("path").asText());
        assertTrue(container.path("resources").path("requests").has("cpu"));
        assertTrue(container.path("resources").path("requests").has("memory"));
        boolean secret = false;
        for (JsonNode source : container.path("envFrom")) {
            secret |= "storeman-auth".equals(source.path("secretRef").path("name").asText());
        }
        assertTrue(secret, "datasource and key settings come from the storeman-auth Secret");
        String trustedProxies = "";
        for (JsonNode variable : container.path("env")) {
            if ("STOREMAN_HTTP_TRUSTED_PROXIES".equals(variable.path("name").asText())) {
                trustedProxies = variable.path("value").asText();
            }
        }
        assertTrue(trustedProxies.contains("10.0.0.0/8"), "behind the ingress the client is read from X-Forwarded-For");
    }
}

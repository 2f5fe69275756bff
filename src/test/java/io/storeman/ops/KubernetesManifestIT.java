package io.storeman.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.databind.MappingIterator;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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

    /**
     * The pod runs as a non-root user on a read-only root file system, with one writable directory: an emptyDir at
     * /tmp, where JNA and Amazon Corretto Crypto Provider unpack their native libraries (docs/native.md, "Images").
     */
    @Test
    void manifestWhenPackagedThenNonRootReadOnlyRootAndAnEmptyDirAtTmp() throws Exception {
        JsonNode pod = deployment().path("spec").path("template").path("spec");
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), pod.toString());
        assertEquals(10001, pod.path("securityContext").path("runAsUser").asInt(), pod.toString());
        JsonNode container = pod.path("containers").get(0);
        assertEquals(1, pod.path("containers").size(), "the fragment merges into the one container");
        assertTrue(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean(), container.toString());
        String volume = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            if ("/tmp".equals(mount.path("mountPath").asText())) {
                volume = mount.path("name").asText();
            }
        }
        assertNotNull(volume, "/tmp is mounted: " + container);
        boolean emptyDir = false;
        for (JsonNode declared : pod.path("volumes")) {
            emptyDir |= volume.equals(declared.path("name").asText()) && declared.has("emptyDir");
        }
        assertTrue(emptyDir, "/tmp is an emptyDir: " + pod.path("volumes"));
    }

    /**
     * K7: the key-encryption keys are mapped by name from a Secret of their own, so a pod without them does not start,
     * and mapping them leaves every other setting coming from the storeman-auth Secret.
     */
    @Test
    void manifestWhenPackagedThenKeyEncryptionKeysComeFromTheirSecretByName() throws Exception {
        JsonNode container = deployment().path("spec").path("template").path("spec").path("containers").get(0);

        assertEquals(Map.of("STOREMAN_KEYS_ENCRYPTION_KEY", "encryption-key",
                "STOREMAN_KEYS_PREVIOUS_ENCRYPTION_KEYS", "previous-encryption-keys"), keysOf(container,
                "storeman-auth-keys"));
        for (JsonNode variable : container.path("env")) {
            assertFalse(variable.path("name").asText().startsWith("STOREMAN_KEYS_") && variable.has("value"),
                    "never a key written into the manifest: " + variable);
        }
        List<String> envFrom = new ArrayList<>();
        container.path("envFrom").forEach(source -> envFrom.add(source.path("secretRef").path("name").asText()));
        assertEquals(List.of("storeman-auth"), envFrom);
    }

    /** The variables of {@code container} taken from keys of {@code secret}, with those keys; each is required. */
    private static Map<String, String> keysOf(JsonNode container, String secret) {
        Map<String, String> keys = new TreeMap<>();
        for (JsonNode variable : container.path("env")) {
            JsonNode ref = variable.path("valueFrom").path("secretKeyRef");
            if (secret.equals(ref.path("name").asText())) {
                assertFalse(ref.path("optional").asBoolean(false), variable.toString());
                keys.put(variable.path("name").asText(), ref.path("key").asText());
            }
        }
        return keys;
    }
}

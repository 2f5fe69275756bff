package io.storeman.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import io.storeman.architecture.cycle.a.CycleStart;
import io.storeman.common.ErrorFormat;
import io.storeman.common.UpwardDependency;
import io.storeman.web.WebHeaders;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package graph's rules (docs/architecture.md "The packages"): the layers, bottom to top, each depending only
 * on the ones below it; no cycle between any two packages, within a layer too; no JAX-RS in the domain and the
 * OAuth features, so that HTTP is translated only at the top. The last two tests prove that the rules do fail: on a
 * cycle, and on a lower package reaching up.
 */
class ArchitectureTest {

    /** Bottom to top; a package may depend on its own layer's packages (no cycle allowed) and on lower layers. */
    static final List<Layer> LAYERS = List.of(
            new Layer("common", "io.storeman.common.."),
            new Layer("oauth vocabulary", "io.storeman.oauth"),
            new Layer("security", "io.storeman.security.."),
            new Layer("account", "io.storeman.account.."),
            new Layer("session", "io.storeman.session.."),
            new Layer("application", "io.storeman.application.."),
            new Layer("client and keys", "io.storeman.oauth.client..", "io.storeman.oauth.keys..",
                    "io.storeman.oauth.dpop.."),
            new Layer("token", "io.storeman.oauth.token.."),
            new Layer("revoke", "io.storeman.oauth.revoke.."),
            new Layer("authorize", "io.storeman.oauth.authorize.."),
            new Layer("grant, introspect, bearer", "io.storeman.oauth.grant..", "io.storeman.oauth.introspect..",
                    "io.storeman.oauth.bearer.."),
            new Layer("endpoints", "io.storeman.oauth.endpoint..", "io.storeman.api..", "io.storeman.space..",
                    "io.storeman.item.."),
            new Layer("web", "io.storeman.web.."),
            new Layer("http and ops", "io.storeman.http..", "io.storeman.ops.."),
            new Layer("native image", "io.storeman.nativeimage.."));

    /** Where rules live: these translate no HTTP, so a rule can be read and tested without a request. */
    static final String[] NO_HTTP = {"io.storeman.account..", "io.storeman.session..", "io.storeman.application..",
        "io.storeman.oauth.client..", "io.storeman.oauth.keys..", "io.storeman.oauth.token..",
        "io.storeman.oauth.revoke..", "io.storeman.oauth.authorize..", "io.storeman.oauth.grant..",
        "io.storeman.oauth.introspect.."};

    static final ArchRule NO_CYCLES = slices().matching("io.storeman.(**)").should().beFreeOfCycles();

    static final ArchRule NO_JAX_RS_IN_RULES = noClasses().that().resideInAnyPackage(NO_HTTP)
            .should().dependOnClassesThat().resideInAnyPackage("jakarta.ws.rs..", "org.jboss.resteasy..")
            .because("resources and filters live in the endpoint layer and above; rules hold no HTTP type");

    static final ArchRule RESOURCES_ON_TOP = classes().that().areAnnotatedWith("jakarta.ws.rs.Path")
            .should().resideInAnyPackage("io.storeman.oauth.endpoint..", "io.storeman.api..",
                    "io.storeman.space..", "io.storeman.item..", "io.storeman.web..", "io.storeman.http..")
            .because("an HTTP resource only translates; it sits above the rules it calls");

    static final ArchRule RESOURCES_DECLARE_ERROR_FORMAT = classes().that().areAnnotatedWith("jakarta.ws.rs.Path")
            .should().beAnnotatedWith(ErrorFormat.class)
            .because("failures are written in the format a resource declares, never guessed from its path"
                    + " (docs/security.md E1)");

    /** docs/security.md A1-A3: identities are built in oauth.bearer only, and requirements are declared on resources. */
    static final ArchRule SECURITY_IDENTITY_FROM_BEARER_ONLY = noClasses().that().resideInAnyPackage(NO_HTTP)
            .should().dependOnClassesThat().resideInAnyPackage("io.quarkus.security..")
            .because("the rules below the endpoints neither authenticate nor declare access; oauth.bearer builds the "
                    + "identity and each resource method declares its requirement");

    record Layer(String name, String... packages) {
    }

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.storeman");
    }

    static LayeredArchitecture layers() {
        LayeredArchitecture architecture = com.tngtech.archunit.library.Architectures.layeredArchitecture()
                .consideringOnlyDependenciesInAnyPackage("io.storeman..");
        for (Layer layer : LAYERS) {
            architecture = architecture.layer(layer.name()).definedBy(layer.packages());
        }
        architecture = architecture.whereLayer(LAYERS.get(0).name()).mayNotAccessAnyLayer();
        for (int i = 1; i < LAYERS.size(); i++) {
            String[] below = LAYERS.subList(0, i).stream().map(Layer::name).toArray(String[]::new);
            architecture = architecture.whereLayer(LAYERS.get(i).name()).mayOnlyAccessLayers(below);
        }
        return architecture;
    }

    @Test
    void everyPackageDependsOnlyOnLowerLayers() {
        layers().check(main);
    }

    @Test
    void noPackagesFormACycle() {
        NO_CYCLES.check(main);
    }

    @Test
    void domainAndOAuthFeaturesHoldNoHttpTypes() {
        NO_JAX_RS_IN_RULES.check(main);
    }

    @Test
    void onlyTheBearerPackageAndResourcesUseQuarkusSecurity() {
        SECURITY_IDENTITY_FROM_BEARER_ONLY.check(main);
    }

    @Test
    void resourcesLiveInTheEndpointLayerOrAbove() {
        RESOURCES_ON_TOP.check(main);
    }

    @Test
    void everyResourceDeclaresItsErrorFormat() {
        RESOURCES_DECLARE_ERROR_FORMAT.check(main);
    }

    @Test
    void aCycleBetweenTwoPackagesFails() {
        JavaClasses cyclic = new ClassFileImporter().importPackagesOf(CycleStart.class,
                io.storeman.architecture.cycle.b.CycleEnd.class);
        assertThrows(AssertionError.class, () -> NO_CYCLES.check(cyclic));
    }

    @Test
    void aLowerPackageReachingUpFails() {
        JavaClasses upward = new ClassFileImporter().importClasses(UpwardDependency.class, WebHeaders.class);
        assertThrows(AssertionError.class, () -> layers().check(upward));
    }
}

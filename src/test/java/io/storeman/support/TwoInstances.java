package io.storeman.support;

import io.restassured.RestAssured;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Two instances of the packaged application on the local database, as a JUnit 5 extension:
 * {@code @RegisterExtension static final TwoInstances instances = new TwoInstances("it-name");}. Both start before
 * the class's first test (named {@code <name>-1} and {@code <name>-2}, logs in {@code target/}) and stop after its
 * last. REST Assured, and so {@link Fixtures}, talks to the first; calls to the other name its port.
 */
public final class TwoInstances implements BeforeAllCallback, AfterAllCallback {

    private final String name;
    private final Map<String, String> environment;
    private AppInstance first;
    private AppInstance second;

    public TwoInstances(String name) {
        this(name, Map.of());
    }

    /** Both instances with {@code environment} added to the one {@link AppInstance} gives them. */
    public TwoInstances(String name, Map<String, String> environment) {
        this.name = name;
        this.environment = environment;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws InterruptedException {
        first = AppInstance.start(name + "-1", AppInstance.LOCAL_DATABASE, environment);
        second = AppInstance.start(name + "-2", AppInstance.LOCAL_DATABASE, environment);
        first.awaitReady(AppInstance.START_TIMEOUT);
        second.awaitReady(AppInstance.START_TIMEOUT);
        RestAssured.port = first.port();
    }

    @Override
    public void afterAll(ExtensionContext context) throws InterruptedException {
        try {
            if (first != null) {
                first.close();
            }
        } finally {
            if (second != null) {
                second.close();
            }
        }
    }

    public AppInstance first() {
        return first;
    }

    public AppInstance second() {
        return second;
    }

    /** The first, then the second. */
    public List<AppInstance> both() {
        return List.of(first, second);
    }
}

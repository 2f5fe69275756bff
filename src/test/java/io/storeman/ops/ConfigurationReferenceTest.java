package io.storeman.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.smallrye.config.WithDefault;
import io.storeman.common.StoremanConfig;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's configuration table and the config mapping describe the same settings with the same defaults. */
class ConfigurationReferenceTest {

    private static final Pattern ROW = Pattern.compile(
            "^\\| `(storeman\\.[a-z0-9.-]+)` \\| `([A-Z0-9_]+)` \\| (?:`([^`]*)`|none) \\|", Pattern.MULTILINE);

    private static String kebab(String name) {
        return name.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    private static void collect(Class<?> type, String prefix, Map<String, String> settings) {
        for (Method method : type.getDeclaredMethods()) {
            if (method.isDefault() || method.getParameterCount() > 0) {
                continue;
            }
            String name = prefix + "." + kebab(method.getName());
            Class<?> returned = method.getReturnType();
            if (returned.isInterface() && returned.getDeclaringClass() == StoremanConfig.class) {
                collect(returned, name, settings);
            } else {
                WithDefault fallback = method.getAnnotation(WithDefault.class);
                settings.put(name, fallback == null ? "" : fallback.value());
            }
        }
    }

    @Test
    void readmeTableWhenComparedWithConfigMappingThenSameSettingsAndDefaults() throws Exception {
        Map<String, String> mapping = new TreeMap<>();
        collect(StoremanConfig.class, "storeman", mapping);

        Map<String, String> readme = new TreeMap<>();
        Matcher row = ROW.matcher(Files.readString(Path.of("README.md")));
        while (row.find()) {
            String property = row.group(1);
            String env = property.toUpperCase().replaceAll("[.-]", "_");
            assertEquals(env, row.group(2), "environment variable of " + property);
            readme.put(property, row.group(3) == null ? "" : row.group(3));
        }
        assertEquals(mapping, readme);
    }
}

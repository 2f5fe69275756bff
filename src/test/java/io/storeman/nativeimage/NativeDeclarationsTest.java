package io.storeman.nativeimage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The native image's declarations in application.properties keep up with the code (docs/native.md): every class that
 * holds a static SecureRandom or loads a native library is initialised at run time, and every resource the code
 * reads by name is included. The run-time list names classes as strings, so a class moved or renamed without it
 * would slip back to build-time initialisation without this test.
 */
class NativeDeclarationsTest {

    private static final Path SOURCES = Path.of("src", "main", "java");
    private static final Pattern STATIC_RANDOM = Pattern.compile("static\\s+final\\s+SecureRandom\\s");
    private static final Pattern NATIVE_LOAD = Pattern.compile("\\bNative\\.load\\(");
    private static final Pattern CORRETTO = Pattern.compile("\\bAmazonCorrettoCryptoProvider\\.\\w+");
    private static final Pattern RESOURCE = Pattern.compile("\"([\\w\\-/]+\\.(?:txt|json|csv|properties))\"");

    private static Map<String, String> sources;
    private static Properties properties;

    @BeforeAll
    static void read() throws IOException {
        sources = new TreeMap<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(path -> path.toString().endsWith(".java")).toList()) {
                String name = SOURCES.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
                sources.put(name, Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        properties = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("src", "main", "resources", "application.properties"),
                StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
    }

    /** The classes and packages of {@code --initialize-at-run-time}, as the image builder gets them. */
    private static List<String> runTimeInitialised() {
        String arguments = properties.getProperty("quarkus.native.additional-build-args", "");
        List<String> names = new ArrayList<>();
        for (String argument : arguments.split("(?<!\\\\),")) {
            String trimmed = argument.strip();
            if (trimmed.startsWith("--initialize-at-run-time=")) {
                names.addAll(Arrays.asList(trimmed.substring("--initialize-at-run-time=".length()).split("\\\\,")));
            }
        }
        return names;
    }

    @Test
    void everyClassWithAStaticSecureRandomIsInitialisedAtRunTime() {
        List<String> missing = sources.entrySet().stream()
                .filter(source -> STATIC_RANDOM.matcher(source.getValue()).find())
                .map(Map.Entry::getKey)
                .filter(name -> !runTimeInitialised().contains(name))
                .toList();
        assertEquals(List.of(), missing, "classes whose static SecureRandom the image builder would seed");
    }

    @Test
    void everyClassThatLoadsANativeLibraryIsInitialisedAtRunTimeWithItsLibrary() {
        List<String> names = runTimeInitialised();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, String> source : sources.entrySet()) {
            boolean jna = NATIVE_LOAD.matcher(source.getValue()).find();
            boolean corretto = CORRETTO.matcher(source.getValue()).find();
            if ((jna || corretto) && names.stream().noneMatch(name -> name.equals(source.getKey())
                    || name.startsWith(source.getKey() + "$"))) {
                missing.add(source.getKey());
            }
            if (jna && !names.contains("com.sun.jna")) {
                missing.add("com.sun.jna");
            }
            if (corretto && !names.contains("com.amazon.corretto.crypto.provider")) {
                missing.add("com.amazon.corretto.crypto.provider");
            }
        }
        assertEquals(List.of(), missing, "native libraries the image builder would load");
    }

    @Test
    void everyResourceReadByNameIsIncludedInTheImage() {
        List<String> included = Arrays.stream(properties.getProperty("quarkus.native.resources.includes", "")
                .split(",")).map(String::strip).toList();
        List<String> missing = new ArrayList<>();
        for (String source : sources.values()) {
            Matcher resource = RESOURCE.matcher(source);
            while (resource.find()) {
                if (!included.contains(resource.group(1))) {
                    missing.add(resource.group(1));
                }
            }
        }
        assertEquals(List.of(), missing, "resources the native image would lack");
        assertTrue(included.contains("account/common-passwords.txt"), included.toString());
    }

    @Test
    void everyNamedRunTimeClassExists() {
        for (String name : runTimeInitialised()) {
            if (name.startsWith("io.storeman.")) {
                String outer = name.contains("$") ? name.substring(0, name.indexOf('$')) : name;
                assertTrue(sources.containsKey(outer), name + " is named in --initialize-at-run-time but not found");
            }
        }
    }
}

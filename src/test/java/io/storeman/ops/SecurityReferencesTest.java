package io.storeman.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every id a comment under {@code src/} cites ({@code D5}, {@code (D8)}, {@code N27-N31}, ...) is defined in
 * {@code docs/security.md}, so that a reader follows each reference without leaving the repository.
 */
class SecurityReferencesTest {

    private static final Path SECURITY = Path.of("docs", "security.md");
    /** A cited id: one capital letter and one or two digits, standing alone. */
    private static final Pattern ID = Pattern.compile("\\b[A-Z][0-9]{1,2}\\b");
    /** A definition: the first cell of a table row. */
    private static final Pattern DEFINITION = Pattern.compile("(?m)^\\| ([A-Z][0-9]{1,2}) \\|");
    /** The kinds of file whose comments {@link #idsIn} reads. */
    private static final List<String> CITING_KINDS = List.of(".java", ".properties", ".sql");

    @Test
    void idsCitedInCommentsThenEachIsDefinedInDocsSecurity() throws IOException {
        Set<String> defined = definedIds();
        Map<String, List<String>> undefined = new TreeMap<>();
        Map<String, List<String>> cited = citations();
        cited.forEach((id, places) -> {
            if (!defined.contains(id)) {
                undefined.put(id, places);
            }
        });
        assertEquals(Map.of(), undefined, "ids cited under src/ but not defined in " + SECURITY);
        // The scan sees the citations it must see: a broken scan would pass the check above with nothing found.
        assertEquals(List.of("src/main/java/io/storeman/oauth/revoke/RevocationList.java:28"),
                cited.get("D8").stream().filter(place -> place.contains("RevocationList")).toList());
    }

    @Test
    void javaWhenIdsInStringsAndCommentsThenOnlyTheCommentsCount() {
        String java = """
                String body = "grant_type=%C3%28"; // D9: a form body
                char quote = '"'; /* N40,
                   across lines */ String text = \"""
                    X1 in a text block
                    \""";
                """;
        assertEquals(Map.of("D9", List.of("Foo.java:1"), "N40", List.of("Foo.java:2")), idsIn("Foo.java", java));
    }

    @Test
    void propertiesAndSqlWhenIdsInValuesAndCommentsThenOnlyTheCommentsCount() {
        assertEquals(Map.of("D7", List.of("a.properties:1")),
                idsIn("a.properties", "# D7 applies\nkey=A1 value\n"));
        assertEquals(Map.of("N12", List.of("V9__x.sql:1")),
                idsIn("V9__x.sql", "select 'B2 -- no' as x; -- N12\n"));
    }

    private static Set<String> definedIds() throws IOException {
        Matcher row = DEFINITION.matcher(Files.readString(SECURITY));
        return row.results().map(match -> match.group(1)).collect(Collectors.toSet());
    }

    /** Each cited id with the places ({@code path:line}) that cite it, over src/main and src/test. */
    private static Map<String, List<String>> citations() throws IOException {
        Map<String, List<String>> cited = new TreeMap<>();
        try (Stream<Path> files = Stream.concat(Files.walk(Path.of("src", "main")),
                Files.walk(Path.of("src", "test")))) {
            // Only these kinds of file cite ids (idsIn); the others, such as the favicon, need not even be text.
            files.filter(Files::isRegularFile).filter(file -> CITING_KINDS.stream()
                    .anyMatch(kind -> file.toString().endsWith(kind))).forEach(file -> {
                try {
                    idsIn(file.toString(), Files.readString(file))
                            .forEach((id, places) -> cited.computeIfAbsent(id, k -> new ArrayList<>()).addAll(places));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return cited;
    }

    /** The ids cited in the comments of one file, by the file's kind; other kinds of file cite nothing. */
    static Map<String, List<String>> idsIn(String name, String text) {
        String comments;
        if (name.endsWith(".java")) {
            comments = javaComments(text);
        } else if (name.endsWith(".properties")) {
            comments = text.lines().map(line -> line.strip().startsWith("#") ? line : "")
                    .collect(Collectors.joining("\n"));
        } else if (name.endsWith(".sql")) {
            comments = text.lines().map(SecurityReferencesTest::sqlComment).collect(Collectors.joining("\n"));
        } else {
            return Map.of();
        }
        Map<String, List<String>> ids = new TreeMap<>();
        List<String> lines = comments.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher id = ID.matcher(lines.get(i));
            while (id.find()) {
                ids.computeIfAbsent(id.group(), k -> new ArrayList<>()).add(name + ":" + (i + 1));
            }
        }
        return ids;
    }

    /** The text of a Java file with everything but its comments blanked out (line breaks kept). */
    private static String javaComments(String text) {
        StringBuilder out = new StringBuilder(text.length());
        int i = 0;
        while (i < text.length()) {
            int end;
            boolean comment;
            if (text.startsWith("//", i)) {
                end = text.indexOf('\n', i);
                comment = true;
            } else if (text.startsWith("/*", i)) {
                end = text.indexOf("*/", i + 2) + 2;
                comment = true;
            } else if (text.startsWith("\"\"\"", i)) {
                end = text.indexOf("\"\"\"", i + 3) + 3;
                comment = false;
            } else if (text.charAt(i) == '"' || text.charAt(i) == '\'') {
                end = literalEnd(text, i);
                comment = false;
            } else {
                end = i + 1;
                comment = false;
            }
            end = end <= i ? text.length() : end;
            for (int j = i; j < end; j++) {
                char c = text.charAt(j);
                out.append(comment || c == '\n' ? c : ' ');
            }
            i = end;
        }
        return out.toString();
    }

    /** Where the string or char literal opening at {@code start} ends, past its closing quote. */
    private static int literalEnd(String text, int start) {
        char quote = text.charAt(start);
        int i = start + 1;
        while (i < text.length() && text.charAt(i) != quote && text.charAt(i) != '\n') {
            i += text.charAt(i) == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    /** The part of an SQL line after {@code --}, when the dashes are outside a quoted string. */
    private static String sqlComment(String line) {
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            if (line.charAt(i) == '\'') {
                quoted = !quoted;
            } else if (!quoted && line.startsWith("--", i)) {
                return line.substring(i);
            }
        }
        return "";
    }
}

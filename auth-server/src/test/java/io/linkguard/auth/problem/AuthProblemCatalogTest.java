package io.linkguard.auth.problem;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** auth-server's problem catalogue and docs/problems.md say the same: slug (anchor), title, status. */
class AuthProblemCatalogTest {

    private static final Pattern SECTION = Pattern.compile(
            "(?m)^### ([a-z0-9-]+)\\n(?:- \\*\\*Extra\\*\\*.*\\n)?- \\*\\*Title\\*\\* `([^`]+)` · \\*\\*Status\\*\\* (\\d{3})");
    private static final Pattern TABLE_ROW = Pattern.compile("(?m)^\\| \\[([a-z0-9-]+)]\\(#\\1\\) \\| [^|]+ \\| ([^|]+) \\|$");

    private static String doc() throws IOException {
        return Files.readString(Path.of("..", "docs", "problems.md"));
    }

    @Test
    void everyTypeHasItsAnchorTitleAndStatusInTheDocs() throws IOException {
        String doc = doc();
        Matcher m = SECTION.matcher(doc);
        java.util.Map<String, String> documented = new java.util.HashMap<>();
        while (m.find()) {
            documented.put(m.group(1), m.group(2) + " " + m.group(3));
        }
        for (AuthProblem p : AuthProblem.values()) {
            assertThat(documented).as(p.slug()).containsEntry(p.slug(), p.title() + " " + p.status());
            assertThat(p.type()).isEqualTo("https://linkguard.dev/problems/" + p.slug());
        }
    }

    @Test
    void everyTypeTheDocsCreditToAuthServerIsInTheCatalogue() throws IOException {
        Set<String> slugs = EnumSet.allOf(AuthProblem.class).stream().map(AuthProblem::slug).collect(Collectors.toSet());
        Matcher m = TABLE_ROW.matcher(doc());
        int authRows = 0;
        while (m.find()) {
            if (m.group(2).contains("auth-server")) {
                authRows++;
                assertThat(slugs).as("docs/problems.md credits %s to auth-server", m.group(1)).contains(m.group(1));
            }
        }
        assertThat(authRows).isGreaterThan(5);
    }
}

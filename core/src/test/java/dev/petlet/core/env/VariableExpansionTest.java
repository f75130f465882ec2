package dev.petlet.core.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class VariableExpansionTest {
    private static final Map<String, String> VARIABLES = Map.of("A", "alpha", "B", "beta", "EMPTY", "");

    private static String expand(String input) {
        return VariableExpansion.expand(input, VARIABLES);
    }

    @Test
    void replacesDefinedVariables() {
        assertThat(expand("$(A)-$(B)")).isEqualTo("alpha-beta");
        assertThat(expand("x$(EMPTY)y")).isEqualTo("xy");
    }

    @Test
    void leavesUndefinedVariablesAsWritten() {
        assertThat(expand("$(NOPE) and $(A)")).isEqualTo("$(NOPE) and alpha");
    }

    @Test
    void doubleDollarEscapes() {
        assertThat(expand("$$(A)")).isEqualTo("$(A)");
        assertThat(expand("$$$(A)")).isEqualTo("$alpha");
        assertThat(expand("cost: $$5")).isEqualTo("cost: $5");
    }

    @Test
    void keepsLoneAndIncompleteOperators() {
        assertThat(expand("$")).isEqualTo("$");
        assertThat(expand("a$b")).isEqualTo("a$b");
        assertThat(expand("$(A")).isEqualTo("$(A");
        assertThat(expand("$HOME")).isEqualTo("$HOME");
    }
}

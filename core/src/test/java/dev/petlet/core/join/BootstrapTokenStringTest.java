package dev.petlet.core.join;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BootstrapTokenStringTest {
    @Test
    void parsesIdAndSecret() {
        BootstrapTokenString token = BootstrapTokenString.parse("abcdef.0123456789abcdef");
        assertThat(token.id()).isEqualTo("abcdef");
        assertThat(token.secret()).isEqualTo("0123456789abcdef");
        assertThat(token.value()).isEqualTo("abcdef.0123456789abcdef");
        assertThat(token.toString()).doesNotContain("0123456789abcdef");
    }

    @Test
    void refusesAnotherFormatSayingWhatATokenLooksLike() {
        assertThatThrownBy(() -> BootstrapTokenString.parse("ABCDEF.0123456789abcdef"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--token")
                .hasMessageContaining("abcdef.0123456789abcdef");
        assertThatThrownBy(() -> BootstrapTokenString.parse("abcdef0123456789abcdef"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.petlet.core.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandOutcomeTest {
    @Test
    void successIsTheBareStatus() {
        assertThat(json(new CommandOutcome.Success())).isEqualTo("{\"metadata\":{},\"status\":\"Success\"}");
        assertThat(text(new CommandOutcome.Success())).isEmpty();
    }

    @Test
    void nonZeroExitCarriesTheCodeAsACause() {
        CommandOutcome exit = new CommandOutcome.NonZeroExit(3, List.of("sh", "-c", "exit 3"));

        assertThat(json(exit))
                .isEqualTo("{\"metadata\":{},\"status\":\"Failure\",\"message\":\"command terminated with non-zero exit"
                        + " code: error executing command [sh -c exit 3], exit code 3\",\"reason\":\"NonZeroExitCode\","
                        + "\"details\":{\"causes\":[{\"reason\":\"ExitCode\",\"message\":\"3\"}]}}");
        assertThat(text(exit))
                .isEqualTo("command terminated with non-zero exit code: error executing command [sh -c exit 3],"
                        + " exit code 3");
    }

    @Test
    void failureIsAnInternalError() {
        CommandOutcome failure =
                new CommandOutcome.Failure("error executing command in container: container `x` \"gone\"");

        assertThat(json(failure))
                .isEqualTo(
                        "{\"metadata\":{},\"status\":\"Failure\",\"message\":\"Internal error occurred: error executing"
                                + " command in container: container `x` \\\"gone\\\"\",\"reason\":\"InternalError\",\"details\":"
                                + "{\"causes\":[{\"message\":\"error executing command in container: container `x` \\\"gone\\\"\"}]},"
                                + "\"code\":500}");
        assertThat(text(failure))
                .isEqualTo("Internal error occurred: error executing command in container: container `x` \"gone\"");
    }

    private static String json(CommandOutcome outcome) {
        return new String(CommandOutcome.json(outcome), StandardCharsets.UTF_8);
    }

    private static String text(CommandOutcome outcome) {
        return new String(CommandOutcome.text(outcome), StandardCharsets.UTF_8);
    }
}

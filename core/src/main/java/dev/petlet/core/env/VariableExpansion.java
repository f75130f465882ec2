package dev.petlet.core.env;

import java.util.Map;

/**
 * Kubernetes' {@code $(VAR)} expansion (k/k {@code third_party/forked/golang/expansion}): a
 * reference to a defined variable is replaced by its value, an undefined one is left as written,
 * {@code $$} is an escaped {@code $}, and a lone {@code $} stays.
 */
public final class VariableExpansion {
    private VariableExpansion() {}

    /** Expands {@code input}, looking variables up in {@code variables}. */
    public static String expand(String input, Map<String, String> variables) {
        StringBuilder out = new StringBuilder(input.length());
        int checkpoint = 0;
        for (int cursor = 0; cursor < input.length(); cursor++) {
            if (input.charAt(cursor) != '$' || cursor + 1 >= input.length()) {
                continue;
            }
            out.append(input, checkpoint, cursor);
            char next = input.charAt(cursor + 1);
            int advance = 1;
            if (next == '$') {
                out.append('$');
            } else if (next == '(') {
                int close = input.indexOf(')', cursor + 2);
                if (close < 0) {
                    out.append("$(");
                } else {
                    String name = input.substring(cursor + 2, close);
                    String value = variables.get(name);
                    out.append(value != null ? value : "$(" + name + ")");
                    advance = close - cursor;
                }
            } else {
                out.append('$').append(next);
            }
            cursor += advance;
            checkpoint = cursor + 1;
        }
        return out.append(input, checkpoint, input.length()).toString();
    }
}

package io.gradsweep.analysis;

import io.gradsweep.InvalidInputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The canned analyses shipped as {@code src/main/resources/sql/<name>.sql}. */
public final class Analyses {
    /** Listed explicitly: resources inside a jar cannot be enumerated portably. */
    public static final List<String> NAMES = List.of("layer-profile", "diagnosis", "leaderboard", "grid-effect",
            "workers", "timestep-ratio", "activation-profile", "preact-profile");

    private Analyses() {
    }

    public static Analysis get(String name) {
        if (!NAMES.contains(name)) {
            throw new InvalidInputException("Cannot run analysis: '--analysis' is '" + name + "'; expected one of "
                    + String.join(", ", NAMES));
        }
        String resource = "/sql/" + name + ".sql";
        try (InputStream in = Analyses.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return Analysis.parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static List<Analysis> all() {
        return NAMES.stream().map(Analyses::get).toList();
    }
}

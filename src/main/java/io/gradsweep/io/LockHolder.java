package io.gradsweep.io;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Who holds a sweep's lock, as the lock file records it: one {@code key=value} line each, so that a person can read
 * it with {@code cat} when deciding whether a driver is really gone. The token tells two holders apart even when a
 * host reuses a process id.
 */
public record LockHolder(String host, long pid, Instant started, String token) {
    public LockHolder {
        if (host == null || host.isBlank() || host.contains("\n")) {
            throw new IllegalArgumentException("lock holder host must be one non-blank line: " + host);
        }
        if (pid <= 0) {
            throw new IllegalArgumentException("lock holder pid must be positive: " + pid);
        }
        if (started == null || token == null || token.isBlank() || token.contains("\n")) {
            throw new IllegalArgumentException("lock holder needs a start time and a one-line token");
        }
    }

    public String text() {
        return "host=" + host + "\npid=" + pid + "\nstarted=" + started + "\ntoken=" + token + "\n";
    }

    /** Empty when the file is not a complete record, e.g. a holder died between creating and writing it. */
    public static Optional<LockHolder> parse(String text) {
        Map<String, String> fields = new HashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq), line.substring(eq + 1));
            }
        }
        try {
            return Optional.of(new LockHolder(fields.get("host"), Long.parseLong(fields.getOrDefault("pid", "")),
                    Instant.parse(fields.getOrDefault("started", "")), fields.get("token")));
        } catch (IllegalArgumentException | DateTimeParseException e) {
            return Optional.empty(); // NumberFormatException is an IllegalArgumentException
        }
    }

    /** For messages: {@code the driver on host H, process P, since T}. */
    public String describe() {
        return "the driver on host " + host + ", process " + pid + ", since " + started;
    }
}

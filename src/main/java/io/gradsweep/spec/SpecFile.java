package io.gradsweep.spec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.yaml.snakeyaml.LoaderOptions;

/**
 * Reads a spec file's text with bounds. The YAML parser refuses a document over its code point limit only after
 * the whole text is in memory, so {@code /dev/zero} ran the JVM out of heap and a FIFO without a writer blocked
 * for ever: here anything that is not a regular file, or is larger than that limit, is refused before it is read.
 */
final class SpecFile {
    /**
     * SnakeYAML's default code point limit, the one Jackson applies. A UTF-8 code point takes at least one byte, so
     * a file within this many bytes is within the limit.
     */
    static final int MAX_BYTES = new LoaderOptions().getCodePointLimit();

    private SpecFile() {
    }

    static String read(Path file) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new SpecException("", "Cannot read spec: file '" + file + "' does not exist");
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (!attributes.isRegularFile()) {
            throw refused(file, kind(file, attributes));
        }
        if (attributes.size() > MAX_BYTES) {
            throw refused(file, attributes.size() + " bytes");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1); // the size can be stale (a growing file) or 0 (files in /proc)
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        if (bytes.length > MAX_BYTES) {
            throw refused(file, "more than " + MAX_BYTES + " bytes");
        }
        return utf8(file, bytes);
    }

    /** Strict decoding: a replacement character would turn a Latin-1 spec's values into something else silently. */
    private static String utf8(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) { // the input stops where the bad sequence starts
            throw new SpecException("", "Cannot read spec: file '" + file + "' is not UTF-8 (byte 0x"
                    + String.format("%02x", bytes[in.position()] & 0xff) + " at offset " + in.position()
                    + "); expected UTF-8 text");
        }
        return out.flip().toString();
    }

    private static SpecException refused(Path file, String what) {
        return new SpecException("", "Cannot read spec: file '" + file + "' is " + what + "; expected a regular file "
                + "of at most " + MAX_BYTES + " bytes");
    }

    private static SpecException unreadable(Path file, IOException e) {
        return new SpecException("", "Cannot read spec: file '" + file + "': " + e.getMessage());
    }

    /** What a non-regular file is, from the file type bits of its mode where the platform has them. */
    private static String kind(Path file, BasicFileAttributes attributes) {
        if (attributes.isDirectory()) {
            return "a directory";
        }
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "not a regular file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "not a regular file";
        }
    }
}

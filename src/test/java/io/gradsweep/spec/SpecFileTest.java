package io.gradsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A spec path is refused before it is read when it could not be a spec: reading {@code /dev/zero} whole ran out of
 * heap and opening a FIFO without a writer blocked, so those tests time out in a thread of their own.
 */
class SpecFileTest {
    @TempDir
    Path dir;

    static void refused(Path file, String message) {
        assertThatThrownBy(() -> SpecParser.parse(file)).isInstanceOf(SpecException.class).hasMessage(message);
    }

    @Test
    void theLimitIsTheYamlParsersCodePointLimit() {
        assertThat(SpecFile.MAX_BYTES).isEqualTo(3 * 1024 * 1024);
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void refusesDevicesWithoutReadingThem() {
        Path zero = Path.of("/dev/zero");
        assumeThat(zero).exists();
        refused(zero, "Cannot read spec: file '/dev/zero' is a character device; expected a regular file of at most "
                + "3145728 bytes");
    }

    @Test
    @Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void refusesAFifoWithoutOpeningIt() throws Exception {
        Path fifo = dir.resolve("spec.fifo");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            mkfifo = null;
        }
        assumeThat(mkfifo != null && mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0).isTrue();
        refused(fifo, "Cannot read spec: file '" + fifo + "' is a FIFO; expected a regular file of at most 3145728 "
                + "bytes");
    }

    @Test
    void refusesADirectory() {
        refused(dir, "Cannot read spec: file '" + dir + "' is a directory; expected a regular file of at most 3145728 "
                + "bytes");
    }

    @Test
    void refusesAFileOverTheLimitButReadsOneAtIt() throws IOException {
        String head = "name: t\n#";
        String tail = "\n" + SpecParserTest.BASE.substring("name: t\n".length());
        Path atLimit = Files.writeString(dir.resolve("at.yaml"),
                head + "x".repeat(SpecFile.MAX_BYTES - head.length() - tail.length()) + tail);
        assertThat(Files.size(atLimit)).isEqualTo(SpecFile.MAX_BYTES);
        assertThat(SpecParser.parse(atLimit).name()).isEqualTo("t");

        Path over = Files.writeString(dir.resolve("over.yaml"), Files.readString(atLimit) + " ");
        refused(over, "Cannot read spec: file '" + over + "' is 3145729 bytes; expected a regular file of at most "
                + "3145728 bytes");
    }

    @Test
    void namesTheOffsetOfTheFirstByteThatIsNotUtf8() throws IOException {
        byte[] latin1 = "name: t\ndataset: {name: caf\u00e9}\n".getBytes(StandardCharsets.ISO_8859_1);
        Path file = Files.write(dir.resolve("latin1.yaml"), latin1);
        refused(file, "Cannot read spec: file '" + file + "' is not UTF-8 (byte 0xe9 at offset 27); expected UTF-8 "
                + "text");
        Path cut = Files.write(dir.resolve("cut.yaml"), new byte[] {'n', ':', ' ', (byte) 0xe2, (byte) 0x82});
        refused(cut, "Cannot read spec: file '" + cut + "' is not UTF-8 (byte 0xe2 at offset 3); expected UTF-8 text");
    }
}

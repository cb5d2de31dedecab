package io.gradsweep.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Which libnd4j build a JVM loads: nd4j-native ships a generic x86-64 build and ones compiled for AVX2 and
 * AVX-512, and JavaCPP loads the one named by {@link #PROPERTY} when its jar is on the classpath. The choice is
 * made once per JVM, before ND4J first loads (by the CLI and by every task), from the CPU's flags: the widest build
 * that the CPU runs and the classpath holds, else the generic one. {@code GRADSWEEP_NATIVES} (auto, generic, avx2,
 * avx512) overrides it, and a {@link #PROPERTY} set by hand is left alone.
 *
 * <p>Builds may round differently in the last bits (their compilers vectorise element-wise loops differently), so
 * a sweep's numbers are reproducible per build; within one build the engines agree bit for bit.
 */
public final class Natives {
    /** JavaCPP's suffix for the platform's native directory, e.g. {@code -avx512}. */
    public static final String PROPERTY = "org.bytedeco.javacpp.platform.extension";
    public static final String ENV = "GRADSWEEP_NATIVES";
    private static final String LIBRARY = "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64%s/libnd4jcpu.so";

    /** The builds, widest first, with the CPU flags each was compiled to need. */
    public enum Build {
        AVX512("avx512", "-avx512", Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl", "avx2", "fma")),
        AVX2("avx2", "-avx2", Set.of("avx2", "fma", "bmi1", "bmi2", "f16c")),
        GENERIC("generic", "", Set.of());

        private final String spelling;
        private final String extension;
        private final Set<String> flags;

        Build(String spelling, String extension, Set<String> flags) {
            this.spelling = spelling;
            this.extension = extension;
            this.flags = flags;
        }

        public String spelling() {
            return spelling;
        }
    }

    private static Build chosen;

    private Natives() {
    }

    /**
     * Chooses for this JVM (once) and returns the build; call before anything touches ND4J. A request this machine
     * cannot honour is an {@link IllegalArgumentException} (the CLI's exit 2).
     */
    public static synchronized Build choose() {
        if (chosen == null) {
            String set = System.getProperty(PROPERTY);
            if (set != null) {
                chosen = Arrays.stream(Build.values()).filter(b -> b.extension.equals(set)).findFirst()
                        .orElse(Build.GENERIC);
            } else {
                chosen = choose(System.getenv(ENV), cpuFlags(), Natives::bundled);
                if (chosen != Build.GENERIC) {
                    System.setProperty(PROPERTY, chosen.extension);
                }
            }
        }
        return chosen;
    }

    /**
     * The same on an executor, where the driver has validated the request against its own machine: an executor
     * that cannot honour it (another CPU) loads the widest build it can rather than failing its trials.
     */
    public static synchronized Build chooseOnExecutor() {
        try {
            return choose();
        } catch (IllegalArgumentException e) {
            chosen = choose("auto", cpuFlags(), Natives::bundled);
            if (chosen != Build.GENERIC) {
                System.setProperty(PROPERTY, chosen.extension);
            }
            return chosen;
        }
    }

    /**
     * The build for a request ({@code auto} or null: the widest available), a CPU's flags and what the classpath
     * holds. An explicit build that the CPU or the classpath lacks is invalid input, not a crash at first use.
     */
    static Build choose(String request, Set<String> cpu, Predicate<Build> bundled) {
        String r = request == null || request.isBlank() ? "auto" : request.trim().toLowerCase(Locale.ROOT);
        if (r.equals("auto")) {
            return Arrays.stream(Build.values()).filter(b -> cpu.containsAll(b.flags) && bundled.test(b)).findFirst()
                    .orElse(Build.GENERIC);
        }
        Build b = Arrays.stream(Build.values()).filter(x -> x.spelling.equals(r)).findFirst().orElseThrow(() ->
                new IllegalArgumentException("Cannot choose the ND4J native build: '" + ENV + "' is '" + request
                        + "'; expected one of auto, " + Arrays.stream(Build.values()).map(Build::spelling)
                        .collect(Collectors.joining(", "))));
        if (!cpu.containsAll(b.flags) || !bundled.test(b)) {
            throw new IllegalArgumentException("Cannot choose the ND4J native build: '" + ENV + "' is '" + request
                    + "', but " + (bundled.test(b) ? "this CPU lacks " + missing(b, cpu)
                    : "its nd4j-native jar is not on the classpath") + "; expected one of auto, generic");
        }
        return b;
    }

    private static String missing(Build b, Set<String> cpu) {
        return b.flags.stream().filter(f -> !cpu.contains(f)).sorted().collect(Collectors.joining(", "));
    }

    static boolean bundled(Build b) {
        return Natives.class.getClassLoader().getResource(String.format(LIBRARY, b.extension)) != null;
    }

    /** The flags of the first processor in /proc/cpuinfo; none off Linux, which then loads the generic build. */
    static Set<String> cpuFlags() {
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            return lines.stream().filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> Set.of(l.substring(l.indexOf(':') + 1).trim().split("\\s+"))).orElse(Set.of());
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }
}

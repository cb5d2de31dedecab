package io.gradsweep.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gradsweep.exec.Natives.Build;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NativesTest {
    private static final Set<String> ZEN4 = Set.of("sse4_2", "avx", "avx2", "fma", "bmi1", "bmi2", "f16c",
            "avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl");
    private static final Set<String> HASWELL = Set.of("sse4_2", "avx", "avx2", "fma", "bmi1", "bmi2", "f16c");
    private static final Set<String> ALL = EnumSet.allOf(Build.class).stream().map(Build::spelling)
            .collect(java.util.stream.Collectors.toSet());

    @Test
    void autoPicksTheWidestBuildTheCpuRunsAndTheClasspathHolds() {
        assertThat(Natives.choose("auto", ZEN4, b -> true)).isEqualTo(Build.AVX512);
        assertThat(Natives.choose(null, ZEN4, b -> b != Build.AVX512)).isEqualTo(Build.AVX2);
        assertThat(Natives.choose("", HASWELL, b -> true)).isEqualTo(Build.AVX2);
        assertThat(Natives.choose("AUTO", Set.of("sse4_2", "avx"), b -> true)).isEqualTo(Build.GENERIC);
        assertThat(Natives.choose("auto", ZEN4, b -> b == Build.GENERIC)).isEqualTo(Build.GENERIC);
        assertThat(ALL).containsExactlyInAnyOrder("avx512", "avx2", "generic");
    }

    @Test
    void anExplicitBuildIsHonouredOrRefusedWithTheReason() {
        assertThat(Natives.choose("generic", ZEN4, b -> true)).isEqualTo(Build.GENERIC);
        assertThat(Natives.choose("avx2", ZEN4, b -> true)).isEqualTo(Build.AVX2);
        assertThatThrownBy(() -> Natives.choose("avx512", HASWELL, b -> true)).hasMessage(
                "Cannot choose the ND4J native build: 'GRADSWEEP_NATIVES' is 'avx512', but this CPU lacks "
                        + "avx512bw, avx512cd, avx512dq, avx512f, avx512vl; expected one of auto, generic");
        assertThatThrownBy(() -> Natives.choose("avx2", HASWELL, b -> b == Build.GENERIC)).hasMessage(
                "Cannot choose the ND4J native build: 'GRADSWEEP_NATIVES' is 'avx2', but its nd4j-native jar is "
                        + "not on the classpath; expected one of auto, generic");
        assertThatThrownBy(() -> Natives.choose("sse", HASWELL, b -> true)).hasMessage(
                "Cannot choose the ND4J native build: 'GRADSWEEP_NATIVES' is 'sse'; expected one of auto, avx512, "
                        + "avx2, generic");
    }

    @Test
    void theGenericBuildIsAlwaysBundledAndThisMachinesFlagsAreRead() {
        assertThat(Natives.bundled(Build.GENERIC)).isTrue();
        assertThat(Natives.cpuFlags()).as("/proc/cpuinfo on Linux x86-64").contains("sse2");
    }
}

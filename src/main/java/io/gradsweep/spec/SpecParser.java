package io.gradsweep.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a YAML sweep spec into a validated {@link SweepSpec}; every failure is a keyed {@link SpecException}. */
public final class SpecParser {
    private static final Set<String> TOP = keys("name", "dataset", "train", "grid", "sample", "stats");
    private static final Set<String> DATASET = keys("name", "samples", "noise", "factor", "classes", "seed",
            "test_fraction", "scale", "path", "split", "limit", "format", "label", "features",
            "length");
    /** Keys only some datasets take; the others refuse them, so a misplaced key is never silently ignored. */
    private static final Map<String, List<String>> ONLY_FOR = Map.of("path", List.of("mnist", "table"),
            "split", List.of("mnist"), "limit", List.of("mnist", "table"), "format", List.of("table"),
            "label", List.of("table"), "features", List.of("table"), "length", List.of(DatasetSpec.ADDING));
    private static final Set<String> TRAIN = keys("epochs", "batch_size", "engine", "group_size", "mode",
            "data_parallel");
    private static final Set<String> DATA_PARALLEL = keys("workers", "batch_size_per_worker", "averaging_frequency");
    private static final Set<String> GRID = keys("model", "activation", "depth", "width", "widths", "batch_norm",
            "residual", "initializer", "optimizer", "learning_rate", "clipping", "dropout", "seed", "sequence_length");
    private static final Set<String> STATS = keys("every", "vanishing_ratio", "exploding_l2", "stalled_margin");
    private static final YAMLMapper YAML = YAMLMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

    private SpecParser() {
    }

    /** The spec in a file: a regular file of UTF-8 text within the YAML parser's limit (see {@link SpecFile}). */
    public static SweepSpec parse(Path file) {
        return parse(SpecFile.read(file));
    }

    public static SweepSpec parse(String yaml) {
        JsonNode root;
        try {
            root = YAML.readTree(yaml);
        } catch (JsonProcessingException e) {
            throw YamlErrors.of(e);
        }
        SpecNode top = new SpecNode(root, "").object(TOP);
        String name = top.get("name").string();
        if (!SweepSpec.NAME.matcher(name).matches()) {
            throw SpecException.expected("name", name,
                    "a name matching [a-z0-9][a-z0-9_-]* (it names the output partition)");
        }
        if (name.length() > SweepSpec.MAX_NAME_LENGTH) {
            throw new SpecException("name", "Cannot parse spec: 'name' is '" + name.substring(0, 24) + "...' ("
                    + name.length() + " characters); expected at most " + SweepSpec.MAX_NAME_LENGTH + " characters"
                    + " (it is part of path components such as sweep=<name>.lock, which local disks and HDFS cap at 255 bytes)");
        }
        DatasetSpec dataset = dataset(top.get("dataset").object(DATASET));
        TrainSpec train = train(top.get("train"));
        SpecNode gridNode = top.get("grid").object(GRID);
        SampleSpec sample = SampleParser.parse(top.get("sample"), gridNode);
        GridSpec grid = SampleParser.sampledAxesNamed(sample, () -> {
            GridSpec g = GridParser.grid(gridNode, dataset, SampleParser.envelope(sample));
            if (train.engine() == Engine.Choice.VECTOR) {
                Engine.requireVectorCapable(g);
            }
            if (train.isDataParallel()) {
                Engine.requireDataParallelCapable(g);
            }
            return g;
        });
        StatsSpec stats = stats(top.get("stats"));
        return new SweepSpec(name, dataset, train, grid, sample, stats);
    }

    private static DatasetSpec dataset(SpecNode d) {
        SpecNode nameNode = d.get("name");
        String name = nameNode.string();
        if (!DatasetSpec.NAMES.contains(name)) {
            throw SpecException.choice(nameNode.path(), name, DatasetSpec.NAMES);
        }
        rejectKeysOfOtherDatasets(d, name);
        IdxSource idx = name.equals("mnist") ? idxSource(d) : null;
        TableSource table = name.equals("table") ? tableSource(d) : null;
        int samples = idx != null ? mnistSamples(d, idx)
                : table != null ? table.rows() : (int) d.get("samples").integer(2, 10_000_000, 1000);
        int length = name.equals(DatasetSpec.ADDING) ? sequenceLength(d.get("length"), samples, 50) : 0;
        double noise = d.get("noise").number(0, 1e6, false, "a number in [0, 1e6]", 0.0);
        double factor = d.get("factor").number(0, 1, true, "a number in (0, 1)", 0.8);
        if (factor >= 1) {
            throw SpecException.expected("dataset.factor", factor, "a number in (0, 1)");
        }
        int classes = (int) d.get("classes").integer(2, 100, 2);
        long seed = d.get("seed").integer(0, Long.MAX_VALUE, 0);
        double test = d.get("test_fraction").number(0, 0.9, false, "a number in [0, 0.9]", 0.0);
        SpecNode scaleNode = d.get("scale");
        Scaling scale = Scaling.parse(scaleNode.path(), scaleNode.string("none"));
        if (length > 0 && !scale.equals(Scaling.NONE)) {
            throw SpecException.expected(scaleNode.path(), scaleNode.string(), "none for adding (its values are"
                    + " already in [0, 1] and its markers 0 or 1)");
        }
        int testSize = (int) Math.round(samples * test);
        if (test > 0 && (testSize < 1 || samples - testSize < 1)) {
            throw SpecException.expected("dataset.test_fraction", Term.number(test),
                    "a fraction leaving at least one sample in each part");
        }
        return new DatasetSpec(name, samples, noise, factor, classes, seed, test, scale, idx, table, length);
    }

    private static void rejectKeysOfOtherDatasets(SpecNode d, String name) {
        for (String key : DATASET) { // in key order, so the first misplaced key is reported
            SpecNode n = d.get(key);
            List<String> takers = ONLY_FOR.get(key);
            if (takers != null && n.present() && !takers.contains(name)) {
                throw SpecException.expected(n.path(), n.toString(), "no '" + key + "' for " + name
                        + "; it applies to " + String.join(" and ", takers) + " only");
            }
        }
        if (name.equals(DatasetSpec.ADDING) || name.equals("mnist")) {
            requireAbsent(d, "noise", name, "the 2-D toy datasets only");
            requireAbsent(d, "factor", name, "circles only");
            requireAbsent(d, "classes", name, "spirals and blobs only");
        }
        if (name.equals("table")) {
            for (String key : List.of("samples", "noise", "factor", "classes")) {
                SpecNode n = d.get(key);
                if (n.present()) {
                    throw SpecException.expected(n.path(), n.toString(), "no '" + key + "' for table; "
                            + (key.equals("samples") ? "use 'limit'" : "it applies to the synthetic datasets only"));
                }
            }
        }
    }

    /**
     * Table datasets are read through Hadoop's FileSystem, which {@code java -jar gradsweep.jar} alone lacks (Spark
     * and Hadoop are provided): say how to run instead of failing with a NoClassDefFoundError.
     */
    private static TableSource tableSource(SpecNode d) {
        try {
            Class.forName("org.apache.hadoop.fs.FileSystem", false, SpecParser.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw SpecException.expected("dataset.name", "table", "Hadoop and Parquet on the classpath to read it: "
                    + "./submit.sh plan, spark-submit, or java -cp with target/spark-classpath.txt");
        }
        return TableSpecs.parse(d);

    }

    private static void requireAbsent(SpecNode d, String key, String dataset, String appliesTo) {
        SpecNode n = d.get(key);
        if (n.present()) {
            throw SpecException.expected(n.path(), n.toString(), "no '" + key + "' for " + dataset + "; it applies to "
                    + appliesTo);
        }
    }

    /** Steps per sequence, also for the {@code grid.sequence_length} axis; every sequence is held in memory. */
    static int sequenceLength(SpecNode n, int samples, int fallback) {
        int length = (int) n.integer(2, 100_000, fallback);
        if ((long) samples * length > DatasetSpec.MAX_STEPS) {
            throw SpecException.expected(n.path(), length, "at most " + DatasetSpec.MAX_STEPS / samples + " for "
                    + samples + " samples (samples x length is capped at " + DatasetSpec.MAX_STEPS + " steps)");
        }
        return length;
    }

    private static IdxSource idxSource(SpecNode d) {
        SpecNode splitNode = d.get("split");
        String split = splitNode.string("t10k");
        if (!IdxSource.SPLITS.contains(split)) {
            throw SpecException.choice(splitNode.path(), split, IdxSource.SPLITS);
        }
        IdxSource idx = new IdxSource(d.get("path").string(), split);
        if (idx.isLocal() && (idx.localFile(idx.imagesName()) == null || idx.localFile(idx.labelsName()) == null)) {
            throw SpecException.expected("dataset.path", idx.path(), "a directory containing " + idx.imagesName()
                    + "[.gz] and " + idx.labelsName() + "[.gz]");
        }
        return idx;
    }

    /** {@code limit} examples from the start of the split; all of them when no limit is given. */
    private static int mnistSamples(SpecNode d, IdxSource idx) {
        if (d.get("samples").present()) {
            throw SpecException.expected("dataset.samples", d.get("samples").string(),
                    "no 'samples' for mnist; use 'limit'");
        }
        int available = idx.split().equals("train") ? 60_000 : 10_000;
        if (idx.isLocal()) {
            try {
                available = IdxSource.itemCount(idx.localFile(idx.labelsName()));
            } catch (IOException e) {
                throw SpecException.expected("dataset.path", idx.path(), "readable IDX files (" + e.getMessage() + ")");
            }
        }
        return (int) d.get("limit").integer(2, available, available);
    }

    private static TrainSpec train(SpecNode t) {
        if (!t.present()) {
            throw SpecException.expected("train", null, "a mapping with keys " + String.join(", ", TRAIN));
        }
        t.object(TRAIN);
        SpecNode engine = t.get("engine");
        Engine.Choice choice = Engine.Choice.fromName(engine.path(), engine.string(Engine.Choice.AUTO.spelling()));
        int batchSize = (int) t.get("batch_size").integer(1, 1_000_000);
        return new TrainSpec((int) t.get("epochs").integer(1, 1_000_000), batchSize, choice,
                (int) t.get("group_size").integer(1, 4096, Engine.DEFAULT_GROUP_SIZE),
                dataParallel(t, engine, choice, batchSize));
    }

    /** Null in local mode; the data_parallel block is refused there, so a mode typo cannot be silently ignored. */
    private static DataParallel dataParallel(SpecNode t, SpecNode engine, Engine.Choice choice, int batchSize) {
        SpecNode mode = t.get("mode");
        SpecNode dp = t.get("data_parallel");
        if (mode.present() && !TrainSpec.MODES.contains(mode.string())) {
            throw SpecException.choice(mode.path(), mode.string(), TrainSpec.MODES);
        }
        if (!mode.string(TrainSpec.LOCAL).equals(TrainSpec.DATA_PARALLEL)) {
            if (dp.present()) {
                throw new SpecException(dp.path(), "Cannot parse spec: 'train.data_parallel' is set but 'train.mode' "
                        + "is '" + mode.string(TrainSpec.LOCAL) + "'; expected train.mode data-parallel, or no "
                        + "data_parallel block");
            }
            return null;
        }
        if (choice == Engine.Choice.VECTOR) {
            throw SpecException.expected(engine.path(), engine.string(), "auto or dl4j with train.mode data-parallel "
                    + "(it trains with DL4J's Spark integration)");
        }
        if (!dp.present()) {
            throw SpecException.expected(dp.path(), null, "a mapping with keys " + String.join(", ", DATA_PARALLEL)
                    + " (train.mode is data-parallel; workers is required)");
        }
        dp.object(DATA_PARALLEL);
        return new DataParallel((int) dp.get("workers").integer(1, 4096),
                (int) dp.get("batch_size_per_worker").integer(1, 1_000_000, batchSize),
                (int) dp.get("averaging_frequency").integer(1, 1_000_000, DataParallel.DEFAULT_AVERAGING_FREQUENCY));
    }

    private static StatsSpec stats(SpecNode s) {
        if (!s.present()) {
            return new StatsSpec(1, StatsSpec.DEFAULT_VANISHING_RATIO, StatsSpec.DEFAULT_EXPLODING_L2);
        }
        s.object(STATS);
        return new StatsSpec((int) s.get("every").integer(1, 1_000_000, 1),
                s.get("vanishing_ratio").number(0, 1e9, true, "a number in (0, 1e9]",
                        StatsSpec.DEFAULT_VANISHING_RATIO),
                s.get("exploding_l2").number(0, 1e300, true, "a number in (0, 1e300]", StatsSpec.DEFAULT_EXPLODING_L2),
                s.get("stalled_margin").number(0, 0.5, false, "a number in [0, 0.5]",
                        StatsSpec.DEFAULT_STALLED_MARGIN));
    }

    static Set<String> keys(String... names) {
        return new LinkedHashSet<>(List.of(names));
    }
}

package dev.nabla.apps;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options every training command shares for one run's output and its checkpoints: {@code --no-overwrite},
 * {@code --resume DIR}, {@code --resume-with-changes}, {@code --checkpoints}, and early stopping's
 * {@code --patience} and {@code --min-delta}.
 */
final class RunOptions {
    /** Where a run keeps its checkpoints, inside its output folder. */
    static final String CHECKPOINTS = "checkpoints";

    @Option(names = "--no-overwrite", description = "Refuse an --out folder that holds an earlier run's results"
            + " (by default they are replaced, the new run's swapped in whole when it ends).")
    boolean noOverwrite;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue a stopped run from its last complete"
            + " checkpoint: the checkpoints folder, or the run folder holding it (a killed run's is"
            + " .<out>.partial-<id>/ beside --out).")
    Path resume;

    @Option(names = "--resume-with-changes", description = "Allow --resume with other options than the checkpoint"
            + " was started with (otherwise refused, naming what differs).")
    boolean resumeWithChanges;

    @Option(names = "--checkpoints", description = "Keep every epoch's checkpoint in <out>/checkpoints (without,"
            + " only the last is kept while the run lasts, and none once it has finished).")
    boolean keepAll;

    @Option(names = "--patience", paramLabel = "N", description = "Stop after N epochs without the validation"
            + " metric improving by more than --min-delta; the best epoch's weights are kept (default: 0, never).")
    Integer patience;

    @Option(names = "--min-delta", paramLabel = "D", description = "The improvement --patience waits for"
            + " (default: 0).")
    Double minDelta;

    /** Checks the values before any data is read, each failure naming its option. */
    void validate(OptionCheck check, CommandSpec spec) {
        check.atLeast("--patience", patience, 0);
        check.notNegative("--min-delta", minDelta);
        if (minDelta != null && patience == null) {
            throw new ParameterException(spec.commandLine(), "--min-delta needs --patience");
        }
        if (resume != null && !Files.isDirectory(checkpoints(resume))) {
            throw new ParameterException(spec.commandLine(), "--resume " + resume + ": no checkpoints folder there"
                    + " (expected the checkpoints folder of a run, or a run folder holding one)");
        }
        if (resumeWithChanges && resume == null) {
            throw new ParameterException(spec.commandLine(), "--resume-with-changes needs --resume");
        }
    }

    /** Locks {@code out} for this run (see {@link RunFolder}); a refusal is a parameter error naming {@code --out}. */
    RunFolder open(Path out, CommandSpec spec, Logger log) throws IOException {
        try {
            return RunFolder.open(out, !noOverwrite, log);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** The checkpoints folder of {@code dir}: {@code dir/checkpoints} when that exists, else {@code dir} itself. */
    static Path checkpoints(Path dir) {
        Path inside = dir.resolve(CHECKPOINTS);
        return Files.isDirectory(inside) ? inside : dir;
    }

    /** Epochs of patience (0: none). */
    int patience() {
        return patience == null ? 0 : patience;
    }

    /** The minimum improvement. */
    double minDelta() {
        return minDelta == null ? 0 : minDelta;
    }

    /** Checkpoints to keep while running: every one with {@code --checkpoints}, else the last. */
    int keep() {
        return keepAll ? 0 : 1;
    }

    /** Deletes the run's checkpoints once it has finished, unless {@code --checkpoints} asked to keep them. */
    void finish(Path runDir) throws IOException {
        Path c = runDir.resolve(CHECKPOINTS);
        if (!keepAll && Files.exists(c)) {
            dev.nabla.io.ParamStore.deleteTree(c);
        }
    }
}

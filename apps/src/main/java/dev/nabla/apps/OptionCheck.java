package dev.nabla.apps;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Checks of option values that the commands make before they load any data or train, so that a bad value fails
 * in a second rather than after MNIST has loaded or an epoch has run. Each failure is a picocli
 * {@link ParameterException} whose message starts with the option's name and ends with the value given.
 */
final class OptionCheck {
    private final CommandSpec spec;

    OptionCheck(CommandSpec spec) {
        this.spec = spec;
    }

    private ParameterException bad(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** {@code value} (null: the option was not given, nothing to check) must be at least {@code min}. */
    void atLeast(String option, Integer value, int min) {
        if (value != null && value < min) {
            throw bad(option + " must be at least " + min + ", got " + value);
        }
    }

    /** A learning rate or a scale: finite and above 0 (null: not given). */
    void positive(String option, Double value) {
        if (value != null && !(value > 0 && Double.isFinite(value))) {
            throw bad(option + " must be a number above 0, got " + value);
        }
    }

    /** A finite number of at least 0 (null: not given). */
    void notNegative(String option, Double value) {
        if (value != null && !(value >= 0 && Double.isFinite(value))) {
            throw bad(option + " must be a number of at least 0, got " + value);
        }
    }

    /** A factor applied to the learning rate after every epoch: in (0, 1], so that the rate stays positive. */
    void decay(String option, Double value) {
        if (value != null && !(value > 0 && value <= 1)) {
            throw bad(option + " must be above 0 and at most 1 (the learning rate is multiplied by it after every"
                    + " epoch), got " + value);
        }
    }

    /** {@code value} must be in [0, 1) (null: not given). */
    void fraction(String option, Double value) {
        if (value != null && !(value >= 0 && value < 1)) {
            throw bad(option + " must be at least 0 and below 1, got " + value);
        }
    }

    /** {@code value} must be one of {@code choices}, ignoring case; returns it in lower case. */
    String oneOf(String option, String value, List<String> choices) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!choices.contains(v)) {
            throw bad(option + " must be " + choiceList(choices) + ", got '" + value + "'");
        }
        return v;
    }

    private static String choiceList(List<String> choices) {
        return choices.size() == 2 ? choices.get(0) + " or " + choices.get(1)
                : "one of " + String.join(", ", choices);
    }

    /**
     * An output folder that a run will create and swap in at its end ({@link RunFolder}): not a file, and the folder
     * it will sit in can be created and written. The folder itself is not created here.
     */
    void outputFolder(String option, Path dir) {
        notAFile(option, dir);
        Path parent = dir.toAbsolutePath().normalize().getParent();
        try {
            Files.createDirectories(parent);
        } catch (IOException e) {
            throw bad(option + " " + dir + ": the folder cannot be created (" + reason(e, parent) + ")");
        }
        try {
            Files.delete(Files.createTempFile(parent, ".nabla-write-check", ".tmp"));
        } catch (IOException e) {
            throw bad(option + " " + dir + ": the folder cannot be written to (" + reason(e, parent) + ")");
        }
    }

    /** {@code value} (null: not given) must be usable as the NAME part of {@code pattern}, a file name. */
    void namePart(String option, String value, String pattern) {
        if (value != null && !value.matches("[A-Za-z0-9_.-]+")) {
            throw bad(option + " must be the NAME of " + pattern + " (letters, digits, '_', '.', '-'), got '"
                    + value + "'");
        }
    }

    /**
     * {@code dir} (null: not given) must be a folder or not exist yet. A cache that already holds what is needed
     * may be read-only, so only a file in the way is refused here.
     */
    void notAFile(String option, Path dir) {
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
            throw bad(option + " " + dir + ": is an existing file, not a folder");
        }
    }

    /** What the file system said, with the path it names unless that is {@code dir} itself. */
    private static String reason(IOException e, Path dir) {
        if (e instanceof FileSystemException fs) {
            String why = e instanceof AccessDeniedException ? "permission denied"
                    : e instanceof FileAlreadyExistsException ? "a file is in the way"
                    : e instanceof NoSuchFileException ? "no such file or directory"
                    : fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName();
            return fs.getFile() == null || Path.of(fs.getFile()).equals(dir) ? why : why + ": " + fs.getFile();
        }
        return String.valueOf(e.getMessage());
    }
}

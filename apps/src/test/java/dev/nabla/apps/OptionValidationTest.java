package dev.nabla.apps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every bad option value is refused before any data is read, with the option's name in the message. Each command
 * runs on an empty data folder, so a check that came after loading would fail with a missing-data error instead.
 */
class OptionValidationTest {
    @TempDir
    Path tmp;

    /**
     * The first line the command prints on stderr, having checked that it exits with status 2 and points to its
     * help; the data-loading commands get an empty data folder and (unless given) a fresh output folder.
     */
    private String firstErrorLine(String command, String... options) {
        List<String> args = new ArrayList<>(List.of(command, "--backend", "cpu"));
        if (!command.equals("bench")) {
            args.addAll(List.of("--data-dir", tmp.resolve("empty").toString()));
        }
        if (command.equals("digits")) {
            args.add("--no-download");
        }
        if (!List.of(options).contains("--out") && List.of("digits", "captioning", "transfer").contains(command)) {
            args.addAll(List.of("--out", tmp.resolve("out").toString()));
        }
        args.addAll(List.of(options));
        if (command.equals("classify")) {
            args.add(tmp.resolve("photo.jpg").toString());
        }
        CommandLine cl = Nabla.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        cl.setOut(new PrintWriter(new StringWriter()));
        int status = cl.execute(args.toArray(String[]::new));
        String[] lines = err.toString().split("\n");
        assertEquals(2, status, err.toString());
        assertEquals("Try 'nabla " + command + " --help' for the options.", lines[1], err.toString());
        return lines[0];
    }

    @Test
    void countsBelowTheirMinimumAreNamed() {
        assertEquals("nabla digits: --epochs must be at least 1, got 0", firstErrorLine("digits", "--epochs", "0"));
        assertEquals("nabla digits: --train-limit must be at least 1, got 0",
                firstErrorLine("digits", "--model", "mlp", "--train-limit", "0"));
        assertEquals("nabla captioning: --batch-size must be at least 1, got 0",
                firstErrorLine("captioning", "--batch-size", "0"));
        assertEquals("nabla captioning: --epochs must be at least 1, got 0",
                firstErrorLine("captioning", "--overfit", "--epochs", "0"));
        assertEquals("nabla captioning: --hidden must be at least 1, got 0",
                firstErrorLine("captioning", "--hidden", "0"));
        assertEquals("nabla captioning: --wordvec must be at least 1, got -3",
                firstErrorLine("captioning", "--wordvec", "-3"));
        assertEquals("nabla captioning: --min-count must be at least 1, got 0",
                firstErrorLine("captioning", "--min-count", "0"));
        assertEquals("nabla captioning: --max-words must be at least 1, got 0",
                firstErrorLine("captioning", "--max-words", "0"));
        assertEquals("nabla captioning: --samples must be at least 0, got -1",
                firstErrorLine("captioning", "--samples", "-1"));
        assertEquals("nabla captioning: --test-limit must be at least 1, got 0",
                firstErrorLine("captioning", "--test-limit", "0"));
        assertEquals("nabla transfer: --batch-size must be at least 1, got 0",
                firstErrorLine("transfer", "--batch-size", "0"));
        assertEquals("nabla transfer: --epochs must be at least 1, got 0", firstErrorLine("transfer", "--epochs", "0"));
        assertEquals("nabla transfer: --workers must be at least 1, got 0", firstErrorLine("transfer", "--workers", "0"));
        assertEquals("nabla classify: --top must be at least 1, got -1", firstErrorLine("classify", "--top", "-1"));
        assertEquals("nabla bench: --iterations must be at least 1, got 0",
                firstErrorLine("bench", "W1", "--iterations", "0"));
        assertEquals("nabla bench: --warmup must be at least 0, got -1", firstErrorLine("bench", "W1", "--warmup", "-1"));
    }

    @Test
    void ratesAndFactorsOutOfTheirRangeAreNamed() {
        assertEquals("nabla digits: --lr-decay must be above 0 and at most 1 (the learning rate is multiplied by it"
                + " after every epoch), got -2.0", firstErrorLine("digits", "--lr-decay", "-2"));
        assertEquals("nabla captioning: --lr-decay must be above 0 and at most 1 (the learning rate is multiplied by"
                + " it after every epoch), got 1.5", firstErrorLine("captioning", "--overfit", "--lr-decay", "1.5"));
        assertEquals("nabla digits: --learning-rate must be a number above 0, got 0.0",
                firstErrorLine("digits", "--learning-rate", "0"));
        assertEquals("nabla captioning: --learning-rate must be a number above 0, got NaN",
                firstErrorLine("captioning", "--learning-rate", "NaN"));
        assertEquals("nabla transfer: --learning-rate must be a number above 0, got -0.1",
                firstErrorLine("transfer", "--learning-rate", "-0.1"));
        assertEquals("nabla transfer: --features-lr-scale must be a number of at least 0, got -1.0",
                firstErrorLine("transfer", "--features-lr-scale", "-1"));
        assertEquals("nabla digits: --ema must be at least 0 and below 1, got 1.0", firstErrorLine("digits", "--ema", "1"));
    }

    @Test
    void namesOutsideTheirChoicesAreNamed() {
        assertEquals("nabla digits: --model must be mlp or cnn, got 'rnn'", firstErrorLine("digits", "--model", "rnn"));
        assertEquals("nabla captioning: --cell must be rnn or lstm, got 'gru'",
                firstErrorLine("captioning", "--cell", "gru"));
        assertEquals("nabla captioning: --dataset must be flickr8k or coco, got 'imagenet'",
                firstErrorLine("captioning", "--dataset", "imagenet"));
        assertEquals("nabla captioning: --coco-features must be the NAME of <split>2014_NAME.h5 (letters, digits,"
                + " '_', '.', '-'), got '../x'", firstErrorLine("captioning", "--coco-features", "../x"));
        assertEquals("nabla transfer: --mode must be one of finetune, freeze, both, got 'all'",
                firstErrorLine("transfer", "--mode", "all"));
    }

    @Test
    void anOutputFolderThatIsAFileOrCannotBeCreatedIsNamed() throws IOException {
        Path file = Files.writeString(tmp.resolve("results.txt"), "a file, not a folder");
        for (String command : List.of("digits", "captioning", "transfer")) {
            assertEquals("nabla " + command + ": --out " + file + ": is an existing file, not a folder",
                    firstErrorLine(command, "--out", file.toString()));
            assertEquals("nabla " + command + ": --out " + file.resolve("run") + ": the folder cannot be created (Not"
                    + " a directory)", firstErrorLine(command, "--out", file.resolve("run").toString()));
        }
        assertEquals("nabla captioning: --cache-dir " + file + ": is an existing file, not a folder",
                firstErrorLine("captioning", "--cache-dir", file.toString()));
    }

    @Test
    void valuesPicocliCannotConvertUseTheSameOneLineForm() {
        assertEquals("nabla digits: Invalid value for option '--epochs': 'ten' is not an int",
                firstErrorLine("digits", "--epochs", "ten"));
        assertEquals("nabla classify: Invalid value for option '--top': '2.5' is not an int",
                firstErrorLine("classify", "--top", "2.5"));
    }
}

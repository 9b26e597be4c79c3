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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
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

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            digits     | --epochs 0                   | --epochs must be at least 1, got 0
            digits     | --model mlp --train-limit 0  | --train-limit must be at least 1, got 0
            captioning | --batch-size 0               | --batch-size must be at least 1, got 0
            captioning | --overfit --epochs 0         | --epochs must be at least 1, got 0
            captioning | --hidden 0                   | --hidden must be at least 1, got 0
            captioning | --wordvec -3                 | --wordvec must be at least 1, got -3
            captioning | --min-count 0                | --min-count must be at least 1, got 0
            captioning | --max-words 0                | --max-words must be at least 1, got 0
            captioning | --samples -1                 | --samples must be at least 0, got -1
            captioning | --test-limit 0               | --test-limit must be at least 1, got 0
            transfer   | --batch-size 0               | --batch-size must be at least 1, got 0
            transfer   | --epochs 0                   | --epochs must be at least 1, got 0
            transfer   | --workers 0                  | --workers must be at least 1, got 0
            classify   | --top -1                     | --top must be at least 1, got -1
            bench      | W1 --iterations 0            | --iterations must be at least 1, got 0
            bench      | W1 --warmup -1               | --warmup must be at least 0, got -1
            """)
    void countsBelowTheirMinimumAreNamed(String command, String options, String message) {
        assertEquals("nabla " + command + ": " + message, firstErrorLine(command, options.split(" ")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            digits     | --lr-decay -2               | --lr-decay must be above 0 and at most 1 (the learning rate is \
            multiplied by it after every epoch), got -2.0
            captioning | --overfit --lr-decay 1.5    | --lr-decay must be above 0 and at most 1 (the learning rate is \
            multiplied by it after every epoch), got 1.5
            digits     | --learning-rate 0           | --learning-rate must be a number above 0, got 0.0
            captioning | --learning-rate NaN         | --learning-rate must be a number above 0, got NaN
            transfer   | --learning-rate -0.1        | --learning-rate must be a number above 0, got -0.1
            transfer   | --features-lr-scale -1      | --features-lr-scale must be a number of at least 0, got -1.0
            digits     | --ema 1                     | --ema must be at least 0 and below 1, got 1.0
            """)
    void ratesAndFactorsOutOfTheirRangeAreNamed(String command, String options, String message) {
        assertEquals("nabla " + command + ": " + message, firstErrorLine(command, options.split(" ")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            digits     | --model rnn          | --model must be one of mlp, cnn, bn-cnn, got 'rnn'
            captioning | --cell gru           | --cell must be rnn or lstm, got 'gru'
            captioning | --dataset imagenet   | --dataset must be flickr8k or coco, got 'imagenet'
            captioning | --coco-features ../x | --coco-features must be the NAME of <split>2014_NAME.h5 (letters, \
            digits, '_', '.', '-'), got '../x'
            transfer   | --mode all           | --mode must be one of finetune, freeze, both, got 'all'
            """)
    void namesOutsideTheirChoicesAreNamed(String command, String options, String message) {
        assertEquals("nabla " + command + ": " + message, firstErrorLine(command, options.split(" ")));
    }

    @Test
    void anOutputFolderThatIsAFileOrCannotBeCreatedIsNamed() throws IOException {
        Path file = Files.writeString(tmp.resolve("results.txt"), "a file, not a folder");
        for (String command : List.of("digits", "captioning", "transfer")) {
            assertEquals("nabla " + command + ": --out " + file + ": is an existing file, not a folder",
                    firstErrorLine(command, "--out", file.toString()));
            assertEquals("nabla " + command + ": --out " + file.resolve("run") + ": the folder cannot be created (a"
                    + " file is in the way)", firstErrorLine(command, "--out", file.resolve("run").toString()));
        }
        assertEquals("nabla captioning: --cache-dir " + file + ": is an existing file, not a folder",
                firstErrorLine("captioning", "--cache-dir", file.toString()));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', textBlock = """
            digits   | --epochs ten | Invalid value for option '--epochs': 'ten' is not an int
            classify | --top 2.5    | Invalid value for option '--top': '2.5' is not an int
            """)
    void valuesPicocliCannotConvertUseTheSameOneLineForm(String command, String options, String message) {
        assertEquals("nabla " + command + ": " + message, firstErrorLine(command, options.split(" ")));
    }
}

package dev.nabla.apps;

import dev.nabla.train.TrainingLoop;
import java.time.Duration;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;

/**
 * Per-step progress of a training run: on a terminal a bar per epoch with rate and ETA (me.tongfei:progressbar);
 * otherwise (CI, a file) a plain log line at every tenth of an epoch. The per-epoch summary lines stay as they are.
 */
final class Progress implements TrainingLoop.Listener {
    private final String task;
    private final Logger log;
    private final boolean terminal;
    private ProgressBar bar;
    private int epoch;
    private int epochs;
    private int steps;
    private long start;

    /** Progress of {@code task} (e.g. the configuration trained), on a bar when stdout is a terminal. */
    Progress(String task, Logger log) {
        this(task, log, System.console() != null);
    }

    Progress(String task, Logger log, boolean terminal) {
        this.task = task;
        this.log = log;
        this.terminal = terminal;
    }

    @Override
    public void epochStarted(int e, int total, int stepsInEpoch) {
        epoch = e;
        epochs = total;
        steps = stepsInEpoch;
        start = System.nanoTime();
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "%s epoch %d/%d", task, e, total))
                    .setInitialMax(stepsInEpoch).setStyle(ProgressBarStyle.ASCII).setUnit(" steps", 1).showSpeed()
                    .setUpdateIntervalMillis(500).setMaxRenderedLength(110).build();
        }
    }

    @Override
    public void stepDone(int e, int step, int iteration, double loss) {
        if (bar != null) {
            bar.stepTo(step);
            bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
        } else if (steps > 0 && step % Math.max(1, steps / 10) == 0 && step < steps) {
            double seconds = (System.nanoTime() - start) / 1e9;
            log.info(String.format(Locale.ROOT, "%s epoch %d/%d: step %d/%d, %.1f steps/s, ETA %s, loss %.4f", task,
                    epoch, epochs, step, steps, step / seconds, eta(seconds / step * (steps - step)), loss));
        }
    }

    @Override
    public void epochDone(TrainingLoop.EpochResult r) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    private static String eta(double seconds) {
        Duration d = Duration.ofSeconds(Math.round(seconds));
        return d.toMinutes() > 0 ? d.toMinutes() + "m" + String.format(Locale.ROOT, "%02d", d.toSecondsPart()) + "s"
                : d.toSeconds() + "s";
    }
}

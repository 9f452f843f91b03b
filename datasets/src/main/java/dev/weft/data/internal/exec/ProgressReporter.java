package dev.weft.data.internal.exec;

import java.io.Console;
import java.util.ArrayList;
import java.util.List;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * One live progress bar per operator, counting rows, shown only on an interactive terminal and when the
 * {@code DataContext} allows it; otherwise every call does nothing. Used by the executor thread only.
 */
final class ProgressReporter implements AutoCloseable {
    private final List<ProgressBar> bars = new ArrayList<>();

    ProgressReporter(List<String> operators, boolean enabled) {
        if (!enabled || !isTerminal()) {
            return;
        }
        for (String name : operators) {
            bars.add(new ProgressBarBuilder().setTaskName(name).setInitialMax(-1).setUnit(" rows", 1)
                    .setStyle(ProgressBarStyle.ASCII).continuousUpdate().build());
        }
    }

    static boolean isTerminal() {
        Console c = System.console();
        return c != null && c.isTerminal();
    }

    boolean active() {
        return !bars.isEmpty();
    }

    void advance(int operator, long rows, long knownTotal) {
        if (bars.isEmpty()) {
            return;
        }
        ProgressBar bar = bars.get(operator);
        if (knownTotal > 0 && bar.getMax() != knownTotal) {
            bar.maxHint(knownTotal);
        }
        bar.stepBy(rows);
    }

    @Override
    public void close() {
        bars.forEach(ProgressBar::close);
        bars.clear();
    }
}

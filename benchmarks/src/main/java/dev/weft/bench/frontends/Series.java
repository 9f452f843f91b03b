package dev.weft.bench.frontends;

import java.util.ArrayList;
import java.util.List;

/** The timed runs of one engine on one shape: seconds per run, with the median and the spread (min..max). */
final class Series {
    final String engine;
    final List<Double> seconds = new ArrayList<>();
    final List<Double> othersCpuShare = new ArrayList<>();

    Series(String engine) {
        this.engine = engine;
    }

    void add(double s, double othersShare) {
        seconds.add(s);
        othersCpuShare.add(othersShare);
    }

    double median() {
        List<Double> sorted = new ArrayList<>(seconds);
        sorted.sort(null);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    double min() {
        return seconds.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    double max() {
        return seconds.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }
}

package dev.weft.bench.frontends;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The share of the machine's CPU that other processes used during a run ({@code /proc/stat} minus this process's
 * own ticks), so a run disturbed by other work on this shared machine shows in the results.
 */
final class MachineLoad {
    private final long busy;
    private final long total;
    private final long own;

    private MachineLoad(long busy, long total, long own) {
        this.busy = busy;
        this.total = total;
        this.own = own;
    }

    static MachineLoad now() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long user = Long.parseLong(f[1]), nice = Long.parseLong(f[2]), system = Long.parseLong(f[3]);
            long idle = Long.parseLong(f[4]), iowait = Long.parseLong(f[5]), irq = Long.parseLong(f[6]);
            long softirq = Long.parseLong(f[7]), steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
            long busy = user + nice + system + irq + softirq;
            String s = Files.readString(Path.of("/proc", Long.toString(ManagementFactory.getRuntimeMXBean().getPid()), "stat"));
            String[] p = s.substring(s.lastIndexOf(')') + 2).split(" ");
            long own = Long.parseLong(p[11]) + Long.parseLong(p[12]);
            return new MachineLoad(busy, busy + idle + iowait + steal, own);
        } catch (IOException | RuntimeException e) {
            return new MachineLoad(0, 0, 0);
        }
    }

    /** The share (0..1) of the machine's CPU capacity used by other processes since {@code before}. */
    double othersShareSince(MachineLoad before) {
        long t = total - before.total;
        return t <= 0 ? 0 : Math.max(0, (double) ((busy - before.busy) - (own - before.own)) / t);
    }
}

package dev.weft.bench.macro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;

/**
 * A reading of the machine's CPU counters ({@code /proc/stat}) and of the benchmark's own processes'
 * ({@code /proc/PID/stat}), in clock ticks. Two samples give the share of the machine's CPU capacity that other
 * processes used in between, which is how the runner spots runs disturbed by other work on a shared machine.
 */
record CpuSample(long machineBusy, long machineSteal, long machineTotal, long ownBusy) {

    /** Reads the counters now; {@code pids} are the benchmark's processes (runner and engine subprocesses). */
    static CpuSample read(Collection<Long> pids) throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/stat")).getFirst();
        String[] f = cpu.trim().split("\\s+");
        // cpu user nice system idle iowait irq softirq steal [guest guest_nice, already inside user and nice]
        long user = Long.parseLong(f[1]);
        long nice = Long.parseLong(f[2]);
        long system = Long.parseLong(f[3]);
        long idle = Long.parseLong(f[4]);
        long iowait = Long.parseLong(f[5]);
        long irq = Long.parseLong(f[6]);
        long softirq = Long.parseLong(f[7]);
        long steal = f.length > 8 ? Long.parseLong(f[8]) : 0;
        // Steal (time the hypervisor gave to other guests) is kept apart: no process here can be blamed for it.
        long busy = user + nice + system + irq + softirq;
        long own = 0;
        for (long pid : pids) {
            own += processTicks(pid);
        }
        return new CpuSample(busy, steal, busy + steal + idle + iowait, own);
    }

    private static long processTicks(long pid) throws IOException {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (!Files.exists(stat)) {
            return 0;
        }
        String s = Files.readString(stat);
        // The command name (field 2) may hold spaces; fields after the closing parenthesis are fixed.
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime (fields 14 and 15 of proc(5))
    }

    /** Whether the machine's CPU counters can be read here (Linux). */
    static boolean supported() {
        return Files.isReadable(Path.of("/proc/stat"));
    }

    /**
     * The share (0..1) of the machine's CPU capacity between {@code before} and this sample that went to processes
     * other than the benchmark's.
     */
    double othersShareSince(CpuSample before) {
        long total = machineTotal - before.machineTotal;
        if (total <= 0) {
            return 0;
        }
        long others = (machineBusy - before.machineBusy) - (ownBusy - before.ownBusy);
        return Math.max(0, (double) others / total);
    }

    /** The share of the machine's CPU capacity the hypervisor stole since {@code before}. */
    double stealShareSince(CpuSample before) {
        long total = machineTotal - before.machineTotal;
        return total <= 0 ? 0 : (double) (machineSteal - before.machineSteal) / total;
    }

    /** CPU seconds the benchmark's processes used since {@code before} (Linux reports ticks of 1/100 s). */
    double ownCpuSecondsSince(CpuSample before) {
        return (ownBusy - before.ownBusy) / 100.0;
    }

    /** The share of the machine's CPU capacity the benchmark's processes used since {@code before}. */
    double ownShareSince(CpuSample before) {
        long total = machineTotal - before.machineTotal;
        return total <= 0 ? 0 : (double) (ownBusy - before.ownBusy) / total;
    }
}

package dev.weft.bench.core;

import dev.weft.api.Bundle;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.Weft;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.DoubleAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Placement group create + ready + remove, beside a baseline that reserves and frees the same amount in a
 * plain in-memory table (what a single-node reservation costs without a scheduler).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PlacementGroupBenchmarks {
    Weft weft;
    final ConcurrentHashMap<Long, Double> reservations = new ConcurrentHashMap<>();
    final DoubleAdder reserved = new DoubleAdder();
    final AtomicLong ids = new AtomicLong();

    @Setup(Level.Trial)
    public void start() {
        weft = Weft.init();
    }

    @TearDown(Level.Trial)
    public void stop() {
        weft.close();
    }

    @Benchmark
    public boolean placementGroupCreateRemove() {
        PlacementGroup pg = weft.placementGroup(PlacementStrategy.PACK, Bundle.cpus(0.01));
        boolean ready = pg.ready().get();
        pg.remove();
        return ready;
    }

    @Benchmark
    public double placementGroupCreateRemoveBaseline() {
        long id = ids.incrementAndGet();
        reservations.put(id, 0.01);
        reserved.add(0.01);
        reserved.add(-reservations.remove(id));
        return reserved.sum();
    }
}

package dev.weft.engine.internal.objects;

import static dev.weft.engine.internal.objects.StoreFns.runtime;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.ObjectRef;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * An object freed while a reader on another node copies it: the copy the reader stores on its own node comes after
 * the free looked for copies to drop, and must not stay there. (Readers without a reference do this: a cancelled
 * task whose argument pins went with the cancel, a task whose result its owner let go while it ran. After node
 * kills, such copies were the objects left on surviving nodes.)
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CopyAfterFreeTest {
    private static final int LONGS = 8 << 20; // 64 MiB: a copy long enough to free the object while it runs

    static long[] big(int seed) {
        return StoreFns.longs(seed, LONGS);
    }

    @Test
    void aCopyMadeWhileItsObjectWasFreedIsDropped() throws Exception {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(2, 2).objectStoreBytes(512L << 20).build())) {
            NodeObjectStore holder = runtime(weft).store("node-1");
            NodeObjectStore reader = runtime(weft).store("node-0");
            for (int round = 0; round < 3; round++) {
                ObjectRef<long[]> ref = weft.task(CopyAfterFreeTest::big, round)
                        .schedulingStrategy(SchedulingStrategy.nodeAffinity("node-1", false)).remote();
                weft.wait(java.util.List.of(ref)); // ready, not read: no copy on the driver's node yet
                long id = ObjectIds.parse(ref.id());
                assertEquals(0, reader.objectCount(), "round " + round + ": the driver's node holds no copy yet");
                // the driver reads on node-0: it pins the primary on node-1 while it copies it into node-0's store
                CompletableFuture<long[]> read = CompletableFuture.supplyAsync(ref::get);
                Poll.until("the reader pins the primary", () -> read.isDone()
                        || holder.info(id).map(i -> i.pinCount() > 0).orElse(false));
                ref.close();
                try {
                    read.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException freed) {
                    // the reader may find the object gone: it was freed while being read
                }
                Poll.until("round " + round + ": both stores are empty after the free",
                        () -> holder.objectCount() == 0 && reader.objectCount() == 0,
                        () -> "holder " + holder.objectCount() + " objects, reader " + reader.objectCount());
            }
        }
    }
}

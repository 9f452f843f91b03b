package dev.weft.engine.internal.objects;

import static dev.weft.engine.internal.objects.StoreFns.runtime;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.SchedulingStrategy;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.engine.LocalClusterControl;
import dev.weft.store.CopyKind;
import dev.weft.store.Encoding;
import dev.weft.store.StoreConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each virtual node gets its own configured store; values of every kind round-trip through it. */
class NodeStoreWiringTest {
    private static final int BIG = 300_000; // elements: every array below is over the 100 KiB inline limit

    @Test
    void everyNodeHasAStoreOfTheConfiguredCapacityAndATemporarySpillDirectoryDeletedOnClose() {
        Path spillDir;
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(2, 1).objectStoreBytes(40L << 20).build())) {
            NodeObjectStore a = runtime(weft).store("node-0");
            NodeObjectStore b = runtime(weft).store("node-1");
            assertEquals(40L << 20, a.config().capacityBytes());
            assertEquals(40L << 20, b.config().capacityBytes());
            assertEquals(1, a.config().spillUris().size());
            assertEquals(a.config().spillUris(), b.config().spillUris());
            spillDir = Path.of(a.config().spillUris().getFirst());
            assertTrue(Files.isDirectory(spillDir));
        }
        assertFalse(Files.exists(spillDir), "the temporary spill directory " + spillDir + " is deleted on close");
    }

    @Test
    void theDefaultCapacityIsThirtyPercentOfMemoryDividedByTheNodes() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(3, 1).build())) {
            assertEquals(StoreConfig.defaultCapacityBytes() / 3, runtime(weft).store("node-2").config().capacityBytes());
        }
    }

    @Test
    void valuesOfEveryKindAreStoredOnceAndReadBackOnTheirNodeAndAnother() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(2, 2).objectStoreBytes(64L << 20).build())) {
            byte[] bytes = new byte[BIG];
            int[] ints = new int[BIG];
            double[] doubles = new double[BIG];
            float[] floats = new float[BIG];
            short[] shorts = new short[BIG];
            char[] chars = new char[BIG];
            boolean[] booleans = new boolean[BIG];
            long[] longs = StoreFns.longs(4, BIG);
            List<String> strings = new ArrayList<>();
            for (int i = 0; i < BIG; i++) {
                bytes[i] = (byte) i;
                ints[i] = i * 3;
                doubles[i] = i / 7.0;
                floats[i] = i / 3f;
                shorts[i] = (short) (i * 5);
                chars[i] = (char) ('a' + i % 26);
                booleans[i] = i % 3 == 0;
                if (i % 10 == 0) {
                    strings.add("s" + i);
                }
            }
            List<Object> values = List.of(bytes, ints, doubles, floats, shorts, chars, booleans, longs, strings);
            NodeObjectStore node0 = runtime(weft).store("node-0");
            NodeObjectStore node1 = runtime(weft).store("node-1");
            for (Object value : values) {
                ObjectRef<Object> ref = weft.put(value);
                long id = ObjectIds.parse(ref.id());
                var info = node0.info(id).orElseThrow();
                assertEquals(value instanceof List<?> ? Encoding.SERIALIZED : Encoding.RAW, info.encoding(),
                        "encoding of " + value.getClass().getSimpleName());
                if (value.getClass().isArray()) {
                    long raw = (long) java.lang.reflect.Array.getLength(value) * elementBytes(value);
                    assertEquals(raw, info.sizeBytes(), "arrays are stored as their raw bytes");
                }
                assertTrue(deepEquals(value, ref.get()), "read on its node: " + value.getClass().getSimpleName());
                ObjectRef<Object> copied = weft.task(StoreFns::identityObject, (Object) ref) // an Object parameter: the cast picks the overload; still resolved
                        .schedulingStrategy(SchedulingStrategy.nodeAffinity("node-1", false)).remote();
                assertTrue(deepEquals(value, copied.get()), "read on another node: " + value.getClass().getSimpleName());
                assertEquals(CopyKind.SECONDARY, node1.info(id).orElseThrow().copyKind());
                ref.close();
                copied.close();
            }
            Poll.until("every copy is freed", () -> node0.objectCount() == 0 && node1.objectCount() == 0,
                    () -> node0.stats() + " / " + node1.stats());
            assertEquals(0, node0.usedBytes());
            assertEquals(0, node1.usedBytes());
        }
    }

    @Test
    void nodeInfoReportsStoreUseAndAKilledNodeDropsItsStoreAndItsObjectsAreRebuilt() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(2, 2).objectStoreBytes(32L << 20).build())) {
            ObjectRef<long[]> made = weft.task(StoreFns::counted, "killed-node", 5, BIG)
                    .schedulingStrategy(SchedulingStrategy.nodeAffinity("node-1", true)).remote();
            weft.wait(List.of(made));
            NodeInfo info = weft.nodes().stream().filter(n -> n.nodeId().equals("node-1")).findFirst().orElseThrow();
            assertEquals(1, info.objectCount());
            assertTrue(info.objectStoreUsedBytes() >= 8L * BIG, info.toString());
            NodeObjectStore store = runtime(weft).store("node-1");

            LocalClusterControl.of(weft).killNode("node-1");
            assertTrue(store.isClosed(), "the dead node's store is closed");
            assertEquals(0, LocalClusterControl.of(weft).storeUsedBytes("node-1"));
            assertTrue(StoreFns.isLongs(made.get(), 5, BIG), "rebuilt on the surviving node");
            assertEquals(2, StoreFns.runs("killed-node"));
            assertEquals(1, runtime(weft).store("node-0").objectCount());
        }
    }

    private static int elementBytes(Object array) {
        return switch (array) {
            case long[] x -> 8;
            case double[] x -> 8;
            case int[] x -> 4;
            case float[] x -> 4;
            case short[] x -> 2;
            case char[] x -> 2;
            default -> 1;
        };
    }

    private static boolean deepEquals(Object a, Object b) {
        return Arrays.deepEquals(new Object[] {a}, new Object[] {b});
    }
}

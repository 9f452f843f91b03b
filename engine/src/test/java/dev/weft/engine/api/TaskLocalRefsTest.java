package dev.weft.engine.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.NodeInfo;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.testing.WeftTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A plain task's own handles (its puts, the refs of tasks it submits) are released when its result is stored,
 * not when the JVM happens to collect them: objects the task did not return leave the store at once, and refs
 * nested in the result stay readable because the caller borrowed them first.
 */
@WeftTest(nodes = 1, cpusPerNode = 2)
class TaskLocalRefsTest {
    static final int LONGS = 200_000;

    /** Puts a large array and lets its ref go without returning it. */
    public static int putAndDrop(int n) {
        ObjectRef<long[]> ref = Weft.current().put(new long[n]);
        return ref.get().length;
    }

    /** Submits a child task producing a large array and returns only the array's length. */
    public static int submitAndDrop(int n) {
        return Weft.current().task(TaskLocalRefsTest::array, n).remote().get().length;
    }

    public static long[] array(int n) {
        return new long[n];
    }

    public static int length(long[] a) {
        return a.length;
    }

    private static long storeUsed(Weft weft) {
        return weft.nodes().stream().mapToLong(NodeInfo::objectStoreUsedBytes).sum();
    }

    @Test
    void objectsATaskPutAndDidNotReturnLeaveTheStoreWhenItEnds(Weft weft) {
        long before = storeUsed(weft);
        for (int i = 0; i < 5; i++) {
            assertEquals(LONGS, weft.task(TaskLocalRefsTest::putAndDrop, LONGS).remote().get());
        }
        // a node frees its store bytes on its own thread, so wait for that (without the release at task end
        // the bytes stayed until a GC ran the handles' cleaners)
        Poll.until(() -> storeUsed(weft) == before, "store back to " + before + " bytes after 5 tasks each put "
                + 8L * LONGS + " bytes; holds " + storeUsed(weft));
    }

    @Test
    void resultsOfChildTasksTheTaskDidNotReturnLeaveTheStoreWhenItEnds(Weft weft) {
        long before = storeUsed(weft);
        for (int i = 0; i < 3; i++) {
            assertEquals(LONGS, weft.task(TaskLocalRefsTest::submitAndDrop, LONGS).remote().get());
        }
        Poll.until(() -> storeUsed(weft) == before, "store back to " + before + " bytes after 3 tasks each had a child"
                + " return " + 8L * LONGS + " bytes; holds " + storeUsed(weft));
    }

    @Test
    void refsNestedInTheResultSurviveTheTasksRelease(Weft weft) {
        List<ObjectRef<long[]>> inside = weft.task(Fns::putInside, LONGS).remote().get();
        assertEquals(LONGS, inside.get(0).get().length);
        assertEquals(LONGS, weft.task(TaskLocalRefsTest::length, inside.get(0)).remote().get());
    }
}

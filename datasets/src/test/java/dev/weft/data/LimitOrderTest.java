package dev.weft.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.Weft;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code limit(n)} is "the first n rows, in block order", also when a later read task finishes first. (With reads
 * cut into more tasks, a later task's block sometimes reached the limit first and it returned the wrong rows.)
 */
class LimitOrderTest {
    static Weft weft;
    /** The first task's first row waits here until a row of a later task has been mapped. */
    static final CountDownLatch LATER_TASK_RAN = new CountDownLatch(1);

    @BeforeAll
    static void start() {
        weft = WeftCluster.start(1, 2, 0);
    }

    @AfterAll
    static void stop() {
        weft.close();
        WeftCluster.assertNoLeaks();
    }

    static boolean holdFirstTask(Row r) throws InterruptedException {
        long id = r.getLong("id");
        if (id >= 50_000) {
            LATER_TASK_RAN.countDown();
        } else if (id == 0) {
            LATER_TASK_RAN.await(30, TimeUnit.SECONDS); // bounded: without a second task the test fails, not hangs
        }
        return true;
    }

    @Test
    void aLimitReturnsTheFirstRowsEvenWhenALaterTaskFinishesFirst() {
        Dataset ds = Datasets.range(100_000).withContext(DataContext.current().toBuilder().readParallelism(2).build())
                .filter(LimitOrderTest::holdFirstTask).limit(5);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L), ds.takeAll().stream().map(r -> r.getLong("id")).toList());
    }
}

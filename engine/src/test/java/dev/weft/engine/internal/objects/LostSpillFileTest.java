package dev.weft.engine.internal.objects;

import static dev.weft.engine.internal.objects.StoreFns.runtime;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ObjectLostException;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.store.Residency;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Objects whose spill files vanished are rebuilt from lineage; {@code put} objects raise ObjectLostException. */
class LostSpillFileTest {
    private static final int LONGS = 1 << 19; // 4 MiB
    private static final long CAPACITY = 16L << 20;

    @TempDir
    Path spill;

    @Test
    void aTaskResultWhoseSpillFileWasDeletedIsRebuiltAndAPutObjectIsLost() throws IOException {
        WeftConfig config = WeftConfig.builder().nodes(1, 2).objectStoreBytes(CAPACITY)
                .spillUri(spill.toUri().toString()).build();
        try (Weft weft = Weft.init(config)) {
            NodeObjectStore store = runtime(weft).store("node-0");
            ObjectRef<long[]> made = weft.task(StoreFns::counted, "lost-spill", 1, LONGS).remote();
            weft.wait(List.of(made));
            ObjectRef<long[]> put = weft.put(StoreFns.longs(2, LONGS));
            // three times the capacity after them: the store has to spill both (least recently used first)
            List<ObjectRef<long[]>> filler = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                filler.add(weft.put(StoreFns.longs(10 + i, LONGS)));
            }
            long madeId = ObjectIds.parse(made.id());
            long putId = ObjectIds.parse(put.id());
            assertEquals(Residency.SPILLED, store.info(madeId).orElseThrow().residency());
            assertEquals(Residency.SPILLED, store.info(putId).orElseThrow().residency());
            assertTrue(store.stats().peakUsedBytes() <= CAPACITY);

            int deleted = deleteSpillFiles();
            assertTrue(deleted > 0, "spill files were written to " + spill);

            long[] rebuilt = made.get();
            assertTrue(StoreFns.isLongs(rebuilt, 1, LONGS), "the rebuilt value is the original one");
            assertEquals(2, StoreFns.runs("lost-spill"), "the producing task ran again");
            assertTrue(store.stats().totalLostCount() >= 1);

            ObjectLostException lost = assertThrows(ObjectLostException.class, put::get);
            assertTrue(lost.getMessage().contains(put.id()) && lost.getMessage().contains("put"), lost.getMessage());
            assertTrue(lost.getMessage().contains("spill"), lost.getMessage());
            // the error sticks: a second read fails the same way instead of hanging
            assertThrows(ObjectLostException.class, put::get);
            // a task that reads the lost put object fails with the loss, not with a hang
            ObjectLostException viaTask = assertThrows(ObjectLostException.class,
                    () -> weft.task(StoreFns::first, put).remote().get());
            assertTrue(viaTask.getMessage().contains(put.id()), viaTask.getMessage());

            // the fillers were in the deleted files too, and they are put objects: lost as well, one by one
            int lostFillers = 0;
            for (int i = 0; i < filler.size(); i++) {
                try {
                    assertTrue(StoreFns.isLongs(filler.get(i).get(), 10 + i, LONGS));
                } catch (ObjectLostException e) {
                    lostFillers++;
                }
            }
            assertTrue(lostFillers > 0);
        }
        try (Stream<Path> left = Files.list(spill)) {
            assertEquals(List.of(), left.toList(), "closing the runtime deletes its spill files");
        }
    }

    private int deleteSpillFiles() throws IOException {
        int n = 0;
        try (Stream<Path> files = Files.walk(spill)) {
            for (Path p : files.filter(Files::isRegularFile).toList()) {
                Files.delete(p);
                n++;
            }
        }
        return n;
    }
}

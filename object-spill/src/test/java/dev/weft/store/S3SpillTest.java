package dev.weft.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.store.internal.DefaultObjectStore;
import dev.weft.testing.s3.S3Server;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;

class S3SpillTest {
    private static final long CAPACITY = 2 << 20;

    @Test
    void threeTimesCapacityRoundTripsThroughS3aAndSpillObjectsAreDeletedAfterFrees() throws Exception {
        try (S3Server s3 = S3Server.start("weft-spill")) {
            URI uri = s3.uri("weft-spill", "node-1");
            try (DefaultObjectStore store = (DefaultObjectStore) ObjectStore.create(StoreConfig.builder().name("s3")
                    .capacityBytes(CAPACITY).spillUri(uri).hadoopConf(s3.hadoopConfiguration())
                    .fuseTargetBytes(512 << 10).putTimeout(Duration.ofSeconds(60)).build())) {
                List<StoreFill.Put> puts = StoreFill.fill(store, 3 * CAPACITY, 256 << 10, 5);
                StoreFill.readBack(store, puts, 6);
                StoreStats stats = store.stats();
                assertTrue(stats.totalSpilledBytes() >= CAPACITY, stats.toString());
                assertTrue(stats.totalRestoredCount() > 0, stats.toString());
                StoreFill.assertPeakWithinCapacity(store);
                store.awaitSpillIo();
                assertTrue(spillObjects(s3, uri) > 0);

                puts.forEach(p -> store.delete(p.id()));
                store.awaitSpillIo();
                assertEquals(0, store.stats().spillFileCount());
                assertEquals(0, spillObjects(s3, uri));
            }
        }
    }

    private static long spillObjects(S3Server s3, URI uri) throws Exception {
        Configuration conf = new Configuration();
        s3.hadoopConfiguration().forEach(conf::set);
        try (FileSystem fs = FileSystem.newInstance(uri, conf)) {
            return Arrays.stream(fs.listStatus(new Path(uri))).filter(s -> s.getPath().getName().endsWith(".spill")).count();
        }
    }
}

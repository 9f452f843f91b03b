package dev.weft.data.internal.ops;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.data.internal.exec.BlockRef;
import dev.weft.data.internal.exec.OutputBatches;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one execution of a dataset on a daemon thread of the process that called {@code streamingSplit} and
 * offers its blocks to the {@link SplitCoordinator} actor, which hands them to the consumers. Stops the execution
 * when every split is done, and kills the actor once every consumer has closed its split (a consumer that never
 * reads to the end nor closes keeps the actor, idle, until the session ends).
 */
public final class SplitFeeder {
    private static final Logger LOG = LoggerFactory.getLogger(SplitFeeder.class);

    private SplitFeeder() {
    }

    /**
     * Starts the feeder; {@code execution} starts the dataset's execution (called on the feeder thread);
     * {@code borrowed} are the refs of materialized input blocks, which the feeder passes on but never releases.
     */
    public static void start(Weft weft, ActorHandle<SplitCoordinator> coordinator, Supplier<OutputBatches> execution,
                             Set<ObjectRef<?>> borrowed) {
        Thread t = new Thread(() -> feed(weft, coordinator, execution, borrowed), "streaming-split-feeder");
        t.setDaemon(true);
        t.start();
    }

    private static void feed(Weft weft, ActorHandle<SplitCoordinator> coordinator, Supplier<OutputBatches> execution,
                             Set<ObjectRef<?>> borrowed) {
        String failure = null;
        try (OutputBatches out = execution.get()) {
            while (out.hasNext()) {
                BlockRef block = out.takeRef();
                boolean more;
                try {
                    // Where the block lives, for consumers with a locality hint: its first holder (the primary copy).
                    List<String> holders = weft.objectLocations(List.of(block.ref())).getFirst();
                    String node = holders.isEmpty() ? null : holders.getFirst();
                    more = coordinator.task(SplitCoordinator::offer, block, node).remote().get();
                } finally {
                    // The coordinator holds its own handle now; a materialized input block stays its dataset's.
                    if (!borrowed.contains(block.ref())) {
                        block.ref().close();
                    }
                }
                if (!more) {
                    break;
                }
            }
        } catch (RuntimeException | Error e) {
            failure = e.toString();
            LOG.warn("streamingSplit: the execution feeding the splits failed", e);
        }
        try {
            coordinator.task(SplitCoordinator::finish, failure).remote().get();
            coordinator.task(SplitCoordinator::awaitAllClosed).remote().get();
        } catch (RuntimeException e) {
            LOG.warn("streamingSplit: the split coordinator failed", e);
        } finally {
            try {
                weft.kill(coordinator);
            } catch (RuntimeException e) {
                LOG.debug("streamingSplit: killing the split coordinator failed (the session may be closed)", e);
            }
        }
    }
}

package dev.weft.spark;

import dev.weft.api.ActorHandle;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.api.WeftException;
import org.apache.spark.SparkConf;
import scala.Tuple2;

/**
 * The Weft session a Spark application's executors run on. For master {@code weft}: the runtime already running in
 * this JVM (not owned: the program that started it closes it), else a new session with {@code WEFT_ADDRESS}'s runtime
 * or the embedded cluster. For {@code weft://host:port}: a new session with that cluster. A session opened here is
 * closed with the Spark application; Spark settings {@code spark.weft.config.<name>} are its properties (a cluster's
 * {@code token} or {@code sessionDir}, say).
 */
final class WeftConnection implements AutoCloseable {
    private final Weft weft;
    private final boolean owned;
    private final String description;

    private WeftConnection(Weft weft, boolean owned, String description) {
        this.weft = weft;
        this.owned = owned;
        this.description = description;
    }

    /** Spark settings under this prefix become properties of a Weft session opened here (e.g. {@code token}). */
    static final String PROPERTY_PREFIX = "spark.weft.config.";

    static WeftConnection open(WeftMasterUrl master, SparkConf conf) {
        if (master.clusterAddress() == null) {
            Weft running = runningInThisJvm();
            if (running != null) {
                return new WeftConnection(running, false, "the Weft runtime running in this JVM");
            }
        }
        WeftConfig.Builder builder = WeftConfig.builder().address(master.clusterAddress());
        for (Tuple2<String, String> kv : conf.getAllWithPrefix(PROPERTY_PREFIX)) {
            builder.property(kv._1(), kv._2());
        }
        WeftConfig config = builder.build();
        String address = config.effectiveAddress();
        String description = "local".equals(address) ? "an embedded Weft cluster" : "the Weft cluster at " + address;
        try {
            return new WeftConnection(Weft.init(config), true, description);
        } catch (RuntimeException e) {
            throw new IllegalStateException("Spark master '" + (master.clusterAddress() == null ? WeftMasterUrl.SCHEME
                    : master.clusterAddress()) + "': cannot start or reach " + description + ": " + e.getMessage(), e);
        }
    }

    private static Weft runningInThisJvm() {
        try {
            return Weft.current();
        } catch (WeftException e) {
            return null;
        }
    }

    Weft weft() {
        return weft;
    }

    String description() {
        return description;
    }

    /** Kills the actor for good; an actor that is already dead is left alone. */
    void kill(ActorHandle<?> actor) {
        try {
            weft.kill(actor);
        } catch (RuntimeException e) {
            // dead already, or the runtime closed under it: either way it holds nothing any more
        }
    }

    @Override
    public void close() {
        if (owned) {
            weft.close();
        }
    }
}

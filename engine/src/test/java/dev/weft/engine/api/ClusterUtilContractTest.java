package dev.weft.engine.api;

import dev.weft.engine.cluster.ClusterSessions;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Util contract on a 3-node cluster of separate JVMs, through a driver. */
@ExtendWith(ClusterSessions.class)
class ClusterUtilContractTest extends UtilContract {
}

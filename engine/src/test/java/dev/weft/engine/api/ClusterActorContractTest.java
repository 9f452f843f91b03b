package dev.weft.engine.api;

import dev.weft.engine.cluster.ClusterSessions;
import org.junit.jupiter.api.extension.ExtendWith;

/** The Actor contract on a 3-node cluster of separate JVMs (head + 2 workers, 2 CPUs each), through a driver. */
@ExtendWith(ClusterSessions.class)
class ClusterActorContractTest extends ActorContract {
}

package dev.weft.engine.cli;

import dev.weft.engine.internal.cluster.ClusterAdmin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code weft stop}: stops every node of the cluster, then the head. */
@Command(name = "stop", mixinStandardHelpOptions = true, description = "Stop a running cluster (all nodes and the head).")
final class StopCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Override
    public Integer call() {
        String address = connection.address();
        ClusterAdmin.stop(address, connection.token(), connection.tls());
        System.out.println("weft: cluster at " + address + " stopped");
        return 0;
    }
}

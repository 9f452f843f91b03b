package dev.weft.engine.cli;

import dev.weft.engine.internal.cluster.ClusterAdmin;
import dev.weft.engine.internal.cluster.proto.NodeEntry;
import dev.weft.engine.internal.cluster.proto.NodeStats;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code weft status}: the cluster's nodes, their resources used/total and their object stores. */
@Command(name = "status", mixinStandardHelpOptions = true, description = "List the nodes of a running cluster.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    Connection connection;

    @Override
    public Integer call() {
        String address = connection.address();
        List<NodeEntry> nodes = ClusterAdmin.listNodes(address, connection.token(), connection.tls());
        System.out.println("Weft cluster at " + address + ": " + nodes.stream().filter(NodeEntry::getAlive).count()
                + " live nodes of " + nodes.size());
        System.out.printf("%-10s %-22s %-6s %-5s %-24s %-26s %-8s %s%n", "NODE", "ADDRESS", "STATE", "ROLE",
                "CPU used/total", "STORE used/capacity", "OBJECTS", "SPILLED");
        for (NodeEntry n : nodes) {
            NodeStats s = n.getStats();
            System.out.printf("%-10s %-22s %-6s %-5s %-24s %-26s %-8d %s%n", n.getNodeId(), n.getAddress(),
                    n.getAlive() ? "alive" : "dead", n.getHead() ? "head" : "", resource(s, "CPU"),
                    mib(s.getStoreUsedBytes()) + " / " + mib(s.getStoreCapacityBytes()), s.getObjectCount(),
                    mib(s.getSpilledBytes()));
            for (Map.Entry<String, Double> r : s.getTotalMap().entrySet()) {
                if (!r.getKey().equals("CPU")) {
                    System.out.printf("%-10s %-22s %-6s %-5s %s %s%n", "", "", "", "", r.getKey(), resource(s, r.getKey()));
                }
            }
        }
        return 0;
    }

    private static String resource(NodeStats s, String name) {
        double total = s.getTotalOrDefault(name, 0.0);
        double used = total - s.getAvailableOrDefault(name, total);
        return fmt(used) + " / " + fmt(total);
    }

    private static String fmt(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.format("%.2f", d);
    }

    private static String mib(long bytes) {
        return String.format("%.1f MiB", bytes / 1048576.0);
    }
}

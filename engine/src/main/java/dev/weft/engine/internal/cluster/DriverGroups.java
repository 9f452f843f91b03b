package dev.weft.engine.internal.cluster;

import dev.weft.api.Bundle;
import dev.weft.api.ErrorType;
import dev.weft.api.PlacementGroup;
import dev.weft.api.PlacementStrategy;
import dev.weft.api.TaskUnschedulableException;
import dev.weft.api.WeftException;
import dev.weft.engine.internal.cluster.proto.BundleSpec;
import dev.weft.engine.internal.cluster.proto.CreateActorRequest;
import dev.weft.engine.internal.cluster.proto.GroupRequest;
import dev.weft.engine.internal.cluster.proto.NodeEntry;
import dev.weft.engine.internal.cluster.proto.NodeGrpc;
import dev.weft.engine.internal.cluster.proto.ReserveReply;
import dev.weft.engine.internal.cluster.proto.ReserveRequest;
import dev.weft.engine.internal.cluster.proto.TaskRequest;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A driver's placement groups: planned over the live nodes ({@link GroupPlanner}), each node's bundles reserved
 * there as a group of its embedded engine, ready once every node has reserved its part; when one cannot, the
 * others are released (all or nothing). Tasks and actors in a bundle are sent to the bundle's node.
 */
final class DriverGroups {
    private final ClusterRuntime rt;

    DriverGroups(ClusterRuntime rt) {
        this.rt = rt;
    }

    PlacementGroup create(PlacementStrategy strategy, List<Bundle> bundles, String name) {
        String id = rt.newId("g");
        OwnedObject ready = rt.newOwned(id + ":ready");
        ClusterRef<Boolean> readyRef = new ClusterRef<>(ready, rt);
        List<NodeEntry> plan = GroupPlanner.plan(strategy, bundles, rt.view.nodes());
        if (plan == null) {
            ready.location.complete(new Location.Failed(new TaskUnschedulableException("placement group " + id + " ("
                    + strategy + ", bundles " + bundles.stream().map(Bundle::resources).toList()
                    + ") cannot be placed on the live nodes: " + rt.view.nodes().stream().filter(NodeEntry::getAlive)
                    .map(n -> n.getNodeId() + " " + n.getStats().getTotalMap()).toList())));
            List<ClusterPlacementGroup.Part> none = new ArrayList<>();
            bundles.forEach(b -> none.add(new ClusterPlacementGroup.Part("", -1)));
            return new ClusterPlacementGroup(id, strategy, bundles, none, readyRef, () -> { });
        }
        Map<String, List<Bundle>> byNode = new LinkedHashMap<>();
        List<ClusterPlacementGroup.Part> parts = new ArrayList<>();
        for (int i = 0; i < bundles.size(); i++) {
            List<Bundle> here = byNode.computeIfAbsent(plan.get(i).getAddress(), a -> new ArrayList<>());
            parts.add(new ClusterPlacementGroup.Part(plan.get(i).getAddress(), here.size()));
            here.add(bundles.get(i));
        }
        AtomicBoolean removed = new AtomicBoolean();
        Runnable remove = () -> {
            if (removed.compareAndSet(false, true)) {
                for (String address : byNode.keySet()) {
                    NodeGrpc.newStub(rt.channels.get(address)).removeBundles(GroupRequest.newBuilder().setGroupId(id).build(),
                            NodeCaller.Ignore.get());
                }
            }
        };
        AtomicInteger pending = new AtomicInteger(byNode.size());
        byNode.forEach((address, here) -> {
            ReserveRequest.Builder req = ReserveRequest.newBuilder().setJobId(rt.jobId).setGroupId(id)
                    .setName(name == null ? "" : name);
            here.forEach(b -> req.addBundles(BundleSpec.newBuilder().putAllResources(b.resources())));
            NodeGrpc.newStub(rt.channels.get(address)).reserveBundles(req.build(), new StreamObserver<>() {
                @Override
                public void onNext(ReserveReply reply) {
                    if (!reply.getError().isEmpty()) {
                        fail(rt.codec.decodeError(reply.getError().toByteArray()));
                    } else if (pending.decrementAndGet() == 0) {
                        ready.location.complete(new Location.Inline(rt.codec.encode(Boolean.TRUE)));
                    }
                }

                @Override
                public void onError(Throwable t) {
                    fail(new WeftException(ErrorType.SYSTEM_FAILURE, "node at " + address + " could not reserve its part of "
                            + "placement group " + id + ": " + t.getMessage(), t));
                }

                private void fail(RuntimeException e) {
                    if (ready.location.complete(new Location.Failed(e))) {
                        remove.run();
                    }
                }

                @Override
                public void onCompleted() {
                }
            });
        });
        return new ClusterPlacementGroup(id, strategy, bundles, parts, readyRef, remove);
    }

    private ClusterPlacementGroup own(PlacementGroup group) {
        if (group instanceof ClusterPlacementGroup g) {
            return g;
        }
        throw new WeftException(ErrorType.USER_ERROR, "placement group " + group.id() + " does not belong to this cluster session");
    }

    /** The node of bundle {@code index} of {@code group}; sets the group and local bundle on the task request. */
    NodeEntry route(PlacementGroup group, int index, TaskRequest.Builder req) {
        ClusterPlacementGroup.Part part = partOf(group, index);
        req.setGroupId(group.id()).setBundleIndex(index < 0 ? -1 : part.localIndex());
        return node(group, part);
    }

    NodeEntry route(PlacementGroup group, int index, CreateActorRequest.Builder req) {
        ClusterPlacementGroup.Part part = partOf(group, index);
        req.setGroupId(group.id()).setBundleIndex(index < 0 ? -1 : part.localIndex());
        return node(group, part);
    }

    private ClusterPlacementGroup.Part partOf(PlacementGroup group, int index) {
        ClusterPlacementGroup.Part part = own(group).part(index);
        if (part.address().isEmpty()) {
            throw new TaskUnschedulableException("placement group " + group.id() + " could not be placed, so nothing runs in it");
        }
        return part;
    }

    private NodeEntry node(PlacementGroup group, ClusterPlacementGroup.Part part) {
        for (NodeEntry n : rt.view.nodes()) {
            if (n.getAddress().equals(part.address()) && n.getAlive()) {
                return n;
            }
        }
        throw new TaskUnschedulableException("the node of placement group " + group.id() + " at " + part.address()
                + " is gone (bundles are not placed again yet)");
    }
}

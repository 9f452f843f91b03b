package dev.weft.engine.internal.serial;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;

/**
 * Rebuilds handles that were written inside values: refs (as borrowers), actor handles and placement groups,
 * by id. Implemented by the runtime that owns the serializer.
 */
public interface HandleResolver {
    /** This runtime's id, written with every handle so a foreign handle is recognised. */
    String runtimeId();

    ObjectRef<?> refFromWire(long objectId, String runtimeId);

    /** A ref to {@code entry} is being written into a value: make it findable by id for {@link #refFromWire}. */
    default void exported(dev.weft.engine.internal.objects.ObjectEntry entry) {
    }

    ActorHandle<?> actorFromWire(String actorId, String runtimeId);

    PlacementGroup placementGroupFromWire(String groupId, String runtimeId);
}

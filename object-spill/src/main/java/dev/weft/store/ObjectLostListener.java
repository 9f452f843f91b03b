package dev.weft.store;

import dev.weft.api.ObjectLostException;

/**
 * Told when a spilled object can no longer be restored (its spill file is gone, truncated or corrupt).
 * The object has already been removed from the store; the engine reacts by rebuilding it from lineage.
 * Called on the thread that found the loss (a reader in {@code get}), outside the store's locks; it must
 * not block for long and may call back into the store.
 */
@FunctionalInterface
public interface ObjectLostListener {
    void onObjectLost(ObjectId id, ObjectLostException cause);
}

package dev.weft.api;

/** How a placement group spreads its bundles over nodes. */
public enum PlacementStrategy {
    /** As few nodes as possible; may use several. */
    PACK,
    /** As many nodes as possible; may share. */
    SPREAD,
    /** All bundles on one node, or the group is not created. */
    STRICT_PACK,
    /** Every bundle on a different node, or the group is not created. */
    STRICT_SPREAD
}

package dev.weft.data;

/**
 * Join types of {@link Dataset#join}. Outer joins keep unmatched rows of the named side(s) with nulls for the
 * other side; semi joins return the named side's rows that have at least one match (each once, only that side's
 * columns); anti joins return the named side's rows with no match. A null key never matches.
 */
public enum JoinType {
    INNER, LEFT_OUTER, RIGHT_OUTER, FULL_OUTER, LEFT_SEMI, RIGHT_SEMI, LEFT_ANTI, RIGHT_ANTI
}

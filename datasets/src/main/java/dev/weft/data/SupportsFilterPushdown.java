package dev.weft.data;

import java.util.Optional;

/**
 * A {@link Datasource} that can use a predicate to avoid reading data: skip files or Parquet row groups whose
 * statistics prove no row matches, or filter rows while decoding.
 */
public interface SupportsFilterPushdown extends Datasource {
    /**
     * Pushes {@code predicate} (a conjunction, see {@link Expr#conjuncts()}) into the source.
     * {@link Result#remaining()} is the part the engine must still evaluate on the rows read: the whole
     * predicate when the source only prunes by statistics (rows that do not match may still come back), empty
     * when the source guarantees that every row it yields matches.
     */
    Result withFilter(Expr predicate);

    /** The source with the filter pushed in, and what the engine must still apply. */
    record Result(Datasource source, Optional<Expr> remaining) {
        public Result {
            if (source == null || remaining == null) {
                throw new IllegalArgumentException("source and remaining must not be null");
            }
        }
    }
}

package dev.weft.data;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * A {@link BatchFunction} over {@link Batch}es instead of raw Arrow: read typed columns, build the output with
 * {@link Batch#builder()}. Pass a lambda as {@code ds.mapBatches(Batch.map(b -> ...))}, or implement it in a class
 * for an actor pool ({@code mapBatches(Scorer::new, MapBatches.actors(2, 8))}). {@link BatchFunction}'s ownership
 * and schema rules apply.
 */
@FunctionalInterface
public interface BatchMapper extends BatchFunction {
    Batch map(Batch batch) throws Exception;

    @Override
    default VectorSchemaRoot apply(VectorSchemaRoot batch) throws Exception {
        return map(Batch.of(batch)).arrow();
    }
}

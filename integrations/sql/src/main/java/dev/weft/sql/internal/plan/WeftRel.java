package dev.weft.sql.internal.plan;

import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;

/** A relational operator of the Weft convention: it knows how to add itself to a dataset plan. */
public interface WeftRel extends RelNode {
    /** Operators that run as Weft dataset plans (streaming, through the object store), not as Calcite's enumerables. */
    Convention CONVENTION = new Convention.Impl("WEFT", WeftRel.class);

    /** The dataset this operator computes over its inputs' datasets. */
    Built implement(Implementor implementor);
}

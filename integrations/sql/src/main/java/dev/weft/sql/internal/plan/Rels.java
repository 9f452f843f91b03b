package dev.weft.sql.internal.plan;

import java.util.List;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeField;

/** Small facts about relational operators that several Weft operators need. */
final class Rels {
    private Rels() {
    }

    static List<RelDataType> fieldTypes(RelNode rel) {
        return rel.getRowType().getFieldList().stream().map(RelDataTypeField::getType).toList();
    }
}

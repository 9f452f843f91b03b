package dev.weft.sql.internal.rules;

import dev.weft.sql.internal.plan.*;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.logical.LogicalProject;

/** Converts a {@link LogicalProject} without window functions into a {@link WeftProject}. */
public final class ProjectToWeftRule extends ConverterRule {
    public static final Config DEFAULT = Config.INSTANCE
            .withConversion(LogicalProject.class, Convention.NONE, WeftRel.CONVENTION, "ProjectToWeftRule")
            .withRuleFactory(ProjectToWeftRule::new);

    private ProjectToWeftRule(Config config) {
        super(config);
    }

    @Override
    public RelNode convert(RelNode rel) {
        LogicalProject r = (LogicalProject) rel;
        if (org.apache.calcite.rex.RexOver.containsOver(r.getProjects(), null)) {
            return null; // windows are not supported yet; the plan check names them
        }
        return new WeftProject(r.getCluster(), r.getTraitSet().replace(WeftRel.CONVENTION), r.getInput(), r.getProjects(),
                r.getRowType());
    }
}

package dev.weft.gang;

import java.io.Serializable;

/**
 * What every member of a {@link WorkerGroup} runs: the member's own state (made once per member by the group's
 * state factory, kept across runs and, in an elastic group, across re-rendezvous) and its {@link GroupContext}.
 * A lambda must capture only serializable values: it is shipped to every member.
 */
@FunctionalInterface
public interface MemberFn<S, R> extends Serializable {
    R run(S state, GroupContext context) throws Exception;
}

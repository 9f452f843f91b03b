package dev.weft.api;

import dev.weft.spi.TaskSpec;
import dev.weft.spi.WeftRuntime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * A task or actor call declared with {@code numReturns(n)} (Ray's {@code num_returns}): its function returns a
 * {@link List} or an array of exactly {@code n} elements, and {@link #remote()} gives one {@link ObjectRef} per
 * element, each resolved, passed on and released on its own. Not thread-safe; use once.
 *
 * <pre>{@code
 * List<ObjectRef<Integer>> mm = weft.task(Stats::minMax, xs).numReturns(2).remote();
 * int min = mm.get(0).get();
 * }</pre>
 *
 * A function that returns another count, {@code null} or something else fails every ref with a
 * {@link TaskFailedException} whose message names the function, the declared count and what it returned.
 * Each element is picked from the whole result by a small task of its own (no CPU), so the elements become
 * objects of their own without the runtime knowing about multiple returns; the whole result is freed once the
 * last of them is made.
 */
public final class MultiReturnCaller {
    private final WeftRuntime runtime;
    private final Supplier<ObjectRef<?>> submit;
    private final String name;
    private final int count;

    MultiReturnCaller(WeftRuntime runtime, Supplier<ObjectRef<?>> submit, String name, int count) {
        if (count < 1) {
            throw new IllegalArgumentException("numReturns must be at least 1, got " + count + " (for " + name + ")");
        }
        this.runtime = runtime;
        this.submit = submit;
        this.name = name;
        this.count = count;
    }

    /**
     * Submits the call; returns at once with the {@code n} refs, in the order of the returned elements. The
     * element type {@code E} is the caller's to state (as the assignment's target type): it is not checked here,
     * as the function's declared return type ({@code List<E>}, {@code E[]}) is erased.
     */
    public <E> List<ObjectRef<E>> remote() {
        ObjectRef<?> whole = submit.get();
        List<ObjectRef<E>> parts = new ArrayList<>(count);
        try {
            for (int i = 0; i < count; i++) {
                WeftFunc4<Object, Integer, Integer, String, E> pick = ReturnPicks::pick;
                TaskOptions options = TaskOptions.builder().numCpus(0).name(name + "[" + i + "]").build();
                parts.add(runtime.submitTask(new TaskSpec(pick, new Object[] {whole, i, count, name}, options)));
            }
        } finally {
            whole.close(); // the picks hold it as their argument until they have run
        }
        return Collections.unmodifiableList(parts);
    }
}

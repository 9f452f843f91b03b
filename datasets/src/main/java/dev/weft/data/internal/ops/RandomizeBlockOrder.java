package dev.weft.data.internal.ops;

import dev.weft.api.Weft;
import dev.weft.data.DataContext;
import dev.weft.data.internal.exec.BlockRef;
import dev.weft.data.internal.plan.BlockTransform;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * {@code randomizeBlockOrder(seed)}: the input's blocks in a seeded random order, each block unchanged (rows keep
 * their order inside a block). Moves no data: only the list of block refs is permuted, on the driver.
 */
public record RandomizeBlockOrder(long seed) implements BlockTransform {
    @Override
    public String explain() {
        return "RandomizeBlockOrder[seed=" + seed + "]";
    }

    @Override
    public List<BlockRef> apply(Weft weft, List<BlockRef> input, List<List<BlockRef>> sides, DataContext context) {
        List<BlockRef> out = new ArrayList<>(input);
        Collections.shuffle(out, new Random(seed));
        return out;
    }
}

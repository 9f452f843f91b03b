package dev.weft.data.internal.ops;

import dev.weft.api.ErrorType;
import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import dev.weft.data.internal.exec.BlockRef;
import java.io.Serializable;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The actor behind {@code streamingSplit}: a feeder offers the blocks of one execution; {@code n} consumers pull
 * them by split index. Pull-based, so a fast consumer gets more blocks unless {@code equal} is set; then a block
 * goes to a split only while the blocks still held back can bring every other split up to the same row count
 * (Ray's OutputSplitter rule), and at the end the rest is cut so that every split has exactly as many rows
 * (up to {@code n - 1} rows dropped). Runs with {@code maxConcurrency > n} because calls block: a consumer's
 * {@link #next} waits for a block, the feeder's {@link #offer} waits while the buffer is full and nobody starves.
 * With locality hints (one node id per split), a consumer is given a buffered block that lives on its node when
 * there is one (among those the {@code equal} rule allows), else the oldest — locality never makes it wait.
 */
public final class SplitCoordinator {
    /** What {@link #next} returns: a block, or the end of the split. */
    public record Next(BlockRef block) implements Serializable {
        public boolean end() {
            return block == null;
        }
    }

    private final int n;
    private final boolean equal;
    private final long bufferLimitBytes;
    private final ArrayDeque<BlockRef> buffer = new ArrayDeque<>();
    private long bufferRows;
    private long bufferBytes;
    private final long[] dispatched;
    private final boolean[] finished;
    private final boolean[] closed;
    private final BlockRef[] handedOut;
    /** Node id per split, or null: where each consumer runs. */
    private final String[] hints;
    /** The node holding each buffered block (absent: unknown, or inline). */
    private final java.util.IdentityHashMap<BlockRef, String> blockNode = new java.util.IdentityHashMap<>();
    private final long[] localRows;
    private List<ArrayDeque<BlockRef>> finalParts;
    private boolean inputDone;
    private String error;
    private int waitingConsumers;

    /** {@code hints}: null, or one node id per split. */
    public SplitCoordinator(Integer n, Boolean equal, Long bufferLimitBytes, List<String> hints) {
        if (hints != null && hints.size() != n) {
            throw new IllegalArgumentException("one locality hint per split: " + hints.size() + " hints for " + n);
        }
        this.hints = hints == null ? null : hints.toArray(new String[0]);
        this.localRows = new long[n];
        this.n = n;
        this.equal = equal;
        this.bufferLimitBytes = bufferLimitBytes;
        this.dispatched = new long[n];
        this.finished = new boolean[n];
        this.closed = new boolean[n];
        this.handedOut = new BlockRef[n];
    }

    /**
     * Feeder: adds a block living on {@code node} (null: unknown or inline); waits while the buffer is full and no
     * consumer waits. False: every split is done.
     */
    public synchronized Boolean offer(BlockRef block, String node) throws InterruptedException {
        while (bufferBytes >= bufferLimitBytes && waitingConsumers == 0 && !allFinished()) {
            wait();
        }
        if (allFinished()) {
            block.ref().close();
            return false;
        }
        if (block.numRows() == 0) {
            block.ref().close();
            return true;
        }
        buffer.add(block);
        if (node != null) {
            blockNode.put(block, node);
        }
        bufferRows += block.numRows();
        bufferBytes += block.sizeBytes();
        notifyAll();
        return true;
    }

    /** Feeder: no more blocks; {@code failure} is the execution's error, or {@code null}. */
    public synchronized Boolean finish(String failure) {
        inputDone = true;
        error = failure;
        notifyAll();
        return true;
    }

    /** Consumer of split {@code split}: its next block (waits for one), or the end. */
    public synchronized Next next(Integer split) throws InterruptedException {
        int i = checkSplit(split);
        releaseHandedOut(i);
        while (true) {
            if (error != null) {
                finished[i] = true;
                notifyAll();
                throw new WeftException(ErrorType.USER_ERROR, "streamingSplit: the dataset's execution failed: " + error);
            }
            if (finished[i]) {
                return new Next(null);
            }
            BlockRef b = take(i);
            if (b != null) {
                handedOut[i] = b;
                notifyAll();
                return new Next(b);
            }
            if (inputDone) {
                finished[i] = true;
                notifyAll();
                return new Next(null);
            }
            waitingConsumers++;
            notifyAll();
            try {
                wait();
            } finally {
                waitingConsumers--;
            }
        }
    }

    /**
     * Consumer: done with split {@code split} — after its end, or early (then its share goes to the others, or
     * with {@code equal} is dropped). Consumers send it without waiting for the reply: it is the last call of a
     * split, and once every split sent it the actor may be killed at any moment.
     */
    public synchronized Boolean close(Integer split) {
        int i = checkSplit(split);
        releaseHandedOut(i);
        finished[i] = true;
        closed[i] = true;
        if (finalParts != null) {
            finalParts.get(i).forEach(b -> b.ref().close());
            finalParts.get(i).clear();
        }
        notifyAll();
        return true;
    }

    /**
     * Driver: waits until every consumer closed its split, then releases what is left. A split's end (or error)
     * reply is certainly delivered by then — its consumer closes only after receiving it — so killing the actor
     * afterwards cuts off no reply anyone waits for.
     */
    public synchronized Boolean awaitAllClosed() throws InterruptedException {
        while (!allClosed()) {
            wait();
        }
        buffer.forEach(b -> b.ref().close());
        buffer.clear();
        blockNode.clear();
        return true;
    }

    /** Rows handed to each split so far (for tests and stats). */
    public synchronized long[] dispatchedRows() {
        return dispatched.clone();
    }

    /** Of {@link #dispatchedRows()}, the rows in blocks that lived on the split's hinted node (for tests and stats). */
    public synchronized long[] localRows() {
        return localRows.clone();
    }

    private BlockRef take(int i) {
        if (finalParts != null) {
            return record(i, finalParts.get(i).poll());
        }
        String near = hints == null ? null : hints[i];
        BlockRef pick = null;
        if (near != null) {
            for (BlockRef b : buffer) {
                if (near.equals(blockNode.get(b)) && (!equal || safeToDispatch(i, b.numRows()))) {
                    pick = b;
                    break;
                }
            }
        }
        if (pick == null) {
            for (BlockRef b : buffer) {
                if (!equal || safeToDispatch(i, b.numRows())) {
                    pick = b;
                    break;
                }
            }
        }
        if (pick != null) {
            removeIdentical(pick);
            bufferRows -= pick.numRows();
            bufferBytes -= pick.sizeBytes();
            String node = blockNode.remove(pick);
            if (near != null && near.equals(node)) {
                localRows[i] += pick.numRows();
            }
            return record(i, pick);
        }
        if (equal && inputDone) {
            equalizeRest();
            return record(i, finalParts.get(i).poll());
        }
        return null;
    }

    /** Removes exactly this block (blocks are records: two may be equal without being the same). */
    private void removeIdentical(BlockRef block) {
        for (java.util.Iterator<BlockRef> it = buffer.iterator(); it.hasNext(); ) {
            if (it.next() == block) {
                it.remove();
                return;
            }
        }
    }

    private BlockRef record(int i, BlockRef b) {
        if (b != null) {
            dispatched[i] += b.numRows();
        }
        return b;
    }

    /** Whether, after giving {@code rows} to split {@code i}, the buffer can still bring every split level. */
    private boolean safeToDispatch(int i, long rows) {
        long[] after = dispatched.clone();
        after[i] += rows;
        long max = 0;
        for (int j = 0; j < n; j++) {
            if (!finished[j] || j == i) {
                max = Math.max(max, after[j]);
            }
        }
        long needed = 0;
        for (int j = 0; j < n; j++) {
            if (!finished[j] || j == i) {
                needed += max - after[j];
            }
        }
        return bufferRows - rows >= needed;
    }

    /** Cuts the remaining buffer so that every open split ends with the same row count; drops the remainder. */
    private void equalizeRest() {
        List<Integer> open = new ArrayList<>();
        long sum = bufferRows;
        for (int j = 0; j < n; j++) {
            if (!finished[j]) {
                open.add(j);
                sum += dispatched[j];
            }
        }
        finalParts = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            finalParts.add(new ArrayDeque<>());
        }
        List<BlockRef> rest = new ArrayList<>(buffer);
        buffer.clear();
        blockNode.clear();
        bufferRows = 0;
        bufferBytes = 0;
        if (open.isEmpty() || rest.isEmpty()) {
            rest.forEach(b -> b.ref().close());
            return;
        }
        long target = sum / open.size();
        long[] cuts = new long[open.size() + 2];
        for (int k = 0; k < open.size(); k++) {
            cuts[k + 1] = cuts[k] + Math.max(0, target - dispatched[open.get(k)]);
        }
        cuts[open.size() + 1] = BlockSlicer.rows(rest);
        List<List<BlockRef>> parts = BlockSlicer.piecewise(Weft.current(), BlockSlicer.cut(rest, cuts));
        for (int k = 0; k < open.size(); k++) {
            finalParts.get(open.get(k)).addAll(parts.get(k));
        }
        // The remainder (fewer rows than open splits) goes to nobody.
        java.util.Set<Object> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        for (int k = 0; k < open.size(); k++) {
            parts.get(k).forEach(b -> used.add(b.ref()));
        }
        parts.getLast().stream().filter(b -> !used.contains(b.ref())).forEach(b -> b.ref().close());
        rest.stream().filter(b -> !used.contains(b.ref())).forEach(b -> b.ref().close());
    }

    /** The consumer asked again (or stopped), so it holds its own handle on the previous block by now. */
    private void releaseHandedOut(int i) {
        if (handedOut[i] != null) {
            handedOut[i].ref().close();
            handedOut[i] = null;
        }
    }

    private boolean allFinished() {
        for (boolean f : finished) {
            if (!f) {
                return false;
            }
        }
        return true;
    }

    private boolean allClosed() {
        for (boolean c : closed) {
            if (!c) {
                return false;
            }
        }
        return true;
    }

    private int checkSplit(Integer split) {
        if (split == null || split < 0 || split >= n) {
            throw new IllegalArgumentException("split index must be in [0, " + n + "), got " + split
                    + " (dispatched rows " + Arrays.toString(dispatched) + ")");
        }
        return split;
    }
}

package dev.weft.train;

/**
 * The actor that holds a training's latest checkpoint while it runs (rank 0 reports one every few rounds), so that
 * after a worker dies the trainer restarts the group from it, not from round 0. Calls run one at a time.
 */
final class CheckpointKeeper {
    private Checkpoint latest;

    CheckpointKeeper(Checkpoint start) {
        this.latest = start;
    }

    static CheckpointKeeper create(Checkpoint start) {
        return new CheckpointKeeper(start);
    }

    /** Keeps {@code checkpoint} if it is later than the one held. */
    boolean save(Checkpoint checkpoint) {
        if (latest == null || checkpoint.round() >= latest.round()) {
            latest = checkpoint;
            return true;
        }
        return false;
    }

    /** The latest checkpoint as a list of one, or an empty list when there is none yet. */
    java.util.List<Checkpoint> latest() {
        return latest == null ? java.util.List.of() : java.util.List.of(latest);
    }

    int latestRound() {
        return latest == null ? -1 : latest.round();
    }
}

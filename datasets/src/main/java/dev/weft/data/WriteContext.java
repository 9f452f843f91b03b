package dev.weft.data;

import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;

/**
 * What a running {@link Datasink#write} gets: which task it is, a unique attempt id (a retried task gets a
 * new one, so staged file names never collide), an allocator and the settings. The engine owns the allocator.
 *
 * @param taskIndex 0-based index of the write task within the job
 * @param attemptId unique across tasks and attempts of one job, safe to use in file names
 * @param jobId     the write job's id, the same for every task and for commit/abort
 */
public record WriteContext(int taskIndex, String attemptId, String jobId, BufferAllocator allocator,
                           DataContext dataContext) {
    public WriteContext {
        if (taskIndex < 0) {
            throw new IllegalArgumentException("taskIndex must be >= 0, got " + taskIndex);
        }
        Objects.requireNonNull(attemptId, "attemptId");
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(allocator, "allocator");
        Objects.requireNonNull(dataContext, "dataContext");
    }
}

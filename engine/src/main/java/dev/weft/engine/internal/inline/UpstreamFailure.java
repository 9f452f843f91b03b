package dev.weft.engine.internal.inline;

/** An argument's own task failed: its error is passed on as it is. */
final class UpstreamFailure extends RuntimeException {
    final RuntimeException error;

    UpstreamFailure(RuntimeException error) {
        super(null, null, false, false);
        this.error = error;
    }
}

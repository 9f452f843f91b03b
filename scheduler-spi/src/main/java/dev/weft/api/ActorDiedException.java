package dev.weft.api;

/** An actor call could not run because the actor died and will not (or can no longer) restart. */
public class ActorDiedException extends WeftException {
    public ActorDiedException(String message) {
        super(ErrorType.SYSTEM_FAILURE, message);
    }

    public ActorDiedException(String message, Throwable cause) {
        super(ErrorType.SYSTEM_FAILURE, message, cause);
    }
}

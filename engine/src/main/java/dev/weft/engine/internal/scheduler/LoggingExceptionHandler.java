package dev.weft.engine.internal.scheduler;

import com.lmax.disruptor.ExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a node's loop alive when handling one event fails: the failure is a bug, logged with the node. */
final class LoggingExceptionHandler implements ExceptionHandler<Object> {
    private static final Logger LOG = LoggerFactory.getLogger(LoggingExceptionHandler.class);
    private final String nodeId;

    LoggingExceptionHandler(String nodeId) {
        this.nodeId = nodeId;
    }

    @Override
    public void handleEventException(Throwable ex, long sequence, Object event) {
        LOG.error("node {}: scheduler event {} failed", nodeId, sequence, ex);
    }

    @Override
    public void handleOnStartException(Throwable ex) {
        LOG.error("node {}: scheduler failed to start", nodeId, ex);
    }

    @Override
    public void handleOnShutdownException(Throwable ex) {
        LOG.error("node {}: scheduler failed to stop", nodeId, ex);
    }
}

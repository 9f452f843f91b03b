package dev.weft.engine.internal.cluster;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import dev.weft.engine.internal.cluster.proto.DriverHeartbeatReply;
import dev.weft.engine.internal.cluster.proto.DriverHeartbeatRequest;
import dev.weft.engine.internal.cluster.proto.GcsGrpc;
import io.grpc.ManagedChannel;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A driver's heartbeat to the GCS, every 500 ms, which also refreshes its view of the nodes. While the head is down
 * (killed and restarted on its journal) the heartbeat keeps trying, waiting for the connection to come back rather
 * than failing at once, so the driver is back as soon as the head serves again. A GCS that no longer knows the
 * driver has released its job (the driver stayed away longer than the head's reconnect window): from then on the
 * driver's calls fail saying so.
 */
final class DriverHeartbeat implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DriverHeartbeat.class);

    private final ClusterRuntime driver;
    private final ScheduledExecutorService timer =
            Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("weft-driver-heartbeat").factory());
    private volatile WeftException lost;
    private volatile boolean missing;

    DriverHeartbeat(ClusterRuntime driver) {
        this.driver = driver;
        timer.scheduleWithFixedDelay(this::beat, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** Why the cluster no longer serves this driver, or null while it does. */
    WeftException lost() {
        return lost;
    }

    private void beat() {
        if (lost != null) {
            return;
        }
        ManagedChannel channel = driver.control.get(driver.gcsAddress);
        try {
            DriverHeartbeatReply reply = GcsGrpc.newBlockingStub(channel).withWaitForReady()
                    .withDeadlineAfter(5, TimeUnit.SECONDS)
                    .driverHeartbeat(DriverHeartbeatRequest.newBuilder().setJobId(driver.jobId).build());
            if (!reply.getKnown()) {
                lost = new WeftException(ErrorType.SYSTEM_FAILURE, "driver " + driver.jobId + " was released by the "
                        + "cluster at " + driver.gcsAddress + ": the GCS no longer knows it (it missed heartbeats for "
                        + "longer than the head allows, e.g. its reconnect window after a restart), so its objects "
                        + "and actors are gone; start a new session");
                LOG.error(lost.getMessage());
                return;
            }
            if (missing) {
                missing = false;
                LOG.info("driver {} is connected to the GCS at {} again", driver.jobId, driver.gcsAddress);
            }
            driver.refreshNodes();
        } catch (RuntimeException e) {
            if (!missing) {
                missing = true;
                LOG.warn("driver {}: the GCS at {} does not answer ({}); retrying", driver.jobId, driver.gcsAddress,
                        e.toString());
            }
            channel.resetConnectBackoff(); // try again at the next beat, not after an exponential backoff
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

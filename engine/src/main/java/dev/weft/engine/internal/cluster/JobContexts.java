package dev.weft.engine.internal.cluster;

import dev.weft.api.ErrorType;
import dev.weft.api.WeftException;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A node's jobs: for each, the class loader over the pieces of the driver's class path this node does not have
 * on its own (fetched once from the driver, cached on disk by hash), and the codec that resolves classes through
 * it. Built on first use, on a virtual thread; dropped (loader closed) when the job is released.
 */
final class JobContexts {
    private static final Logger LOG = LoggerFactory.getLogger(JobContexts.class);
    private static final ExecutorService VIRTUAL = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("weft-job-code").factory());

    /** A job as this node runs it; {@code loader} is null when the node has every piece of its class path. */
    record Context(String job, URLClassLoader loader, ClusterCodec codec, Functions functions) {
    }

    private final NodeHost host;
    private final Context base;
    private final Map<String, CompletableFuture<Context>> jobs = new ConcurrentHashMap<>();
    /** The address of each job's driver (it serves the job's code and owns the job's objects). */
    private final Map<String, String> drivers = new ConcurrentHashMap<>();

    JobContexts(NodeHost host) {
        this.host = host;
        this.base = new Context("", null, host.codec, host.functions);
    }

    /** The job's context, building it (fetching code from {@code source}) the first time. */
    CompletableFuture<Context> of(String job, String source) {
        if (job.isEmpty() || source.isEmpty()) {
            return CompletableFuture.completedFuture(base);
        }
        CompletableFuture<Context> c = jobs.get(job);
        if (c != null) {
            return c;
        }
        drivers.put(job, source);
        return jobs.computeIfAbsent(job, j -> CompletableFuture.supplyAsync(() -> load(j, source), VIRTUAL));
    }

    /** The context of a job whose work already arrived here (so it was built). */
    Context get(String job) {
        CompletableFuture<Context> c = job.isEmpty() ? null : jobs.get(job);
        return c == null ? base : c.join();
    }

    private Context load(String job, String source) {
        List<JobCode.Piece> manifest = JobCode.parseManifest(host.pull(source, JobCode.MANIFEST));
        Set<String> own = JobCode.local().hashes();
        List<URL> urls = new ArrayList<>();
        List<String> shipped = new ArrayList<>();
        for (JobCode.Piece p : manifest) {
            if (own.contains(p.hash())) {
                continue;
            }
            try {
                Path cached = JobCode.cacheDir().resolve(p.hash() + ".jar");
                if (!Files.exists(cached) || !JobCode.sha256(cached).equals(p.hash())) {
                    cached = JobCode.store(JobCode.cacheDir(), p.hash(), host.pull(source, "code:" + p.hash()));
                }
                urls.add(cached.toUri().toURL());
                shipped.add(p.name());
            } catch (IOException e) {
                throw new WeftException(ErrorType.SYSTEM_FAILURE, "job " + job + ": class path piece " + p.name()
                        + " could not be cached on node " + host.nodeId() + ": " + e.getMessage(), e);
            }
        }
        if (urls.isEmpty()) {
            return new Context(job, null, host.codec, host.functions);
        }
        URLClassLoader loader = new URLClassLoader("weft-" + job, urls.toArray(URL[]::new), NodeHost.class.getClassLoader());
        ClusterCodec codec = new ClusterCodec(host, loader);
        LOG.info("job {} runs with {} class path pieces of its own: {}", job, shipped.size(), shipped);
        return new Context(job, loader, codec, new Functions(codec));
    }

    /** The address of job {@code job}'s driver, or null when no work of the job came here. */
    String driverOf(String job) {
        return job == null || job.isEmpty() ? null : drivers.get(job);
    }

    void release(String job) {
        drivers.remove(job);
        CompletableFuture<Context> c = jobs.remove(job);
        if (c != null) {
            c.thenAccept(ctx -> {
                if (ctx.loader() != null) {
                    try {
                        ctx.loader().close();
                    } catch (IOException e) {
                        LOG.debug("closing the class loader of {}: {}", job, e.toString());
                    }
                }
            });
        }
    }
}

package dev.weft.spark;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.Resources;
import dev.weft.api.Weft;
import dev.weft.api.WeftFunc1;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkContext$;
import org.apache.spark.launcher.JavaModuleOptions;
import org.apache.spark.resource.ResourceProfile;
import org.apache.spark.rpc.RpcEndpointAddress;
import org.apache.spark.scheduler.ExecutorProcessLost;
import org.apache.spark.scheduler.TaskSchedulerImpl;
import org.apache.spark.scheduler.cluster.CoarseGrainedSchedulerBackend;
import org.apache.spark.scheduler.cluster.SchedulerBackendUtils$;
import org.apache.spark.util.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.Tuple2;
import scala.concurrent.Future;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Spark's coarse-grained scheduler backend on Weft, after RayDP's: each executor is a Weft actor ({@link
 * ExecutorActor}) holding the executor's cores and memory, which runs Spark's executor as a child JVM that registers
 * with this driver. Spark asks for a total ({@link #doRequestTotalExecutors}: more actors are started; a lower total
 * stops executors that have not registered yet) and kills executors by id ({@link #doKillExecutors}); an executor that
 * ends unexpectedly is replaced while fewer than the total run; after {@code spark.executor.maxNumFailures} such ends
 * the application is stopped. Stopping
 * the backend stops every executor and kills every actor, so Weft's resources are free again when {@code
 * SparkContext.stop()} returns. Thread-safe: Spark calls it from its own threads; state is guarded by {@code lock},
 * which is never held while calling into the superclass (whose methods take its own monitor).
 */
final class WeftSchedulerBackend extends CoarseGrainedSchedulerBackend {
    private static final Logger LOG = LoggerFactory.getLogger(WeftSchedulerBackend.class);
    private static final Duration STOP_PATIENCE = Duration.ofSeconds(30);

    private final SparkContext sc;
    private final TaskSchedulerImpl scheduler;
    private final WeftMasterUrl master;
    private final Object lock = new Object();
    private final Map<String, Executor> executors = new LinkedHashMap<>();
    private final AtomicInteger nextExecutorId = new AtomicInteger(1);
    private final List<Thread> watchers = new ArrayList<>();

    private WeftConnection connection;
    private ExecutorShape shape;
    private Map<String, Double> actorResources;
    private int target;
    private int failures;
    private int maxFailures;
    private boolean stopping;
    private boolean warnedProfiles;
    private volatile String fatal;

    /** One launched executor: its actor and the pending result of its {@code run} call. */
    private static final class Executor {
        final String id;
        final ActorHandle<ExecutorActor> actor;
        final ObjectRef<Integer> exit;
        final Path log;
        boolean killRequested;

        Executor(String id, ActorHandle<ExecutorActor> actor, ObjectRef<Integer> exit, Path log) {
            this.id = id;
            this.actor = actor;
            this.exit = exit;
            this.log = log;
        }
    }

    WeftSchedulerBackend(SparkContext sc, TaskSchedulerImpl scheduler, WeftMasterUrl master) {
        super(scheduler, sc.env().rpcEnv());
        this.sc = sc;
        this.scheduler = scheduler;
        this.master = master;
    }

    @Override
    public void start() {
        super.start();
        SparkConf conf = sc.conf();
        connection = WeftConnection.open(master, conf);
        shape = ExecutorShape.from(conf, sc.executorMemory());
        Weft weft = connection.weft();
        actorResources = shape.resources(ExecutorShape.memoryAdvertised(weft.nodes()));
        ExecutorShape.checkFits(actorResources, weft.nodes());
        int initial = SchedulerBackendUtils$.MODULE$.getInitialTargetExecutorNumber(conf,
                SchedulerBackendUtils$.MODULE$.DEFAULT_NUMBER_EXECUTORS());
        maxFailures = conf.getInt("spark.executor.maxNumFailures", Math.max(3, 2 * initial));
        LOG.info("Spark on Weft ({}): starting {} executors of {}", connection.description(), initial, actorResources);
        synchronized (lock) {
            target = initial;
            reconcile(Set.of());
        }
    }

    @Override
    public double minRegisteredRatio() {
        // as YARN and Kubernetes: jobs wait (up to spark.scheduler.maxRegisteredResourcesWaitingTime) for 80 % of the
        // executors, so the first stages are not scheduled onto the first executor alone
        return sc.conf().getDouble("spark.scheduler.minRegisteredResourcesRatio", 0.8);
    }

    @Override
    public boolean sufficientResourcesRegistered() {
        int expected;
        synchronized (lock) {
            expected = target;
        }
        return totalRegisteredExecutors().get() >= expected * minRegisteredRatio();
    }

    @Override
    public Future<Object> doRequestTotalExecutors(scala.collection.immutable.Map<ResourceProfile, Object> totals) {
        int wanted = 0;
        for (Map.Entry<ResourceProfile, Object> e : CollectionConverters.asJava(totals).entrySet()) {
            if (e.getKey().id() == ResourceProfile.DEFAULT_RESOURCE_PROFILE_ID()) {
                wanted = (Integer) e.getValue();
            } else if ((Integer) e.getValue() > 0 && !warnedProfiles) {
                warnedProfiles = true;
                LOG.warn("Spark on Weft starts executors of the default resource profile only; executors for resource "
                        + "profile {} are not started", e.getKey().id());
            }
        }
        Set<String> registered = registeredIds();
        synchronized (lock) {
            target = wanted;
            reconcile(registered);
        }
        return Future.successful(Boolean.TRUE);
    }

    @Override
    public Future<Object> doKillExecutors(scala.collection.immutable.Seq<String> executorIds) {
        List<Executor> toStop = new ArrayList<>();
        synchronized (lock) {
            for (String id : CollectionConverters.asJava(executorIds)) {
                Executor e = executors.get(id);
                if (e != null && !e.killRequested) {
                    e.killRequested = true;
                    toStop.add(e);
                }
            }
        }
        // Spark calls this holding its scheduler's lock: the actors stop on other threads
        toStop.forEach(e -> Thread.ofVirtual().name("weft-spark-kill-" + e.id).start(() -> stopExecutor(e)));
        return Future.successful(Boolean.TRUE);
    }

    @Override
    public void stop() {
        List<Executor> all;
        synchronized (lock) {
            stopping = true;
            all = new ArrayList<>(executors.values());
            all.forEach(e -> e.killRequested = true);
        }
        try {
            super.stop();
        } finally {
            stopAll(all);
            List<Thread> toJoin;
            synchronized (lock) {
                toJoin = new ArrayList<>(watchers);
            }
            for (Thread t : toJoin) {
                try {
                    t.join(STOP_PATIENCE);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** The executors Spark has registered; taken before {@code lock}, since the superclass takes its own monitor. */
    private Set<String> registeredIds() {
        return new HashSet<>(CollectionConverters.asJava(getExecutorIds()));
    }

    /** Starts executors up to the target, or stops unregistered ones above it (registered ones only by id). */
    private void reconcile(Set<String> registered) {
        if (stopping) {
            return;
        }
        List<Executor> live = executors.values().stream().filter(e -> !e.killRequested).toList();
        int excess = live.size() - target;
        for (int i = live.size() - 1; i >= 0 && excess > 0; i--) {
            Executor e = live.get(i);
            if (!registered.contains(e.id)) {
                e.killRequested = true;
                excess--;
                Thread.ofVirtual().name("weft-spark-kill-" + e.id).start(() -> stopExecutor(e));
            }
        }
        for (int n = live.size(); n < target; n++) {
            try {
                launch();
            } catch (RuntimeException e) {
                // Weft refused the actor (its runtime closed under the application, say): Spark sees too few executors
                LOG.error("Spark on Weft: cannot start an executor on {}: {}", connection.description(), e.getMessage());
                return;
            }
        }
    }

    private void launch() {
        String id = Integer.toString(nextExecutorId.getAndIncrement());
        ExecutorLaunch spec = launchSpec(id);
        ActorHandle<ExecutorActor> actor = connection.weft()
                .actor((WeftFunc1<ExecutorLaunch, ExecutorActor>) ExecutorActor::create, spec)
                .resource(Resources.CPU, actorResources.get(Resources.CPU))
                .resource(Resources.MEMORY, actorResources.getOrDefault(Resources.MEMORY, 0.0))
                .maxConcurrency(2)
                .name("spark-" + applicationId() + "-executor-" + id)
                .remote();
        ObjectRef<Integer> exit = actor.task((WeftFunc1<ExecutorActor, Integer>) ExecutorActor::run)
                .name("spark executor " + id).remote();
        Executor e = new Executor(id, actor, exit, spec.logFile());
        executors.put(id, e);
        Thread watcher = Thread.ofVirtual().name("weft-spark-watch-" + id).unstarted(() -> watch(e));
        watchers.add(watcher);
        watcher.start();
        LOG.info("Spark on Weft: executor {} launched as actor {} (log {})", id, actor.actorId(), e.log);
    }

    /** Waits for the executor's process to end, then frees its actor and, when it ended by itself, tells Spark. */
    private void watch(Executor e) {
        try {
            watchUntilEnded(e);
        } catch (RuntimeException ex) {
            LOG.error("Spark on Weft: executor {}'s end was not handled", e.id, ex);
        }
    }

    private void watchUntilEnded(Executor e) {
        String outcome;
        try {
            outcome = "exited with code " + e.exit.get();
        } catch (RuntimeException ex) {
            outcome = "ended with its actor: " + ex.getMessage();
        } finally {
            e.exit.close();
        }
        connection.kill(e.actor);
        boolean unexpected;
        boolean replace = false;
        int failed;
        Set<String> registered = registeredIds();
        synchronized (lock) {
            executors.remove(e.id);
            watchers.remove(Thread.currentThread());
            unexpected = !e.killRequested && !stopping;
            failed = unexpected ? ++failures : failures;
            if (unexpected) {
                replace = failures < maxFailures;
                if (replace) {
                    reconcile(registered);
                }
            }
        }
        if (unexpected) {
            String message = "Spark executor " + e.id + " on Weft " + outcome + " (log: " + e.log + ")";
            if (replace) {
                LOG.warn("{} ({} of {} failures allowed; replaced while fewer than the total run)", message, failed,
                        maxFailures);
            }
            removeExecutor(e.id, new ExecutorProcessLost(message, Option.empty(), false));
            if (!replace) {
                fail(message + "; stopping the Spark application: " + failed + " executors failed "
                        + "(spark.executor.maxNumFailures = " + maxFailures + ")");
            }
        }
    }

    /**
     * Ends the application, as YARN and Kubernetes do when executors keep failing: running jobs fail with {@code
     * message}; a SparkContext still being constructed fails with it (from {@link #isReady}); a constructed one stops.
     */
    private void fail(String message) {
        fatal = message;
        LOG.error(message);
        try {
            scheduler.error(message);
        } catch (Exception noActiveJobs) {
            // TaskSchedulerImpl.error throws a SparkException when no job is running: nothing to abort
        }
        Thread.ofVirtual().name("weft-spark-stop-application").start(() -> {
            try {
                while (!sc.isStopped()) {
                    Option<SparkContext> active = SparkContext$.MODULE$.getActive();
                    if (active.isDefined() && active.get() == sc) {
                        sc.stop();
                        return;
                    }
                    Thread.sleep(100); // the constructor is still running; it fails by itself through isReady
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    @Override
    public boolean isReady() {
        String f = fatal;
        if (f != null) {
            throw new IllegalStateException(f);
        }
        return super.isReady();
    }

    /** Stops the executor's process (waiting until it is gone), then kills its actor. */
    private void stopExecutor(Executor e) {
        try {
            try (ObjectRef<Boolean> stopped = e.actor.task((WeftFunc1<ExecutorActor, Boolean>) ExecutorActor::stop)
                    .remote()) {
                connection.weft().get(List.of(stopped), STOP_PATIENCE);
            }
        } catch (RuntimeException ex) {
            LOG.warn("Spark on Weft: executor {} did not stop cleanly: {}", e.id, ex.getMessage());
        }
        connection.kill(e.actor);
    }

    private void stopAll(List<Executor> all) {
        List<Thread> stoppers = new ArrayList<>();
        for (Executor e : all) {
            stoppers.add(Thread.ofVirtual().name("weft-spark-stop-" + e.id).start(() -> stopExecutor(e)));
        }
        for (Thread t : stoppers) {
            try {
                t.join();
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private ExecutorLaunch launchSpec(String id) {
        SparkConf conf = sc.conf();
        String driverUrl = new RpcEndpointAddress(conf.get("spark.driver.host"),
                Integer.parseInt(conf.get("spark.driver.port")), CoarseGrainedSchedulerBackend.ENDPOINT_NAME()).toString();
        List<String> options = new ArrayList<>(Arrays.asList(JavaModuleOptions.defaultModuleOptionArray()));
        for (Tuple2<String, String> kv : conf.getAll()) {
            if (org.apache.spark.SparkConf.isExecutorStartupConf(kv._1())) {
                options.add("-D" + kv._1() + "=" + kv._2());
            }
        }
        Option<String> extra = conf.getOption("spark.executor.extraJavaOptions");
        if (extra.isDefined()) {
            options.addAll(CollectionConverters.asJava(Utils.splitCommandString(extra.get())));
        }
        List<String> classPath = new ArrayList<>();
        Option<String> extraClassPath = conf.getOption("spark.executor.extraClassPath");
        if (extraClassPath.isDefined()) {
            classPath.addAll(Arrays.asList(extraClassPath.get().split(File.pathSeparator)));
        }
        classPath.addAll(Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator)));
        // the executor runs in a work directory of its own: relative entries are the driver's
        classPath.replaceAll(e -> e.isEmpty() || e.endsWith("*") ? e : Path.of(e).toAbsolutePath().toString());
        Map<String, String> env = new LinkedHashMap<>(CollectionConverters.asJava(sc.executorEnvs()));
        String logDir = Path.of(conf.get("spark.weft.executor.logDir",
                Path.of(System.getProperty("java.io.tmpdir"), "weft-spark").toString()), applicationId())
                .toAbsolutePath().toString();
        // a driver on a loopback address is reachable only from this machine: its executors bind there too
        String driverHost = conf.get("spark.driver.host");
        String hostname = conf.contains("spark.weft.executor.host") ? conf.get("spark.weft.executor.host")
                : driverHost.startsWith("127.") || driverHost.equals("localhost") ? driverHost : null;
        return new ExecutorLaunch(id, applicationId(), driverUrl, shape.cores(), shape.heapMb(), hostname, options,
                classPath, env, logDir);
    }

    /** The live executors' ids, for tests and logs. */
    List<String> executorIds() {
        synchronized (lock) {
            return List.copyOf(executors.keySet());
        }
    }
}

package dev.weft.engine.internal.cluster;

import dev.weft.api.WeftFunction;
import dev.weft.engine.internal.serial.CaptureCheck;
import java.io.Serial;

/**
 * What a node hands its embedded engine for a job's task, actor constructor or actor call: the job's function and
 * arguments still encoded, decoded on the worker thread through the job's own class loader, the result encoded
 * there too (except an actor constructor's, which is the actor). So the embedded engine never needs the job's
 * classes, and two jobs with different versions of a class each see their own.
 */
final class JobFunction implements WeftFunction, CaptureCheck.AlreadyEncoded {
    @Serial
    private static final long serialVersionUID = 1L;

    private final String job;
    private final byte[] function;
    private final boolean stateless;
    private final int arity;
    /** How many leading arguments are live objects (the actor, for a call), not encoded bytes. */
    private final int live;
    private final boolean encodeResult;

    JobFunction(String job, byte[] function, boolean stateless, int arity, int live, boolean encodeResult) {
        this.job = job;
        this.function = function;
        this.stateless = stateless;
        this.arity = arity;
        this.live = live;
        this.encodeResult = encodeResult;
    }

    @Override
    public Object invoke(Object[] given) throws Exception {
        JobContexts.Context c = NodeHost.hosted().jobs.get(job);
        WeftFunction fn = c.functions().decode(NodeHost.bytes(function), stateless);
        Object[] args = new Object[given.length];
        for (int i = 0; i < given.length; i++) {
            args[i] = i < live ? given[i] : c.codec().decode(((dev.weft.engine.internal.serial.SharedBytes) given[i]).bytes());
        }
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        if (c.loader() != null) {
            t.setContextClassLoader(c.loader());
        }
        Object result;
        try {
            result = fn.invoke(args);
        } finally {
            t.setContextClassLoader(before);
        }
        return encodeResult ? c.codec().encode(result) : result;
    }

    @Override
    public int arity() {
        return arity;
    }
}

package dev.weft.engine.cluster;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * A driver program for {@link ClusterFaultsTest}: joins the cluster at {@code args[0]} with token {@code args[1]},
 * makes four large results on the nodes and a named actor, says "HOLDING", then waits to be killed.
 */
public final class HoldingDriver {
    private HoldingDriver() {
    }

    public static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    public static long sum(byte[] b) {
        long s = 0;
        for (byte x : b) {
            s = s * 31 + x;
        }
        return s;
    }

    /** The (non-detached) actor's name, so that other drivers can find it while its driver lives. */
    public static final String ACTOR_NAME = "held-by-a-dying-driver";

    public static final class Holder {
        private final byte[] state = bytes(1 << 10, 1);

        public int size() {
            return state.length;
        }
    }

    public static void main(String[] args) throws Exception {
        Weft weft = Weft.init(WeftConfig.builder().address(args[0]).property("token", args[1]).build());
        List<ObjectRef<byte[]>> held = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            held.add(weft.task(HoldingDriver::bytes, 1 << 20, i).remote());
        }
        weft.wait(held);
        ActorHandle<Holder> actor = weft.actor(Holder::new).name(ACTOR_NAME).remote();
        if (actor.task(Holder::size).remote().get() != 1024) {
            throw new IllegalStateException("actor did not answer");
        }
        System.out.println("HOLDING " + held.size());
        System.out.flush();
        Thread.sleep(600_000);
    }
}

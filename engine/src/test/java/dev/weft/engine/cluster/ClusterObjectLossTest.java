package dev.weft.engine.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.Weft;
import dev.weft.api.WeftException;
import dev.weft.testing.WeftSessions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** What is lost for good on a cluster: only put objects of an owner that is gone, with an error that says why. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
@ExtendWith(ClusterSessions.class)
class ClusterObjectLossTest {
    /** Keeps a ref it was given, and reads it later. */
    public static final class Keeper {
        private ObjectRef<byte[]> kept;

        public int keep(List<ObjectRef<byte[]>> refs) {
            kept = refs.getFirst();
            return kept.get().length;
        }

        public int read() {
            return kept.get().length;
        }
    }

    @Test
    void aPutObjectOfAClosedDriverIsLostNamingItsOwner(WeftSessions sessions) {
        Weft owner = sessions.start(b -> { });
        Weft other = sessions.start(b -> { });
        ActorHandle<Keeper> keeper = other.actor(Keeper::new).remote();
        ObjectRef<byte[]> put = owner.put(new byte[300_000]);
        assertEquals(300_000, keeper.task(Keeper::keep, List.of(put)).remote().get());
        owner.close();
        WeftException lost = assertThrows(WeftException.class, () -> keeper.task(Keeper::read).remote().get());
        assertTrue(lost.getMessage().contains("was put by driver") && lost.getMessage().contains(put.id()),
                lost.getMessage());
        other.kill(keeper);
    }
}

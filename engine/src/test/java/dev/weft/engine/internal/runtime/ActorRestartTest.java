package dev.weft.engine.internal.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.api.ActorHandle;
import dev.weft.api.Weft;
import dev.weft.api.WeftConfig;
import dev.weft.engine.api.Counter;
import org.junit.jupiter.api.Test;

/**
 * Many kills with restart in a row: the executor of a life that ended may wake (from the kill's interrupt) after
 * the next life's executor parked for calls; a call submitted then must still wake the new executor.
 */
class ActorRestartTest {
    @Test
    void everyCallAfterAKillWithRestartIsAnsweredByTheNextLife() {
        try (Weft weft = Weft.init(WeftConfig.builder().nodes(3, 2).build())) {
            ActorHandle<Counter> c = weft.actor(Counter::new, 10).maxRestarts(1_000).remote();
            for (int i = 0; i < 400; i++) {
                assertEquals(11, c.task(Counter::incr, 1).remote().get(), "life " + i);
                weft.kill(c, false);
                assertEquals(10, c.task(Counter::value).remote().get(), "the life after kill " + i);
            }
            weft.kill(c);
        }
    }
}

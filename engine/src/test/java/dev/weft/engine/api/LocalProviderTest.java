package dev.weft.engine.api;

import dev.weft.testing.WeftTest;
import org.junit.jupiter.api.Nested;

/** The API contract on the embedded engine: three virtual nodes of two CPUs. */
@WeftTest(nodes = 3, cpusPerNode = 2)
class LocalProviderTest {
    @Nested
    class Tasks extends TaskContract {
    }

    @Nested
    class Objects extends ObjectContract {
    }

    @Nested
    class Actors extends ActorContract {
    }

    @Nested
    class BadInput extends BadInputContract {
    }
}

package dev.weft.engine.api;

import dev.weft.testing.WeftTest;
import org.junit.jupiter.api.Nested;

/** The same API contract on the inline provider (every task runs on its caller's thread). */
@WeftTest(address = "inline")
class InlineProviderTest {
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

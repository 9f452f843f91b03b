package dev.weft.engine.api;

import dev.weft.testing.WeftTest;

/** The Actor contract on the embedded engine: three virtual nodes of two CPUs. */
@WeftTest(nodes = 3, cpusPerNode = 2)
class LocalActorContractTest extends ActorContract {
}

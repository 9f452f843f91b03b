package dev.weft.engine.api;

import dev.weft.testing.WeftTest;

/** The Object contract on the embedded engine: three virtual nodes of two CPUs. */
@WeftTest(nodes = 3, cpusPerNode = 2)
class LocalObjectContractTest extends ObjectContract {
}

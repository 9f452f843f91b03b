package dev.weft.engine.api;

import dev.weft.testing.WeftTest;

/** The TypedCall contract on the embedded engine: three virtual nodes of two CPUs. */
@WeftTest(nodes = 3, cpusPerNode = 2)
class LocalTypedCallContractTest extends TypedCallContract {
}

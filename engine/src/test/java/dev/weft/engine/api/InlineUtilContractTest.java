package dev.weft.engine.api;

import dev.weft.testing.WeftTest;

/** The Util contract on the inline provider (every task runs on its caller's thread). */
@WeftTest(address = "inline")
class InlineUtilContractTest extends UtilContract {
}

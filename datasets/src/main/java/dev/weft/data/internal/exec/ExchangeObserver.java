package dev.weft.data.internal.exec;

/**
 * What a streaming exchange's driver reports as it goes, for tests: to act in the middle of a shuffle (kill a node
 * after some map tasks) or to see when its first output exists. Called on the driver thread, once per attempt's
 * event (a restarted attempt counts its map tasks from one again); {@link #NONE} does nothing.
 */
interface ExchangeObserver {
    ExchangeObserver NONE = new ExchangeObserver() {
    };

    /** The attempt's {@code mapsDone}-th map task finished and its pieces are queued. */
    default void mapTaskDone(int mapsDone) {
    }

    /** A reducer task finished and its {@code blocks} output blocks were taken over by the exchange. */
    default void outputDone(int blocks) {
    }
}

package dev.weft.engine.api;

import static dev.weft.engine.api.Contracts.assertMentions;
import static dev.weft.engine.api.Contracts.assertRuntimeWorks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.TaskFailedException;
import dev.weft.api.Weft;
import dev.weft.api.WeftFunc1;
import dev.weft.api.WeftFunc2;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Typed task calls and {@code numReturns}: what the compiler cannot catch (raw types, a ref whose value has another
 * type) fails with a message naming the function, the argument and both types; multiple returns give one ref per
 * element. Every provider.
 */
abstract class TypedCallContract {
    @Test
    void primitiveParametersTakeTheirBoxedValuesAndRefs(Weft weft) {
        assertEquals(16L, weft.task(CallFns::squareLong, 4L).remote().get());
        ObjectRef<Long> four = weft.put(4L);
        assertEquals("x:16", weft.task(CallFns::describe, "x", weft.task(CallFns::squareLong, four).remote())
                .remote().get());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aValueOfTheWrongTypeFailsAtSubmissionNamingTheArgumentAndBothTypes(Weft weft) {
        WeftFunc1 raw = (WeftFunc1<Long, Long>) CallFns::squareLong; // raw: what the compiler can no longer check
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> weft.task(raw, 4));
        assertMentions(e.getMessage(), "CallFns.squareLong", "argument 0", "java.lang.Long", "long", "java.lang.Integer");

        WeftFunc2 describe = (WeftFunc2<String, Long, String>) CallFns::describe;
        IllegalArgumentException second = assertThrows(IllegalArgumentException.class,
                () -> weft.task(describe, "x", "not a number"));
        assertMentions(second.getMessage(), "CallFns.describe", "argument 1", "java.lang.Long", "java.lang.String");

        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> weft.task(CallFns::squareLong, (Long) null));
        assertMentions(none.getMessage(), "argument 0", "null", "long");
        assertRuntimeWorks(weft);
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void actorConstructorsAndCallsCheckTheirArgumentsToo(Weft weft) {
        WeftFunc1 ctor = (WeftFunc1<Long, CallFns.Worker>) CallFns.Worker::new;
        IllegalArgumentException created = assertThrows(IllegalArgumentException.class, () -> weft.actor(ctor, "2"));
        assertMentions(created.getMessage(), "argument 0", "java.lang.Long", "java.lang.String");

        ActorHandle<CallFns.Worker> w = weft.actor(CallFns.Worker::new, 2L).remote();
        WeftFunc2 scale = (WeftFunc2<CallFns.Worker, Integer, Integer>) CallFns.Worker::scale;
        IllegalArgumentException called = assertThrows(IllegalArgumentException.class, () -> w.task(scale, 3L));
        assertMentions(called.getMessage(), "Worker.scale", "argument 0", "java.lang.Integer", "int", "java.lang.Long");
        assertEquals(6, w.task(CallFns.Worker::scale, 3).remote().get());
        weft.kill(w);
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRefWhoseValueHasTheWrongTypeFailsTheCallNamingTheArgument(Weft weft) {
        ObjectRef<Long> lying = (ObjectRef<Long>) (ObjectRef<?>) weft.put(4); // an Integer behind a Long ref
        TaskFailedException e = assertThrows(TaskFailedException.class,
                () -> weft.task(CallFns::squareLong, lying).remote().get());
        assertMentions(e.getMessage(), "IllegalArgumentException", "CallFns.squareLong", "argument 0", "java.lang.Long",
                "java.lang.Integer");
        assertRuntimeWorks(weft);
    }

    // ---- numReturns ---------------------------------------------------------------------------------------

    @Test
    void numReturnsGivesOneRefPerElementEachUsableOnItsOwn(Weft weft) {
        List<ObjectRef<Integer>> parts = weft.task(CallFns::minMaxCount, List.of(5, 1, 9, 3)).numReturns(3).remote();
        assertEquals(3, parts.size());
        assertEquals(9, parts.get(1).get()); // any order
        assertEquals(1, parts.get(0).get());
        parts.get(0).close();
        assertEquals(13, weft.task(Fns::add, parts.get(1), parts.get(2)).remote().get()); // passed on as arguments
        assertEquals(List.of(9, 4), weft.get(parts.subList(1, 3)));
    }

    @Test
    void numReturnsTakesArraysAndActorMethods(Weft weft) {
        List<ObjectRef<Integer>> pair = weft.task(CallFns::pair, 7, 8).numReturns(2).remote();
        assertEquals(List.of(7, 8), weft.get(pair));

        ActorHandle<CallFns.Worker> w = weft.actor(CallFns.Worker::new, 4L).remote();
        List<ObjectRef<Integer>> qr = w.task(CallFns.Worker::split, 11).numReturns(2).remote();
        assertEquals(3, qr.get(1).get());
        assertEquals(2, qr.get(0).get());
        weft.kill(w);
    }

    @Test
    void aWrongCountFailsEveryRefNamingTheFunctionAndBothCounts(Weft weft) {
        List<ObjectRef<Integer>> three = weft.task(CallFns::listOf, 2).numReturns(3).remote();
        for (ObjectRef<Integer> r : three) {
            TaskFailedException e = assertThrows(TaskFailedException.class, r::get);
            assertMentions(e.getMessage(), "CallFns.listOf", "numReturns(3)", "a List of 2 elements");
        }
        TaskFailedException none = assertThrows(TaskFailedException.class,
                () -> weft.task(CallFns::nothing, 0).numReturns(2).remote().get(0).get());
        assertMentions(none.getMessage(), "CallFns.nothing", "numReturns(2)", "returned null");
        TaskFailedException scalar = assertThrows(TaskFailedException.class,
                () -> weft.task(CallFns::notAList, 0).name("scalar").numReturns(2).remote().get(1).get());
        assertMentions(scalar.getMessage(), "scalar", "java.lang.String", "List or an array of 2");
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> weft.task(CallFns::listOf, 0).numReturns(0));
        assertMentions(zero.getMessage(), "numReturns", "0", "CallFns.listOf");
        assertRuntimeWorks(weft);
    }

    @Test
    void aFailingFunctionFailsEveryRefWithItsOwnError(Weft weft) {
        List<ObjectRef<Integer>> parts = weft.task(CallFns::failing, "boom-3").numReturns(2).remote();
        for (ObjectRef<Integer> r : parts) {
            TaskFailedException e = assertThrows(TaskFailedException.class, r::get);
            assertMentions(e.getMessage(), "boom-3", "CallFns.failing");
        }
    }
}

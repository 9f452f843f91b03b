package dev.weft.engine.internal.serial;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.SerializationException;
import dev.weft.api.TaskFailedException;
import dev.weft.api.WeftFunc0;
import dev.weft.spi.Serializer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.Test;

/** Round trips through the codec: raw primitive arrays, POJOs without registration, Arrow, errors, captures. */
class ValueCodecTest {
    private static final HandleResolver NO_HANDLES = new HandleResolver() {
        @Override
        public String runtimeId() {
            return "test";
        }

        @Override
        public ObjectRef<?> refFromWire(long objectId, String runtimeId) {
            throw new AssertionError("no refs expected");
        }

        @Override
        public ActorHandle<?> actorFromWire(String actorId, String runtimeId) {
            throw new AssertionError("no actors expected");
        }

        @Override
        public PlacementGroup placementGroupFromWire(String groupId, String runtimeId) {
            throw new AssertionError("no groups expected");
        }
    };

    static final class Pojo {
        String name;
        int[] values;
        Map<String, List<Long>> nested = new HashMap<>();
        Pojo self;
    }

    record Point(double x, double y) {
    }

    static final class Opaque {
    }

    private final BufferAllocator allocator = new RootAllocator();
    private final ValueCodec codec = new ValueCodec(NO_HANDLES, () -> allocator);

    @Test
    void primitiveArraysAreRawBytes() {
        long[] longs = {1, -2, Long.MAX_VALUE};
        Encoded enc = codec.encode(longs);
        assertEquals(ValueCodec.LONGS, enc.encoding());
        assertEquals(24, enc.bytes().length);
        assertArrayEquals(longs, (long[]) codec.decode(enc.encoding(), enc.bytes()));
        double[] doubles = {0.5, Double.NaN};
        assertArrayEquals(doubles, (double[]) codec.decode(ValueCodec.DOUBLES, codec.encode(doubles).bytes()));
        byte[] bytes = {1, 2, 3};
        Encoded b = codec.encode(bytes);
        assertEquals(ValueCodec.BYTES, b.encoding());
        assertNotSame(bytes, b.bytes());
        boolean[] flags = {true, false, true};
        assertArrayEquals(flags, (boolean[]) codec.decode(ValueCodec.BOOLEANS, codec.encode(flags).bytes()));
    }

    @Test
    void plainClassesRoundTripWithoutRegistrationIncludingCycles() {
        Pojo p = new Pojo();
        p.name = "p";
        p.values = new int[] {4, 5};
        p.nested.put("k", List.of(1L, 2L));
        p.self = p;
        Encoded enc = codec.encode(p);
        assertEquals(ValueCodec.FORY, enc.encoding());
        Pojo back = (Pojo) codec.decode(enc.encoding(), enc.bytes());
        assertNotSame(p, back);
        assertEquals("p", back.name);
        assertArrayEquals(new int[] {4, 5}, back.values);
        assertEquals(List.of(1L, 2L), back.nested.get("k"));
        assertTrue(back.self == back);
        Point q = (Point) codec.decode(ValueCodec.FORY, codec.encode(new Point(1, 2)).bytes());
        assertEquals(new Point(1, 2), q);
        List<Object> list = new ArrayList<>(List.of("a", 1, new Point(3, 4)));
        assertEquals(list, codec.decode(ValueCodec.FORY, codec.encode(list).bytes()));
    }

    @Test
    void immutableJdkValuesAreSharedNotEncoded() {
        assertTrue(ValueCodec.isImmutable("s"));
        assertTrue(ValueCodec.isImmutable(42));
        assertTrue(ValueCodec.isImmutable(null));
        assertTrue(!ValueCodec.isImmutable(new ArrayList<>()));
        assertTrue(!ValueCodec.isImmutable(new int[0]));
    }

    @Test
    void arrowRootsTravelAsIpcAndComeBackAsANewRootTheCallerCloses() {
        try (BigIntVector v = new BigIntVector("x", allocator)) {
            v.allocateNew(3);
            for (int i = 0; i < 3; i++) {
                v.set(i, i * 10L);
            }
            v.setValueCount(3);
            try (VectorSchemaRoot root = VectorSchemaRoot.of(v)) {
                Encoded enc = codec.encode(root);
                assertEquals(ValueCodec.ARROW_IPC, enc.encoding());
                try (VectorSchemaRoot back = (VectorSchemaRoot) codec.decode(enc.encoding(), enc.bytes())) {
                    assertEquals(3, back.getRowCount());
                    assertEquals(20L, ((BigIntVector) back.getVector("x")).get(2));
                }
            }
        }
        allocator.close();
    }

    @Test
    void aLambdaCapturingSomethingUnserializableIsRejectedNamingTheClass() {
        Opaque opaque = new Opaque();
        WeftFunc0<Integer> bad = () -> opaque.hashCode();
        SerializationException e = assertThrows(SerializationException.class, () -> CaptureCheck.check(bad));
        assertTrue(e.getMessage().contains(Opaque.class.getName()), e.getMessage());
        String fine = "ok";
        CaptureCheck.check((WeftFunc0<Integer>) () -> fine.length());
        CaptureCheck.check((WeftFunc0<Integer>) ValueCodecTest::constant);
    }

    static int constant() {
        return 1;
    }

    @Test
    void taskErrorsKeepTextAndRebuildTheCauseWhenTheyCan() {
        Serializer serializer = codec.serializer();
        TaskFailedException e = ErrorCodec.taskFailed("T.run", new IllegalArgumentException("bad 7"), serializer);
        assertEquals("T.run", e.taskName());
        assertEquals("bad 7", e.originalMessage());
        assertTrue(e.remoteStackTrace().contains("IllegalArgumentException"));
        assertInstanceOf(IllegalArgumentException.class, e.getCause());
        assertNull(ErrorCodec.taskFailed("T.run", new OutOfMemoryError("x"), serializer).getCause());
    }
}

package dev.weft.engine.internal.serial;

import dev.weft.api.SerializationException;
import dev.weft.engine.internal.actors.LocalActorHandle;
import dev.weft.engine.internal.objects.LocalObjectRef;
import dev.weft.engine.internal.objects.ObjectEntry;
import dev.weft.engine.internal.placement.LocalPlacementGroup;
import dev.weft.spi.Serializer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.fory.BaseFory;
import org.apache.fory.config.Config;
import org.apache.fory.context.ReadContext;
import org.apache.fory.context.WriteContext;

/**
 * Encodes values once for the object store and for crossing nodes: primitive arrays as raw bytes, Arrow
 * {@link VectorSchemaRoot}s as Arrow IPC streams, everything else with Fory. Refs, actor handles and placement
 * groups inside values are written by id; a ref written this way is retained for the bytes (the holder of
 * the bytes releases it) and rebuilt as a borrowed handle on read. Thread-safe.
 */
public final class ValueCodec {
    public static final byte FORY = 1;
    public static final byte BYTES = 2;
    public static final byte LONGS = 3;
    public static final byte INTS = 4;
    public static final byte DOUBLES = 5;
    public static final byte FLOATS = 6;
    public static final byte SHORTS = 7;
    public static final byte CHARS = 8;
    public static final byte BOOLEANS = 9;
    public static final byte ARROW_IPC = 10;

    /** Values small enough to return inline with the reply instead of through a node's store. */
    public static final int INLINE_LIMIT = 100 * 1024;

    private static final Set<Class<?>> IMMUTABLE = Set.of(String.class, Integer.class, Long.class, Double.class,
            Float.class, Short.class, Byte.class, Character.class, Boolean.class, BigInteger.class, BigDecimal.class,
            UUID.class, java.time.Instant.class, java.time.Duration.class, java.time.LocalDate.class,
            java.time.LocalDateTime.class);

    private static final ThreadLocal<List<ObjectEntry>> CONTAINED = new ThreadLocal<>();

    /**
     * One Fory pool for the JVM, not one per runtime: Fory compiles a serializer per class in the background, and
     * a pool per runtime compiled every class again for each runtime, while its queued compile jobs held the
     * runtime (through the handle serializers) long after it closed. The handle serializers find the codec of the
     * runtime that is encoding or decoding through {@link #ACTIVE}.
     */
    private static final ForySerializer SHARED_FORY = new ForySerializer(ValueCodec::register);
    private static final ThreadLocal<ValueCodec> ACTIVE = new ThreadLocal<>();

    private final HandleResolver resolver;
    private final java.util.function.Supplier<BufferAllocator> allocator;
    private final Serializer scoped = new Serializer() {
        @Override
        public String name() {
            return SHARED_FORY.name();
        }

        @Override
        public byte[] serialize(Object value) {
            ValueCodec outer = enter();
            try {
                return SHARED_FORY.serialize(value);
            } finally {
                ACTIVE.set(outer);
            }
        }

        @Override
        public Object deserialize(byte[] bytes, int offset, int length) {
            ValueCodec outer = enter();
            try {
                return SHARED_FORY.deserialize(bytes, offset, length);
            } finally {
                ACTIVE.set(outer);
            }
        }
    };

    /** {@code allocator} gives the allocator for the buffers of Arrow values that {@link #decode} rebuilds. */
    public ValueCodec(HandleResolver resolver, java.util.function.Supplier<BufferAllocator> allocator) {
        this.resolver = resolver;
        this.allocator = allocator;
    }

    /** The general serializer (also used for exceptions), resolving handles in this codec's runtime. */
    public Serializer serializer() {
        return scoped;
    }

    private ValueCodec enter() {
        ValueCodec outer = ACTIVE.get();
        ACTIVE.set(this);
        return outer;
    }

    private static HandleResolver resolver() {
        ValueCodec codec = ACTIVE.get();
        if (codec == null) {
            throw new SerializationException("a Weft handle was serialized outside a runtime's value codec");
        }
        return codec.resolver;
    }

    /** Whether {@code value} is an immutable JDK value that may be shared instead of copied. */
    public static boolean isImmutable(Object value) {
        return value == null || IMMUTABLE.contains(value.getClass()) || value instanceof Enum<?> || value instanceof SharedBytes;
    }

    /** Encodes {@code value} (not an immutable one: those are shared as they are). */
    public Encoded encode(Object value) {
        switch (value) {
            case byte[] a -> {
                return new Encoded(BYTES, a.clone(), List.of());
            }
            case long[] a -> {
                return raw(LONGS, MemorySegment.ofArray(a));
            }
            case int[] a -> {
                return raw(INTS, MemorySegment.ofArray(a));
            }
            case double[] a -> {
                return raw(DOUBLES, MemorySegment.ofArray(a));
            }
            case float[] a -> {
                return raw(FLOATS, MemorySegment.ofArray(a));
            }
            case short[] a -> {
                return raw(SHORTS, MemorySegment.ofArray(a));
            }
            case char[] a -> {
                return raw(CHARS, MemorySegment.ofArray(a));
            }
            case boolean[] a -> {
                byte[] b = new byte[a.length];
                for (int i = 0; i < a.length; i++) {
                    b[i] = (byte) (a[i] ? 1 : 0);
                }
                return new Encoded(BOOLEANS, b, List.of());
            }
            case VectorSchemaRoot root -> {
                return new Encoded(ARROW_IPC, ArrowIpc.write(root), List.of());
            }
            default -> {
                return encodeWithFory(value);
            }
        }
    }

    private Encoded encodeWithFory(Object value) {
        List<ObjectEntry> outer = CONTAINED.get();
        List<ObjectEntry> contained = new ArrayList<>(0);
        CONTAINED.set(contained);
        try {
            byte[] bytes = scoped.serialize(value);
            return new Encoded(FORY, bytes, contained.isEmpty() ? List.of() : List.copyOf(contained));
        } catch (RuntimeException e) {
            contained.forEach(ObjectEntry::release);
            throw e;
        } finally {
            CONTAINED.set(outer);
        }
    }

    private static Encoded raw(byte encoding, MemorySegment source) {
        byte[] bytes = new byte[Math.toIntExact(source.byteSize())];
        MemorySegment.copy(source, 0, MemorySegment.ofArray(bytes), 0, bytes.length);
        return new Encoded(encoding, bytes, List.of());
    }

    /** A new value decoded from {@code bytes} (which are left untouched). */
    public Object decode(byte encoding, byte[] bytes) {
        MemorySegment src = MemorySegment.ofArray(bytes);
        return switch (encoding) {
            case FORY -> scoped.deserialize(bytes);
            case BYTES -> bytes.clone();
            case LONGS -> src.toArray(ValueLayout.JAVA_LONG_UNALIGNED);
            case INTS -> src.toArray(ValueLayout.JAVA_INT_UNALIGNED);
            case DOUBLES -> src.toArray(ValueLayout.JAVA_DOUBLE_UNALIGNED);
            case FLOATS -> src.toArray(ValueLayout.JAVA_FLOAT_UNALIGNED);
            case SHORTS -> src.toArray(ValueLayout.JAVA_SHORT_UNALIGNED);
            case CHARS -> src.toArray(ValueLayout.JAVA_CHAR_UNALIGNED);
            case BOOLEANS -> {
                boolean[] out = new boolean[bytes.length];
                for (int i = 0; i < bytes.length; i++) {
                    out[i] = bytes[i] != 0;
                }
                yield out;
            }
            case ARROW_IPC -> ArrowIpc.read(bytes, allocator.get());
            default -> throw new SerializationException("unknown object encoding " + encoding + " (" + bytes.length + " bytes)");
        };
    }

    private static void register(BaseFory f) {
        f.registerSerializer(LocalObjectRef.class, r -> new RefSerializer(r.getConfig()));
        f.registerSerializer(LocalActorHandle.class, r -> new ActorHandleSerializer(r.getConfig()));
        f.registerSerializer(LocalPlacementGroup.class, r -> new PlacementGroupSerializer(r.getConfig()));
    }

    @SuppressWarnings("rawtypes")
    private static final class RefSerializer extends org.apache.fory.serializer.Serializer<LocalObjectRef> {
        RefSerializer(Config config) {
            super(config, LocalObjectRef.class, false);
        }

        @Override
        public void write(WriteContext ctx, LocalObjectRef ref) {
            ObjectEntry entry = ref.entry();
            resolver().exported(entry);
            ctx.writeInt64(entry.id());
            ctx.writeString(ref.host().runtimeId());
            List<ObjectEntry> contained = CONTAINED.get();
            if (contained != null) {
                entry.retain();
                contained.add(entry);
            }
        }

        @Override
        public LocalObjectRef read(ReadContext ctx) {
            long id = ctx.readInt64();
            String runtimeId = ctx.readString();
            return (LocalObjectRef) resolver().refFromWire(id, runtimeId);
        }
    }

    @SuppressWarnings("rawtypes")
    private static final class ActorHandleSerializer extends org.apache.fory.serializer.Serializer<LocalActorHandle> {
        ActorHandleSerializer(Config config) {
            super(config, LocalActorHandle.class, false);
        }

        @Override
        public void write(WriteContext ctx, LocalActorHandle handle) {
            ctx.writeString(handle.actorId());
            ctx.writeString(resolver().runtimeId());
        }

        @Override
        public LocalActorHandle read(ReadContext ctx) {
            String actorId = ctx.readString();
            String runtimeId = ctx.readString();
            return (LocalActorHandle) resolver().actorFromWire(actorId, runtimeId);
        }
    }

    private static final class PlacementGroupSerializer extends org.apache.fory.serializer.Serializer<LocalPlacementGroup> {
        PlacementGroupSerializer(Config config) {
            super(config, LocalPlacementGroup.class, false);
        }

        @Override
        public void write(WriteContext ctx, LocalPlacementGroup group) {
            ctx.writeString(group.id());
            ctx.writeString(resolver().runtimeId());
        }

        @Override
        public LocalPlacementGroup read(ReadContext ctx) {
            String groupId = ctx.readString();
            String runtimeId = ctx.readString();
            return (LocalPlacementGroup) resolver().placementGroupFromWire(groupId, runtimeId);
        }
    }
}

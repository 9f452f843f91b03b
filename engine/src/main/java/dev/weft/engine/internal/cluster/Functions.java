package dev.weft.engine.internal.cluster;

import com.google.protobuf.ByteString;
import dev.weft.api.WeftFunction;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Functions as bytes: a function that captures nothing (a method reference, a non-capturing lambda) is encoded
 * once per class by the sender and decoded once per distinct encoding by the receiver; others every time.
 */
final class Functions {
    private static final ClassValue<Boolean> STATELESS = new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
            return Arrays.stream(type.getDeclaredFields()).allMatch(f -> Modifier.isStatic(f.getModifiers()));
        }
    };
    private static final int CACHE_LIMIT = 10_000;

    private final ClusterCodec codec;
    private final Map<Class<?>, ByteString> encoded = new ConcurrentHashMap<>();
    private final Map<ByteString, WeftFunction> decoded = new ConcurrentHashMap<>();

    Functions(ClusterCodec codec) {
        this.codec = codec;
    }

    static boolean stateless(WeftFunction fn) {
        return STATELESS.get(fn.getClass());
    }

    ByteString encode(WeftFunction fn) {
        if (!stateless(fn)) {
            return NodeHost.bytes(codec.encode(fn));
        }
        return encoded.computeIfAbsent(fn.getClass(), c -> NodeHost.bytes(codec.encode(fn)));
    }

    WeftFunction decode(ByteString bytes, boolean stateless) {
        if (!stateless) {
            return (WeftFunction) codec.decode(bytes.toByteArray());
        }
        WeftFunction fn = decoded.get(bytes);
        if (fn == null) {
            fn = (WeftFunction) codec.decode(bytes.toByteArray());
            if (decoded.size() >= CACHE_LIMIT) {
                decoded.clear();
            }
            decoded.put(bytes, fn);
        }
        return fn;
    }
}

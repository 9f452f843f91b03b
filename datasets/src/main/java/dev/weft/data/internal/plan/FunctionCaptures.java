package dev.weft.data.internal.plan;

import dev.weft.api.ActorHandle;
import dev.weft.api.ObjectRef;
import dev.weft.api.PlacementGroup;
import dev.weft.api.SerializationException;
import dev.weft.data.internal.ops.MapGroups;
import dev.weft.spi.FunctionNames;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandleInfo;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Checks, when a dataset operation is built, that the user function it carries can be shipped to the tasks and
 * actors that run it: every value a lambda captures (or every field of a function object) must be serializable.
 * Spark calls this "Task not serializable"; finding it at the call that captured the value names the culprit
 * before anything runs. Stateless.
 */
public final class FunctionCaptures {
    private FunctionCaptures() {
    }

    /** Fails with a {@link SerializationException} naming the captured value when {@code op}'s function cannot ship. */
    public static void check(LogicalOp op) {
        switch (op) {
            case LogicalOp.RowOp r -> check(r.kind().name().toLowerCase(java.util.Locale.ROOT).replace("_m", "M")
                    + " function", r.function());
            case LogicalOp.MapBatchesOp m -> check("mapBatches " + (m.factory() != null ? "UDF constructor" : "function")
                    + " " + m.name(), m.factory() != null ? m.factory() : m.function());
            case LogicalOp.Barrier b when b.transform() instanceof MapGroups g ->
                    check("mapGroups function " + g.name(), g.fn());
            default -> { }
        }
    }

    private static void check(String what, Object function) {
        if (function == null) {
            return;
        }
        SerializedLambda lambda = FunctionNames.serializedLambda(function);
        if (lambda != null) {
            boolean receiver = lambda.getImplMethodKind() != MethodHandleInfo.REF_invokeStatic
                    && lambda.getImplMethodKind() != MethodHandleInfo.REF_newInvokeSpecial;
            String receiverName = lambda.getImplMethodName().startsWith("lambda$") ? "the enclosing instance (this)"
                    : "the receiver of the method reference";
            for (int i = 0; i < lambda.getCapturedArgCount(); i++) {
                Object value = lambda.getCapturedArg(i);
                String which = i == 0 && receiver ? receiverName : "captured value #" + i;
                checkValue(what, function, value, which);
            }
            return;
        }
        for (Class<?> c = function.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || Modifier.isTransient(f.getModifiers())) {
                    continue;
                }
                Object value;
                try {
                    f.setAccessible(true);
                    value = f.get(function);
                } catch (RuntimeException | IllegalAccessException e) {
                    continue; // a field we cannot read is checked with the whole object below
                }
                checkValue(what, function, value, f.getName().startsWith("this$") ? "the enclosing instance (this)"
                        : "field '" + f.getName() + "'");
            }
        }
        checkValue(what, function, function, "function object");
    }

    private static void checkValue(String what, Object function, Object value, String which) {
        if (value == null || value instanceof ObjectRef<?> || value instanceof ActorHandle<?>
                || value instanceof PlacementGroup) {
            return;
        }
        try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            String inner = e.getMessage();
            throw new SerializationException("the " + what + " cannot be shipped to the tasks that run it: "
                    + which + " of type " + value.getClass().getName() + " is not serializable"
                    + (inner != null && !inner.equals(value.getClass().getName()) ? " (it holds a " + inner + ")" : "")
                    + "; capture only serializable values, or create the object inside the function (a mapBatches "
                    + "UDF class builds it once per actor)");
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("the " + what + " cannot be shipped to the tasks that run it: "
                    + which + " of type " + value.getClass().getName() + " failed to serialize: " + e, e);
        }
    }
}

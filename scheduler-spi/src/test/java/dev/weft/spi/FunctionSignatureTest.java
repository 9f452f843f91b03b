package dev.weft.spi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.WeftFunc1;
import dev.weft.api.WeftFunc2;
import java.io.Serial;
import org.junit.jupiter.api.Test;

/** Which argument a mismatch names, for each shape of function: method references, lambdas, classes. */
class FunctionSignatureTest {
    private final int offset = 1;

    static long square(long x) {
        return x * x;
    }

    static final class Length implements WeftFunc1<String, Integer> {
        @Serial
        private static final long serialVersionUID = 1L;

        @Override
        public Integer apply(String s) {
            return s.length();
        }
    }

    private static String mismatch(WeftFunc1<?, ?> fn, Object arg) {
        return assertThrows(IllegalArgumentException.class, () -> fn.invoke(new Object[] {arg})).getMessage();
    }

    @Test
    void aStaticMethodReferenceNamesTheArgumentAndThePrimitiveParameter() {
        WeftFunc1<Long, Long> f = FunctionSignatureTest::square;
        String m = mismatch(f, 4);
        assertTrue(m.contains("FunctionSignatureTest.square: argument 0 must be a java.lang.Long (its parameter is a"
                + " long), got a java.lang.Integer"), m);
        IllegalArgumentException atSubmission = assertThrows(IllegalArgumentException.class,
                () -> FunctionSignature.checkSubmitted(f, new Object[] {4}, 0));
        assertTrue(atSubmission.getMessage().contains("argument 0"), atSubmission.getMessage());
        assertTrue(mismatch(f, null).contains("argument 0 is null, but its parameter is a long"));
    }

    @Test
    void lambdasCountTheirOwnParametersNotTheirCaptures() throws Exception {
        long k = 3;
        WeftFunc2<String, Long, String> captures = (s, n) -> s + (n + k);
        String m = assertThrows(IllegalArgumentException.class, () -> captures.invoke(new Object[] {"x", "y"})).getMessage();
        assertTrue(m.contains("argument 1 must be a java.lang.Long, got a java.lang.String"), m);
        WeftFunc1<Integer, Integer> capturesThis = x -> x + offset;
        assertTrue(mismatch(capturesThis, "z").contains("argument 0 must be a java.lang.Integer"));
        assertEquals("x4", captures.invoke(new Object[] {"x", 1L}));
    }

    @Test
    void anUnboundInstanceMethodNamesItsReceiverAndAClassItsApply() {
        WeftFunc1<String, Integer> length = String::length;
        assertTrue(mismatch(length, 5).contains("the receiver"), mismatch(length, 5));
        String m = assertThrows(IllegalArgumentException.class,
                () -> FunctionSignature.checkSubmitted(new Length(), new Object[] {5}, 0)).getMessage();
        assertTrue(m.contains("argument 0 must be a java.lang.String, got a java.lang.Integer"), m);
    }

    @Test
    void theFunctionsOwnFailuresPassThroughUntouched() {
        WeftFunc1<String, Integer> npe = s -> s.substring(100).length();
        NullPointerException e = new NullPointerException("mine");
        assertSame(e, FunctionSignature.explain(npe, new Object[] {"fits"}, e));
        assertThrows(StringIndexOutOfBoundsException.class, () -> npe.invoke(new Object[] {"short"}));
        assertDoesNotThrow(() -> FunctionSignature.checkSubmitted(npe, new Object[] {null}, 0));
    }
}

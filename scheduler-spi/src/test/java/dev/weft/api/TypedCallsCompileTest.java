package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import java.util.stream.Collectors;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * What the typed overloads of {@code Weft.task}, {@code Weft.actor} and {@code ActorHandle.task} let through the
 * compiler, checked by compiling small programs against this module's classes: an argument that cannot reach its
 * parameter (an {@code int} for a {@code long}, a ref of the wrong type) does not compile.
 */
class TypedCallsCompileTest {
    private static final String FNS = """
            class Fns {
                static long square(long x) { return x * x; }
                static int add(int a, int b) { return a + b; }
                static String show(String s, int n) { return s + n; }
                static void log(String s) { }
            }
            class Counter {
                Counter(long start) { }
                int incr(int by) { return by; }
            }
            """;

    private static List<String> errors(String body) {
        String source = "import dev.weft.api.*;\nclass Use {\n    void run(Weft weft, ObjectRef<Integer> ri, ObjectRef<Long> rl,"
                + " ActorHandle<Counter> c) {\n" + body + "\n    }\n}\n" + FNS;
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Use.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        };
        List<String> options = List.of("-proc:none", "-d", System.getProperty("java.io.tmpdir") + "/weft-typed-calls",
                "-classpath", System.getProperty("java.class.path"));
        javac.getTask(null, null, diagnostics, options, null, List.of(file)).call();
        return diagnostics.getDiagnostics().stream().filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> d.getMessage(null)).collect(Collectors.toList());
    }

    @Test
    void wellTypedCallsCompile() {
        assertEquals(List.of(), errors("""
                weft.task(Fns::square, 4L);
                weft.task(Fns::square, rl);
                weft.task(Fns::add, ri, 1);
                weft.task(Fns::add, 1, ri);
                weft.task(Fns::add, ri, ri);
                weft.task(Fns::show, "x", ri);
                weft.task(Fns::log, "x");
                weft.task(x -> x * 2, 4);
                weft.task((Integer x) -> x * 2, ri);
                weft.actor(Counter::new, 3L);
                c.task(Counter::incr, 1);
                c.task(Counter::incr, ri);
                """));
    }

    @Test
    void anIntForALongParameterDoesNotCompile() {
        assertTrue(!errors("weft.task(Fns::square, 4);").isEmpty());
        assertTrue(!errors("weft.actor(Counter::new, 3);").isEmpty());
    }

    @Test
    void aValueOrRefOfTheWrongTypeDoesNotCompile() {
        assertTrue(!errors("weft.task(Fns::square, \"4\");").isEmpty());
        assertTrue(!errors("weft.task(Fns::add, 1, rl);").isEmpty());
        assertTrue(!errors("weft.task(Fns::show, 1, 2);").isEmpty());
        assertTrue(!errors("c.task(Counter::incr, rl);").isEmpty());
        assertTrue(!errors("c.task(Counter::incr, \"1\");").isEmpty());
        assertTrue(!errors("Object o = 4; weft.task(Fns::add, o, 1);").isEmpty());
    }
}

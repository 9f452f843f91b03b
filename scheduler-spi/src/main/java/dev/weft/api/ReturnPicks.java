package dev.weft.api;

import java.lang.reflect.Array;
import java.util.List;

/** The task that takes one element of a {@code numReturns(n)} call's result: see {@link MultiReturnCaller}. */
final class ReturnPicks {
    private ReturnPicks() {
    }

    @SuppressWarnings("unchecked")
    static <E> E pick(Object whole, int index, int count, String name) {
        int size;
        if (whole instanceof List<?> list) {
            size = list.size();
            if (size == count) {
                return (E) list.get(index);
            }
        } else if (whole != null && whole.getClass().isArray()) {
            size = Array.getLength(whole);
            if (size == count) {
                return (E) Array.get(whole, index);
            }
        } else {
            throw new IllegalStateException(name + " was declared with numReturns(" + count + ") and must return a List"
                    + " or an array of " + count + " elements, but returned "
                    + (whole == null ? "null" : "a " + whole.getClass().getTypeName()));
        }
        throw new IllegalStateException(name + " was declared with numReturns(" + count + ") but returned "
                + (whole instanceof List<?> ? "a List" : "an array") + " of " + size + " element" + (size == 1 ? "" : "s"));
    }
}

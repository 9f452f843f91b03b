package dev.weft.engine.internal.objects;

/** The printed form of object ids: {@code obj-} and 16 hex digits. */
public final class ObjectIds {
    private static final String PREFIX = "obj-";

    private ObjectIds() {
    }

    public static String format(long id) {
        String hex = Long.toHexString(id);
        return PREFIX + "0".repeat(16 - hex.length()) + hex;
    }

    /** The numeric id, or -1 when {@code text} is not an object id. */
    public static long parse(String text) {
        if (text == null || !text.startsWith(PREFIX) || text.length() != PREFIX.length() + 16) {
            return -1;
        }
        try {
            return Long.parseUnsignedLong(text.substring(PREFIX.length()), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}

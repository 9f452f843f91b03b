package dev.weft.engine.internal.serial;

import dev.weft.engine.internal.objects.ObjectEntry;
import java.util.List;

/**
 * A value encoded once: its encoding tag, bytes, and the objects whose refs it contains (each retained once
 * by the encoder; whoever keeps the bytes releases them when it drops the bytes).
 */
public record Encoded(byte encoding, byte[] bytes, List<ObjectEntry> contained) {
}

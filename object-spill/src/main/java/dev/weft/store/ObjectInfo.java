package dev.weft.store;

import java.util.Objects;

/**
 * A snapshot of one stored object's metadata. Objects are immutable once sealed, so every field but
 * {@code pinCount} and {@code residency} is fixed for the object's life.
 *
 * @param id        the object's id
 * @param sizeBytes the object's payload size in bytes (what {@link ObjectView#asSegment()} spans)
 * @param encoding  how the bytes are laid out
 * @param owner     who owns the object (the engine's owner id: worker, driver or task); informational
 * @param copyKind  primary or secondary copy
 * @param pinCount  open {@link ObjectView}s on the object at the time of the snapshot
 * @param residency where the bytes were at the time of the snapshot
 */
public record ObjectInfo(ObjectId id, long sizeBytes, Encoding encoding, String owner, CopyKind copyKind,
                         int pinCount, Residency residency) {
    public ObjectInfo {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(encoding, "encoding");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(copyKind, "copyKind");
        Objects.requireNonNull(residency, "residency");
    }
}

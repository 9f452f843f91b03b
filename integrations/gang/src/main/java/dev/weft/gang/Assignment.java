package dev.weft.gang;

import java.io.Serializable;
import java.util.List;

/** What the driver tells a member for one run: its rank, the world size, everyone's address, the generation. */
record Assignment(int rank, int worldSize, List<String> addresses, int generation) implements Serializable {
}

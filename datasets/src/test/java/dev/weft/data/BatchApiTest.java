package dev.weft.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.api.Weft;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** mapBatches over {@link Batch}: typed column reads and an output builder that sizes and closes its vectors. */
class BatchApiTest {
    static Weft weft;

    @BeforeAll
    static void startCluster() {
        DataContext.setCurrent(DataContext.builder().progressBars(false).build());
        weft = WeftCluster.start(2, 2, 0);
    }

    @AfterAll
    static void stopCluster() {
        weft.close();
    }

    @AfterEach
    void noLeaks() {
        WeftCluster.assertNoLeaks();
    }

    static Dataset items() {
        List<Map<String, Object>> items = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", (long) i);
            m.put("x", i % 10 == 0 ? null : i * 0.5);
            m.put("name", "item-" + i);
            m.put("day", LocalDate.of(2024, 1, 1).plusDays(i % 31));
            items.add(m);
        }
        return Datasets.fromItems(items).repartition(3);
    }

    /** A stateful mapper for an actor pool: built once per actor. */
    static final class Labeler implements BatchMapper {
        private final String prefix = "L";

        @Override
        public Batch map(Batch b) {
            String[] names = b.strings("name");
            String[] out = new String[names.length];
            for (int i = 0; i < names.length; i++) {
                out[i] = prefix + names[i].length();
            }
            return b.builder().keep("id").put("label", out).build();
        }
    }

    @Test
    void typedReadsAndABuilderReplaceRawArrow() {
        Dataset out = items().mapBatches(Batch.map(b -> {
            double[] x = b.doubles("x");
            boolean[] nulls = b.nulls("x");
            long[] id = b.longs("id");
            double[] y = new double[x.length];
            BigDecimal[] price = new BigDecimal[x.length];
            LocalDate[] next = new LocalDate[x.length];
            LocalDate[] day = b.dates("day");
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i] * 2 + id[i];
                price[i] = BigDecimal.valueOf(id[i]).movePointLeft(2);
                next[i] = day[i].plusDays(1);
            }
            return b.builder().keep("id").put("y", y, nulls).put("price", price).put("next", next).build();
        }));
        List<Row> rows = out.sort("id").takeAll();
        assertEquals(1000, rows.size());
        assertEquals(List.of("id", "y", "price", "next"), List.copyOf(rows.getFirst().columns()));
        assertTrue(rows.getFirst().isNull("y"));
        assertEquals(1.0 + 1, rows.get(1).getDouble("y"), 1e-12);
        assertEquals(new BigDecimal("9.99"), rows.get(999).getDecimal("price"));
        assertEquals(LocalDate.of(2024, 1, 2), rows.getFirst().getDate("next"));
        assertTrue(out.schema().findField("price").getType() instanceof ArrowType.Decimal);
    }

    @Test
    void aMapperClassRunsOnAnActorPool() {
        List<Row> rows = items().mapBatches(Labeler::new, MapBatches.actors(1, 2)).sort("id").takeAll();
        assertEquals("L6", rows.getFirst().getString("label"));
        assertEquals("L8", rows.get(999).getString("label"));
    }

    @Test
    void aColumnOfTheWrongLengthOrTypeIsNamed() {
        Exception wrongLength = assertThrows(Exception.class, () -> items().mapBatches(Batch.map(b ->
                b.builder().put("z", new double[b.numRows() + 1]).build())).takeAll());
        assertTrue(String.valueOf(wrongLength.getMessage()).contains("column 'z' has"), wrongLength.getMessage());
        Exception wrongType = assertThrows(Exception.class, () -> items().mapBatches(Batch.map(b ->
                b.builder().put("z", b.doubles("name")).build())).takeAll());
        assertTrue(String.valueOf(wrongType.getMessage()).contains("column 'name' is Utf8, not a number column"),
                wrongType.getMessage());
    }
}

package io.gradsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The console table: columns as wide as their widest cell, numbers right-aligned, every digit of a double. */
class TextTableTest {
    static final String NL = System.lineSeparator();

    @Test
    void leftAlignsTextRightAlignsNumbersAndPadsNoLastTextColumn() {
        TextTable t = new TextTable("name", "value", "note").alignRight(1);
        t.add("a", "1603.738092", "x").add("longer", "2.5", null);
        assertThat(t.toString()).isEqualTo(String.join(NL, "name          value  note", "------  -----------  ----",
                "a       1603.738092  x", "longer          2.5  null", ""));
    }

    @Test
    void queryResultsShowTheShortestDecimalOfADoubleAndExactDecimalsAsWritten() {
        List<Object[]> rows = new ArrayList<>();
        rows.add(new Object[] {"a", 0.1 + 0.2, new BigDecimal("1.50"), 1e-7, 3L});
        rows.add(new Object[] {"b", 1603.738092, null, Double.NaN, 12L});
        StringWriter out = new StringWriter();
        QueryRun.printTable(List.of("k", "d", "dec", "tiny", "n"), rows, 1, new PrintWriter(out, true));
        assertThat(out.toString()).isEqualTo(String.join(NL, "k                    d   dec    tiny  n",
                "-  -------------------  ----  ------  -", "a  0.30000000000000004  1.50  1.0E-7  3",
                "(first 1 rows; --max-rows 0 prints all, --format csv writes all)", ""));
    }
}

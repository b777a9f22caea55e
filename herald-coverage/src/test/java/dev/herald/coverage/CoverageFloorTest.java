package dev.herald.coverage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The build's coverage floor: JaCoCo's check goal only sees one module's classes, so the aggregate
 * report's CSV (written by report-aggregate just before this test) is summed here.
 */
class CoverageFloorTest {

    @Test
    void aggregateLineCoverageStaysAboveTheFloor() throws IOException {
        Path csv = Path.of(System.getProperty("herald.coverage.csv"));
        double floor = Double.parseDouble(System.getProperty("herald.coverage.floor", "0"));
        assertThat(csv).as("report-aggregate ran before the tests").exists();
        double ratio = lineCoverage(Files.readAllLines(csv));
        System.out.printf("aggregate line coverage %.2f %% (floor %.2f %%)%n", ratio * 100, floor * 100);
        assertThat(ratio).as("line coverage of every module's classes").isGreaterThanOrEqualTo(floor);
    }

    /** Columns: GROUP,PACKAGE,CLASS,INSTRUCTION_MISSED,INSTRUCTION_COVERED,BRANCH_MISSED,BRANCH_COVERED,LINE_MISSED,LINE_COVERED,... */
    static double lineCoverage(List<String> lines) {
        List<String> header = List.of(lines.getFirst().split(","));
        int missedAt = header.indexOf("LINE_MISSED");
        int coveredAt = header.indexOf("LINE_COVERED");
        long missed = 0;
        long covered = 0;
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",");
            missed += Long.parseLong(cells[missedAt]);
            covered += Long.parseLong(cells[coveredAt]);
        }
        assertThat(missed + covered).as("the report lists classes").isPositive();
        return (double) covered / (missed + covered);
    }
}

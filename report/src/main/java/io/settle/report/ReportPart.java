package io.settle.report;

import java.util.Objects;

/**
 * What the report job hands its client: a figure or an open item (the other null). One type, so one
 * collect gathers everything. A Flink POJO with public fields.
 */
public class ReportPart {
    public Figure figure;
    public OpenItem openItem;

    public ReportPart() {}

    public static ReportPart of(Figure figure) {
        ReportPart p = new ReportPart();
        p.figure = figure;
        return p;
    }

    public static ReportPart of(OpenItem item) {
        ReportPart p = new ReportPart();
        p.openItem = item;
        return p;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ReportPart)) {
            return false;
        }
        ReportPart p = (ReportPart) o;
        return Objects.equals(figure, p.figure) && Objects.equals(openItem, p.openItem);
    }

    @Override
    public int hashCode() {
        return Objects.hash(figure, openItem);
    }

    @Override
    public String toString() {
        return figure != null ? figure.toString() : String.valueOf(openItem);
    }
}

package io.settle.operators.model;

import java.util.Objects;

/**
 * Where a record came from: a Kafka {@code topic/partition/offset}, or a replay {@code file/line}
 * (1-based physical line). A Flink POJO; the fields of the other kind are null.
 */
public class Origin {
    private String topic;
    private Integer partition;
    private Long offset;
    private String file;
    private Long line;

    public Origin() {}

    public static Origin kafka(String topic, int partition, long offset) {
        Origin o = new Origin();
        o.topic = topic;
        o.partition = partition;
        o.offset = offset;
        return o;
    }

    public static Origin file(String file, long line) {
        Origin o = new Origin();
        o.file = file;
        o.line = line;
        return o;
    }

    public String getTopic() {
        return topic;
    }

    public void setTopic(String topic) {
        this.topic = topic;
    }

    public Integer getPartition() {
        return partition;
    }

    public void setPartition(Integer partition) {
        this.partition = partition;
    }

    public Long getOffset() {
        return offset;
    }

    public void setOffset(Long offset) {
        this.offset = offset;
    }

    public String getFile() {
        return file;
    }

    public void setFile(String file) {
        this.file = file;
    }

    public Long getLine() {
        return line;
    }

    public void setLine(Long line) {
        this.line = line;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Origin)) {
            return false;
        }
        Origin that = (Origin) o;
        return Objects.equals(topic, that.topic)
                && Objects.equals(partition, that.partition)
                && Objects.equals(offset, that.offset)
                && Objects.equals(file, that.file)
                && Objects.equals(line, that.line);
    }

    @Override
    public int hashCode() {
        return Objects.hash(topic, partition, offset, file, line);
    }

    @Override
    public String toString() {
        return file != null ? file + ":" + line : topic + "/" + partition + "@" + offset;
    }
}

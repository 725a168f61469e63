package io.settle.operators.model;

/** How loud an alert is. */
public enum Severity {
    WARNING,
    CRITICAL
}

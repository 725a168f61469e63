package io.settle.operators.model;

import java.math.BigDecimal;

/** Numeric comparison of amounts: {@code 5.0} and {@code 5.00} are the same money. */
public final class Money {
    private Money() {}

    public static boolean equal(BigDecimal a, BigDecimal b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.compareTo(b) == 0;
    }

    public static int hash(BigDecimal a) {
        return a == null ? 0 : a.stripTrailingZeros().hashCode();
    }
}

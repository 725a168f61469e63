package io.settle.operators.model;

import java.math.BigDecimal;
import java.util.Currency;

/** Numeric comparison of amounts: {@code 5.0} and {@code 5.00} are the same money. */
public final class Money {
    private Money() {}

    public static boolean equal(BigDecimal a, BigDecimal b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.compareTo(b) == 0;
    }

    /**
     * The amount written at its currency's scale ({@code 5} USD is {@code "5.00"}), the form every
     * output uses, so equal money always reads the same.
     */
    public static String canonical(BigDecimal amount, String currency) {
        int scale = Currency.getInstance(currency).getDefaultFractionDigits();
        int needed = Math.max(scale, amount.stripTrailingZeros().scale());
        return amount.setScale(needed).toPlainString();
    }

    public static int hash(BigDecimal a) {
        return a == null ? 0 : a.stripTrailingZeros().hashCode();
    }
}

package io.settle.cli;

/** A bad command line: the message names the option and says what is wrong with it. */
public final class BadOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public BadOptionException(String message) {
        super(message);
    }

    /** {@code option '--KEY' MESSAGE}: the one shape of every option error. */
    public static BadOptionException of(String key, String message) {
        return new BadOptionException("option '--" + key + "' " + message);
    }
}

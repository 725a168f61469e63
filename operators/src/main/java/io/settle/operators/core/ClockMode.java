package io.settle.operators.core;

/** Which clock drives the settlement ticks (architecture: "Two clocks, one state machine"). */
public enum ClockMode {
    /**
     * Unbounded input: events apply once the watermark passes them, ticks fire by the wall clock at
     * their instant plus the allowed out-of-orderness.
     */
    LIVE,
    /**
     * Bounded input: every event applies in total apply order at the end of the input, and the
     * clock stops at the replay's {@code until}.
     */
    REPLAY
}

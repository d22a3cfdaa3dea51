package io.tensd.safety;

/** Severity of a fault; every fault puts all outputs in the safe state, severity orders reports and the LED. */
public enum Severity { MAJOR, CRITICAL }

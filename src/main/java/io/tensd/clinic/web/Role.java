package io.tensd.clinic.web;

/** What a dashboard user may do: a clinician sends commands, a viewer only looks. */
public enum Role {
    CLINICIAN, VIEWER;

    public boolean mayCommand() { return this == CLINICIAN; }
}
